--[[
  Retries the failed head job of a leased lane IN PLACE: the job stays at the head (so the
  order's later events keep waiting behind it: I2, docs/DESIGN.md, "Invariants"), the lease is dropped
  and the lane waits out a backoff in the delayed zset; claim promotes it back to ready when due.

  KEYS[1] lane      <q>:{p}:lane:<orderId>
  KEYS[2] job       <q>:{p}:job:<jobId>
  KEYS[3] leases    <q>:{p}:leases
  KEYS[4] holders   <q>:{p}:holders
  KEYS[5] delayed   <q>:{p}:delayed
  KEYS[6] stats     <q>:{p}:stats

  ARGV[1] order id
  ARGV[2] token
  ARGV[3] job id
  ARGV[4] error message
  ARGV[5] backoff, ms

  Returns {-2} LOCK_MISMATCH, {-3} NOT_HEAD, or {6, attempts} RETRY_SCHEDULED.
]]
-- @include now
-- @include headHolderError
-- @include failHead

local refused = headHolderError(KEYS[1], KEYS[4], ARGV[1], ARGV[2], ARGV[3])
if refused then
  return refused
end
local attempts = failHead(KEYS[2], KEYS[3], KEYS[4], KEYS[6], ARGV[1], ARGV[4])
redis.call('ZADD', KEYS[5], now() + tonumber(ARGV[5]), ARGV[1])
redis.call('HINCRBY', KEYS[6], 'delayed', 1)
redis.call('HINCRBY', KEYS[6], 'retries', 1)
return {6, attempts}
