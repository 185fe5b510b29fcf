-- leaseMember(orderId, token, holder, since): a lease as a member of the leases zset,
-- "<orderId>|<token>|<holder>|<since>". The holder knows it whole, so one ZSCORE checks that the
-- lease is still theirs and still under the same token; the console reads holder and since from it.
local function leaseMember(orderId, token, holder, since)
  return orderId .. '|' .. token .. '|' .. holder .. '|' .. since
end
