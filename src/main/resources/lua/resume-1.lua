--[[
  An operator resumes a paused lane. A lane the claims took out of the ready list (its score in the
  paused zset is negative) goes back to ready when it has entries; any other paused lane is where
  it was (ready, leased, delayed, parked or idle) and only stops being paused, so no lane is ever
  in the ready list twice.

  KEYS[1] paused    <q>:{p}:h   (zset: order id -> paused at, ms; negative once taken out of ready)
  Declared too, after KEYS[1] (built from the prefix; docs/DESIGN.md, "Redis Cluster"):
  the lane l:<orderId>, ready r.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] order id
  ARGV[3] wake channel
  ARGV[4] partition

  Returns {-5} NOT_PAUSED, or {9, 1} RESUMED and made ready, or {9, 0} RESUMED where it was.
]]
-- @include wake

local prefix = ARGV[1]
local since = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not since then
  return {-5}
end
local heldBack = tonumber(since) < 0 and redis.call('LLEN', prefix .. 'l:' .. ARGV[2]) > 0
redis.call('ZREM', KEYS[1], ARGV[2])
if heldBack then
  wake(redis.call('RPUSH', prefix .. 'r', ARGV[2]), ARGV[3], ARGV[4])
  return {9, 1}
end
return {9, 0}
