--[[
  Renews the leases a holder still owns (the watchdog, every lease/3), in one call per partition.

  KEYS[1] leases    <q>:{p}:k   (zset: lease member -> deadline, ms)

  ARGV[1] lease, ms
  ARGV[2..] lease members "<orderId>|<token>|<holder>|<since>"

  Returns the members that are no longer leases (released, reaped, revoked): those holders have lost
  their lane and must not complete it.
]]
-- @include now

local deadline = now() + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], deadline, ARGV[i])
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
