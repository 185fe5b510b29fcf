--[[
  An operator skips a parked lane's head (drops the failing event) and resumes the lane with the
  events behind it, in order.

  KEYS[1] parked    <q>:{p}:z   (zset: order id -> parked at, ms)
  Declared too, after KEYS[1] (built from the prefix; docs/DESIGN.md, "Redis Cluster"):
  the lane l:<orderId>, failures f, stats s, ready r.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] order id
  ARGV[3] wake channel
  ARGV[4] partition

  Returns {-4} NOT_PARKED or {10, dropped entry, events left} SKIPPED.
]]
-- @include wake
-- @include headEntry

local prefix = ARGV[1]
local lane = prefix .. 'l:' .. ARGV[2]
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return {-4}
end
redis.call('ZREM', KEYS[1], ARGV[2])
local head = redis.call('LPOP', lane)
if not head then
  return {10, '', 0}
end
redis.call('HDEL', prefix .. 'f', headEntry(head))
redis.call('HINCRBY', prefix .. 's', 'sk', 1)
local left = redis.call('LLEN', lane)
if left > 0 then
  wake(redis.call('RPUSH', prefix .. 'r', ARGV[2]), ARGV[3], ARGV[4])
end
return {10, head, left}
