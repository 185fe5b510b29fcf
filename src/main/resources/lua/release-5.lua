--[[
  An operator releases a held order lock the safe way: the lease is revoked, the fence bumped
  (the old holder's late write and its complete are refused) and the lane goes back to the front
  of ready with its head job, so the event runs again under a new holder. Nothing is lost.

  KEYS[1] leases    <q>:{p}:leases
  KEYS[2] holders   <q>:{p}:holders
  KEYS[3] fences    <q>:{p}:fences
  KEYS[4] ready     <q>:{p}:ready
  KEYS[5] stats     <q>:{p}:stats

  ARGV[1] order id
  ARGV[2] wake channel
  ARGV[3] partition

  Returns {-1} NOT_HELD, or {8, newFence} RELEASED.
]]
-- @include wake

if not redis.call('HGET', KEYS[2], ARGV[1]) then
  return {-1}
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local fence = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
wake(redis.call('LPUSH', KEYS[4], ARGV[1]), ARGV[2], ARGV[3])
redis.call('HINCRBY', KEYS[5], 'leased', -1)
redis.call('HINCRBY', KEYS[5], 'ready', 1)
redis.call('HINCRBY', KEYS[5], 'released', 1)
return {8, fence}
