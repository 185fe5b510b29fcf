--[[
  An operator pauses one order's lane: no holder claims it until it is resumed. A lease held at
  that moment runs what it has taken and then lets the lane go without continuing; the claim that
  next pops the lane from ready takes it out of the list instead (drain-1.lua). Its events stay in
  the lane, in order. Pausing a paused lane changes nothing.

  KEYS[1] paused    <q>:{p}:h   (zset: order id -> paused at, ms; negated once the lane has been
                                 taken out of the ready list, so resume knows to put it back)

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] order id

  Returns {12, pausedAt} PAUSED (now, or earlier when it was paused already).
]]
-- @include now

local since = redis.call('ZSCORE', KEYS[1], ARGV[2])
if since then
  return {12, math.abs(tonumber(since))}
end
local t = now()
redis.call('ZADD', KEYS[1], t, ARGV[2])
return {12, t}
