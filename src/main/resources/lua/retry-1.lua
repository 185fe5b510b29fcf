--[[
  Retries a failed head in place after a backoff: the attempt is counted in the entry, the lease is
  dropped and the lane waits in delayed (the lane keeps its head, so the order's events stay in
  order). With revoke = 1 (the handler overran its deadline and may still be writing) the lane is
  revoked instead, under a new fence, and handOn moves it to delayed once the store's fence is up.

  KEYS[1] delayed   <q>:{p}:y   (zset: order id -> due, ms)
  Declared too, after KEYS[1] (built from the prefix; docs/DESIGN.md, "Redis Cluster"):
  leases k, failures f, stats s, revoked v, token sequence n, the lease's lane l:<orderId>.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] lease member
  ARGV[3] job id (must be the lane's head)
  ARGV[4] error
  ARGV[5] backoff, ms
  ARGV[6] "1" to revoke (deadline passed), else "0"
  ARGV[7] revocation grace, ms (how long the caller has to raise the store's fence)

  Returns {-2} LOCK_MISMATCH, {-3} NOT_HEAD, or {6, attempts, revocation member or ''}
  RETRY_SCHEDULED.
]]
-- @include now
-- @include orderOf
-- @include headEntry
-- @include failedHead
-- @include recordFailure
-- @include revoke

local prefix = ARGV[1]
local head, attempts = failedHead(prefix, ARGV[2], ARGV[3])
if not head then
  return attempts
end
local t = now()
local made = recordFailure(prefix, ARGV[2], head, attempts, ARGV[4])
redis.call('HINCRBY', prefix .. 's', 't', 1)
local due = t + tonumber(ARGV[5])
if ARGV[6] == '1' then
  return {6, made, revoke(prefix, orderOf(ARGV[2]), t, due, tonumber(ARGV[7]))}
end
redis.call('ZADD', KEYS[1], due, orderOf(ARGV[2]))
return {6, made, ''}
