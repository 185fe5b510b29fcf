-- revoke(prefix, orderId, t, due, grace): takes a lane out of every holder's hands under a new fence
-- from the partition's token sequence and records it as revoked ("<orderId>|<fence>|<due>" in the
-- revoked zset, deadline t + grace). The lane is not handed on here: the caller raises the store's
-- fence first and then runs handOn; if it dies in between, the reaper finds the revocation past its
-- deadline and finishes it. due: 0 ready, > 0 delayed until then, -1 parked. Returns the member.
local function revoke(prefix, orderId, t, due, grace)
  local fence = redis.call('INCR', prefix .. 'n')
  local member = orderId .. '|' .. fence .. '|' .. due
  redis.call('ZADD', prefix .. 'v', t + grace, member)
  return member
end
