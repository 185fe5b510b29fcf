--[[
  Renews the leases a holder still owns (the watchdog, every lease/3), in one call per partition.
  A lease whose token is no longer current (released, reaped, re-claimed) is not touched.

  KEYS[1] leases    <q>:{p}:leases
  KEYS[2] holders   <q>:{p}:holders

  ARGV[1] lease, ms
  ARGV[2..] pairs: order id, token

  Returns the order ids whose lease was lost.
]]
-- @include now
-- @include holderToken

local deadline = now() + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 2 do
  local oid = ARGV[i]
  if holderToken(KEYS[2], oid) == tonumber(ARGV[i + 1]) then
    redis.call('ZADD', KEYS[1], 'XX', deadline, oid)
  else
    lost[#lost + 1] = oid
  end
end
return lost
