--[[
  Stalled-lane recovery: every lease past its deadline (its worker died or stalled) is revoked:
  the fence is bumped (so the late holder's writes are refused), the lane goes back to the front
  of ready, its head job untouched, so nothing is lost and order holds.

  KEYS[1] leases    <q>:{p}:leases
  KEYS[2] holders   <q>:{p}:holders
  KEYS[3] fences    <q>:{p}:fences
  KEYS[4] ready     <q>:{p}:ready
  KEYS[5] stats     <q>:{p}:stats

  ARGV[1] max leases to reap in this call
  ARGV[2] wake channel
  ARGV[3] partition

  Returns a flat array {orderId1, newFence1, orderId2, newFence2, ...}.
]]
-- @include now
-- @include wake

local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now(), 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, oid in ipairs(expired) do
  redis.call('ZREM', KEYS[1], oid)
  redis.call('HDEL', KEYS[2], oid)
  local fence = redis.call('HINCRBY', KEYS[3], oid, 1)
  wake(redis.call('LPUSH', KEYS[4], oid), ARGV[2], ARGV[3])
  out[#out + 1] = oid
  out[#out + 1] = fence
end
if #expired > 0 then
  redis.call('HINCRBY', KEYS[5], 'leased', -#expired)
  redis.call('HINCRBY', KEYS[5], 'ready', #expired)
  redis.call('HINCRBY', KEYS[5], 'stallsRecovered', #expired)
end
return out
