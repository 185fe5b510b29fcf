--[[
  Stalled-lane recovery and timers of one partition. Every lease past its deadline (its worker
  died, stalled or overran) is revoked under a new fence; revocations whose process died before
  handing the lane on are picked up again; delayed lanes that are due go back to ready.
  The lanes are not handed on here: the caller raises the store's fence for each revocation and
  then runs handOn, so no new holder starts while a revoked one can still write (I1, I6).

  Then a bounded sweep for lanes in no state: a lane with entries that is not ready, leased, revoked,
  delayed, parked or held back by a pause is put back to ready (a script refused mid-way by a
  cluster in migration, or a claim that read a lane not yet moved to its new master, can leave one;
  docs/DESIGN.md, "Redis Cluster"). The sweep walks the node's keys with SCAN, a cursor kept in the
  partition's o key, and is skipped while the ready list is longer than 1,000 (it runs once the
  partition quiets down); the lanes it finds exist on this node, so reading them is safe.

  KEYS[1] leases    <q>:{p}:k   (zset: lease member -> deadline, ms)
  Built from the prefix and declared too, after KEYS[1] (docs/DESIGN.md, "Redis Cluster"): revoked v
  (zset: "<orderId>|<fence>|<due>" -> deadline to hand on), delayed y, ready r, token sequence n,
  stats s, parked z, paused h, sweep cursor o.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] max leases (and revocations, and due lanes) in this call
  ARGV[3] revocation grace, ms
  ARGV[4] wake channel
  ARGV[5] partition
  ARGV[6] SCAN MATCH pattern of the partition's lanes (the prefix, glob-escaped, then "l:*")
  ARGV[7] SCAN COUNT of the sweep, 0 for no sweep

  Returns {readyLen, {"<orderId>|<fence>|<due>", ...}, lanesReadied}: the ready lanes left (an idle
  worker whose wake-up message was lost finds them this way), the revocations to finish and the
  lanes in no state the sweep put back to ready (counted in the stats as "or").
]]
-- @include now
-- @include wake
-- @include orderOf
-- @include revoke

local prefix = ARGV[1]
local max = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local t = now()
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', t, 'LIMIT', 0, max)
local unfinished = redis.call('ZRANGEBYSCORE', prefix .. 'v', '-inf', t, 'LIMIT', 0, max)
local due = redis.call('ZRANGEBYSCORE', prefix .. 'y', '-inf', t, 'LIMIT', 0, max)

local out = {}
for _, member in ipairs(unfinished) do
  redis.call('ZADD', prefix .. 'v', t + grace, member)
  out[#out + 1] = member
end
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  out[#out + 1] = revoke(prefix, orderOf(member), t, 0, grace)
end
if #expired > 0 then
  redis.call('HINCRBY', prefix .. 's', 'x', #expired)
end
for _, oid in ipairs(due) do
  redis.call('ZREM', prefix .. 'y', oid)
  wake(redis.call('RPUSH', prefix .. 'r', oid), ARGV[4], ARGV[5])
end
local readied = 0
local sweepCount = tonumber(ARGV[7])
local readyLen = redis.call('LLEN', prefix .. 'r')
if sweepCount > 0 and readyLen <= 1000 then
  local cursor = redis.call('GET', prefix .. 'o') or '0'
  local scanned = redis.call('SCAN', cursor, 'MATCH', ARGV[6], 'COUNT', sweepCount)
  local found = scanned[2]
  local orphans = {}
  if #found > 0 then
    local inState = {}
    for _, oid in ipairs(redis.call('LRANGE', prefix .. 'r', 0, -1)) do
      inState[oid] = true
    end
    for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
      inState[orderOf(member)] = true
    end
    for _, member in ipairs(redis.call('ZRANGE', prefix .. 'v', 0, -1)) do
      inState[orderOf(member)] = true
    end
    local laneAt = string.len(prefix) + 3 -- after "<prefix>l:"
    for _, lane in ipairs(found) do
      local oid = string.sub(lane, laneAt)
      if not inState[oid] and redis.call('LLEN', lane) > 0
          and not redis.call('ZSCORE', prefix .. 'y', oid) and not redis.call('ZSCORE', prefix .. 'z', oid) then
        local pausedAt = redis.call('ZSCORE', prefix .. 'h', oid)
        if not (pausedAt and tonumber(pausedAt) < 0) then
          orphans[#orphans + 1] = oid
        end
      end
    end
  end
  for _, oid in ipairs(orphans) do
    readyLen = redis.call('RPUSH', prefix .. 'r', oid)
    wake(readyLen, ARGV[4], ARGV[5])
  end
  readied = #orphans
  if readied > 0 then
    redis.call('HINCRBY', prefix .. 's', 'or', readied)
  end
  if scanned[1] == '0' then
    redis.call('DEL', prefix .. 'o')
  else
    redis.call('SET', prefix .. 'o', scanned[1])
  end
end
return {readyLen, out, readied}
