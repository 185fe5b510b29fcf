-- now(): Redis server time in epoch milliseconds. One clock for every process sharing the
-- queue, so lease deadlines never depend on client clock skew. Effects replication is switched
-- on first (needed before Redis 7 to write after a non-deterministic command).
local function now()
  if redis.replicate_commands then
    redis.replicate_commands()
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
