-- orderOf(member): the order id at the front of a lease or revocation member ("<orderId>|...").
local function orderOf(member)
  return string.match(member, '^(%d+)|')
end
