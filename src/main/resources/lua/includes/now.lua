-- now(): Redis server time in epoch milliseconds: one clock for every process sharing the queue,
-- so lease deadlines never depend on client clock skew.
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
