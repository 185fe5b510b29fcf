--[[
  Finishes a revocation once the store's fence is raised: the lane goes back to the front of ready
  (its head runs again under a new holder), to delayed (a retry after an overrun), or to parked.
  Only one caller finishes a revocation; the others get NOT_HELD.

  KEYS[1] revoked   <q>:{p}:v   (zset: "<orderId>|<fence>|<due>" -> deadline to hand on)
  Declared too, after KEYS[1] (built from the prefix; docs/DESIGN.md, "Redis Cluster"):
  the lane l:<orderId>, parked z, delayed y, ready r.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] revocation member
  ARGV[3] wake channel
  ARGV[4] partition

  Returns {-1} NOT_HELD (finished already), {3} DONE (the lane is empty: idle), {5} HANDED_ON,
  {6} RETRY_SCHEDULED (delayed), {7} PARKED.
]]
-- @include now
-- @include wake

local prefix = ARGV[1]
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return {-1}
end
local oid, due = string.match(ARGV[2], '^(%d+)|%d+|(-?%d+)$')
due = tonumber(due)
local len = redis.call('LLEN', prefix .. 'l:' .. oid)
redis.call('ZREM', KEYS[1], ARGV[2])
if len == 0 then
  return {3}
end
if due < 0 then
  redis.call('ZADD', prefix .. 'z', now(), oid)
  return {7}
end
if due > 0 and due > now() then
  redis.call('ZADD', prefix .. 'y', due, oid)
  return {6}
end
wake(redis.call('LPUSH', prefix .. 'r', oid), ARGV[3], ARGV[4])
return {5}
