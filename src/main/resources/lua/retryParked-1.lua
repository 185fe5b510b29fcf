--[[
  An operator resumes a parked lane: its head's attempts start again from 0 and the lane goes back
  to ready, its events still in order.

  KEYS[1] parked    <q>:{p}:z   (zset: order id -> parked at, ms)
  Declared too, after KEYS[1] (built from the prefix; docs/DESIGN.md, "Redis Cluster"):
  the lane l:<orderId>, failures f, ready r.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] order id
  ARGV[3] wake channel
  ARGV[4] partition

  Returns {-4} NOT_PARKED or {9} RESUMED.
]]
-- @include wake
-- @include headEntry
-- @include withAttempts

local prefix = ARGV[1]
local lane = prefix .. 'l:' .. ARGV[2]
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return {-4}
end
local head = redis.call('LINDEX', lane, 0)
redis.call('ZREM', KEYS[1], ARGV[2])
if head then
  local id = headEntry(head)
  redis.call('LSET', lane, 0, withAttempts(head, 0))
  redis.call('HDEL', prefix .. 'f', id)
  wake(redis.call('RPUSH', prefix .. 'r', ARGV[2]), ARGV[3], ARGV[4])
end
return {9}
