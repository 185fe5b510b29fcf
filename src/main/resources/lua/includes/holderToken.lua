-- holderToken(holdersKey, orderId): the fencing token of the lease on a lane (the first field of
-- its holder entry, see holderEntry), or nil when the lane is not leased.
local function holderToken(holdersKey, orderId)
  local h = redis.call('HGET', holdersKey, orderId)
  if not h then
    return nil
  end
  return tonumber(string.match(h, '^(%d+)|'))
end
