--[[
  Parks a lane whose head failed its last attempt: its later events wait for an operator's retry
  or skip; other orders flow. With revoke = 1 (the last attempt overran its deadline) the lane is
  revoked first, and handOn parks it once the store's fence is up.

  KEYS[1] parked    <q>:{p}:z   (zset: order id -> parked at, ms)
  Declared too, after KEYS[1] (built from the prefix; docs/DESIGN.md, "Redis Cluster"):
  leases k, failures f, revoked v, token sequence n, the lease's lane l:<orderId>.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] lease member
  ARGV[3] job id (must be the lane's head)
  ARGV[4] error
  ARGV[5] "1" to revoke, else "0"
  ARGV[6] revocation grace, ms

  Returns {-2} LOCK_MISMATCH, {-3} NOT_HEAD, or {7, attempts, revocation member or ''} PARKED.
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
if ARGV[5] == '1' then
  return {7, made, revoke(prefix, orderOf(ARGV[2]), t, -1, tonumber(ARGV[6]))}
end
redis.call('ZADD', KEYS[1], t, orderOf(ARGV[2]))
return {7, made, ''}
