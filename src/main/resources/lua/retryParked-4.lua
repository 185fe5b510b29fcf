--[[
  An operator retries a parked lane: its head's attempts are reset and the lane goes back to ready.

  KEYS[1] lane      <q>:{p}:lane:<orderId>
  KEYS[2] parked    <q>:{p}:parked
  KEYS[3] ready     <q>:{p}:ready
  KEYS[4] stats     <q>:{p}:stats

  ARGV[1] order id
  ARGV[2] key prefix of the partition, "<q>:{p}:"
  ARGV[3] wake channel
  ARGV[4] partition

  Returns {-4} NOT_PARKED, or {9, headJobId} RESUMED.
]]
-- @include wake

if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then
  return {-4}
end
local head = redis.call('LINDEX', KEYS[1], 0)
redis.call('HSET', ARGV[2] .. 'job:' .. head, 'a', 0)
redis.call('HINCRBY', KEYS[4], 'parked', -1)
redis.call('HINCRBY', KEYS[4], 'ready', 1)
wake(redis.call('RPUSH', KEYS[3], ARGV[1]), ARGV[3], ARGV[4])
return {9, head}
