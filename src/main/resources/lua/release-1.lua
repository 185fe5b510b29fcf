--[[
  Revokes one lease on purpose: an operator's release (any holder of the order) or a shutting-down
  worker handing back a lane it holds (its own lease member, so it can never revoke another
  process's live holder). The lane is revoked under a new fence; the caller raises the store's
  fence and runs handOn, after which the head runs again under a new holder. Nothing is lost.

  KEYS[1] leases    <q>:{p}:k   (zset: lease member -> deadline, ms)
  Declared too, after KEYS[1] (built from the prefix; docs/DESIGN.md, "Redis Cluster"):
  stats s, revoked v, token sequence n.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] order id
  ARGV[3] the lease member to release, or '' for whichever lease the order has (operator)
  ARGV[4] revocation grace, ms
  ARGV[5] "1" to count it as an operator release

  Returns {-1} NOT_HELD, or {8, fence, revocation member} RELEASED.
]]
-- @include now
-- @include revoke

local prefix = ARGV[1]
local member = nil
if ARGV[3] ~= '' then
  if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
    member = ARGV[3]
  end
else
  local p = ARGV[2] .. '|'
  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if string.sub(m, 1, string.len(p)) == p then
      member = m
      break
    end
  end
end
if not member then
  return {-1}
end
local t = now()
redis.call('ZREM', KEYS[1], member)
if ARGV[5] == '1' then
  redis.call('HINCRBY', prefix .. 's', 'rl', 1)
end
local revoked = revoke(prefix, ARGV[2], t, 0, tonumber(ARGV[4]))
return {8, tonumber(string.match(revoked, '^%d+|(%d+)|')), revoked}
