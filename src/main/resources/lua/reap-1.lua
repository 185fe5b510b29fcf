--[[
  Stalled-lane recovery and timers of one partition. Every lease past its deadline (its worker
  died, stalled or overran) is revoked under a new fence; revocations whose process died before
  handing the lane on are picked up again; delayed lanes that are due go back to ready.
  The lanes are not handed on here: the caller raises the store's fence for each revocation and
  then runs handOn, so no new holder starts while a revoked one can still write (I1, I6).

  KEYS[1] leases    <q>:{p}:k   (zset: lease member -> deadline, ms)
  Built from the prefix: revoked v (zset: "<orderId>|<fence>|<due>" -> deadline to hand on),
  delayed y, ready r, token sequence n, stats s.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] max leases (and revocations, and due lanes) in this call
  ARGV[3] revocation grace, ms
  ARGV[4] wake channel
  ARGV[5] partition

  Returns {readyLen, {"<orderId>|<fence>|<due>", ...}}: the ready lanes left (an idle worker whose
  wake-up message was lost finds them this way) and the revocations to finish.
]]
-- @include now
-- @include wake
-- @include orderOf
-- @include revoke

local prefix = ARGV[1]
local max = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local t = now()
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', t, 'LIMIT', 0, max)
local unfinished = redis.call('ZRANGEBYSCORE', prefix .. 'v', '-inf', t, 'LIMIT', 0, max)
local due = redis.call('ZRANGEBYSCORE', prefix .. 'y', '-inf', t, 'LIMIT', 0, max)

local out = {}
for _, member in ipairs(unfinished) do
  redis.call('ZADD', prefix .. 'v', t + grace, member)
  out[#out + 1] = member
end
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  out[#out + 1] = revoke(prefix, orderOf(member), t, 0, grace)
end
if #expired > 0 then
  redis.call('HINCRBY', prefix .. 's', 'x', #expired)
end
for _, oid in ipairs(due) do
  redis.call('ZREM', prefix .. 'y', oid)
  wake(redis.call('RPUSH', prefix .. 'r', oid), ARGV[4], ARGV[5])
end
return {redis.call('LLEN', prefix .. 'r'), out}
