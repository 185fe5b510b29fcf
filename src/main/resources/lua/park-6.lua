--[[
  Parks a leased lane whose head job failed its last attempt (a poison event): the lease is
  dropped, the head stays, the order's later events wait; an operator retries or skips the head.
  A parked lane blocks only its own order.

  KEYS[1] lane      <q>:{p}:lane:<orderId>
  KEYS[2] job       <q>:{p}:job:<jobId>
  KEYS[3] leases    <q>:{p}:leases
  KEYS[4] holders   <q>:{p}:holders
  KEYS[5] parked    <q>:{p}:parked   (zset: order id -> parked at, ms)
  KEYS[6] stats     <q>:{p}:stats

  ARGV[1] order id
  ARGV[2] token
  ARGV[3] job id
  ARGV[4] error message

  Returns {-2} LOCK_MISMATCH, {-3} NOT_HEAD, or {7, attempts} PARKED.
]]
-- @include now
-- @include headHolderError
-- @include failHead

local refused = headHolderError(KEYS[1], KEYS[4], ARGV[1], ARGV[2], ARGV[3])
if refused then
  return refused
end
local attempts = failHead(KEYS[2], KEYS[3], KEYS[4], KEYS[6], ARGV[1], ARGV[4])
redis.call('ZADD', KEYS[5], now(), ARGV[1])
redis.call('HINCRBY', KEYS[6], 'parked', 1)
return {7, attempts}
