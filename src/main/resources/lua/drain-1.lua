--[[
  The worker's one round trip per partition per tick: records the jobs its holders finished,
  continues or hands on each of their lanes, then claims ready lanes for the holders that are free.

  KEYS[1] ready     <q>:{p}:r   (list of order ids)
  Built from the prefix (same hash tag) and declared too, after KEYS[1], so Redis Cluster runs the
  call only where they all are (docs/DESIGN.md, "Redis Cluster"): leases k (zset: lease member ->
  deadline ms), token sequence n, delayed y (zset: order id -> due ms), failures f (hash: job id ->
  last error), stats s, paused h (zset: order id -> paused at ms, negated once held back), and the
  lanes l:<orderId> of the completions. The lanes a claim may take are not known to the caller:
  the script reads them (and the ready list's head) before its first write, so a call refused
  mid-way by a cluster in migration has written nothing, and claims only lanes read that way or
  declared.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] lease, ms
  ARGV[3] entries fetched per lane at most (its head and the events queued behind it)
  ARGV[4] wake channel
  ARGV[5] partition
  ARGV[6] "1" to move due delayed lanes to ready first, as many as there are holders to claim for
          (the caller's own retry fell due; the reaper's passes promote the rest), else "0"
  ARGV[7] C, the number of completions, then three per completion:
          lease member "<orderId>|<token>|<holder>|<since>", the finished job ids (comma-joined, the
          lane's head first), "1" to continue with the lane's next entries or "0" to hand it on;
          "r1"/"r0" when this is a resend after a lost reply
  then    H, the number of free holders, then H holder names. A completion whose lane is left empty
          (or handed on) frees its holder too. H = -1: claim nothing (the worker is closing).

  A lease is checked by its member (same order, token, holder and since) before anything is
  written for it. The finished entries are popped and compared with the ids given; a mismatch
  (impossible under a valid lease) is pushed back and refused. A resend whose first job is no
  longer at the lane's head is recognised as completed by the first call (same token and job id):
  nobody else can pop a lane's head while the lease is held, and a lane revoked from this holder
  still has the job at its head.

  A lane an operator paused (pause-1.lua) is neither continued nor claimed: a completion under its
  lease lets the lane go, and a claim that pops it from ready takes it out of the list; either way
  its paused score is negated ("held back") so resume-1.lua puts it back. The check costs one
  EXISTS per call, and one ZSCORE per lane only while the partition has a paused lane.

  Returns {readyLeft, results, claims}: results has one array per completion: {-2} LOCK_MISMATCH,
  {-3} NOT_HEAD, {3} DONE (lane idle), {5} HANDED_ON (lane back to ready), {4, entry...} CONTINUE
  (the lane's next entries, same lease), {11, entry...} COMPLETED_EARLIER (a resend; entries as for
  CONTINUE when the lease is still held and the lane has more), {12} PAUSED (completed; the lane is
  paused and waits, held back, for resume); claims has one array per claimed lane:
  {holder, leaseMember, token, entry...}. An entry is "<jobId>|<attempts>|<payload>".
]]
-- @include now
-- @include wake
-- @include orderOf
-- @include leaseMember
-- @include headEntry

local prefix = ARGV[1]
local leases = prefix .. 'k'
-- numbers handed to redis.call or joined into strings are formatted once, as integers: Lua's own
-- number-to-string conversion goes through printf's floating-point path, per use
local fetch = string.format('%d', tonumber(ARGV[3]) - 1)

local paused = prefix .. 'h'
local anyPaused = nil
-- pausedAt(oid): the lane's paused score, or nil; reads the paused zset only when it exists
local function pausedAt(oid)
  if anyPaused == nil then
    anyPaused = redis.call('EXISTS', paused) == 1
  end
  return anyPaused and redis.call('ZSCORE', paused, oid) or nil
end

local c = tonumber(ARGV[7])
local i = 8
-- Reads before the first write: the lanes a claim may take (the ready list's head, and due delayed
-- lanes when promoting), at most one per holder that can be free after the completions.
-- Only a caller that declared the keys (Redis Cluster: KEYS beyond the first) needs these reads; on
-- one Redis no call is refused half-way, so a claim pops without reading first.
local checked = #KEYS > 1
local h0 = tonumber(ARGV[8 + 3 * c])
local canRead = {}
local due = {}
local t = nil
if h0 + c > 0 and h0 >= 0 then
  if checked or ARGV[6] == '1' then
    t = now() -- a lease's deadline and since; otherwise read only when a lane is claimed
  end
  if checked then
    for _, oid in ipairs(redis.call('LRANGE', KEYS[1], 0, h0 + c - 1)) do
      redis.call('LLEN', prefix .. 'l:' .. oid)
      canRead[oid] = true
    end
  end
  if ARGV[6] == '1' then
    due = redis.call('ZRANGEBYSCORE', prefix .. 'y', '-inf', t, 'LIMIT', 0, h0 + c)
    if checked then
      for _, oid in ipairs(due) do
        redis.call('LLEN', prefix .. 'l:' .. oid)
        canRead[oid] = true
      end
    end
  end
end

local results = {}
local free = {}
local completed = 0
for _ = 1, c do
  local member, ids, cont = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  i = i + 3
  local resend = string.sub(cont, 1, 1) == 'r'
  if resend then
    cont = string.sub(cont, 2)
  end
  local oid = orderOf(member)
  local lane = prefix .. 'l:' .. oid
  canRead[oid] = true -- declared
  local expected = {}
  for id in string.gmatch(ids, '[^,]+') do
    expected[#expected + 1] = id
  end
  local held = redis.call('ZSCORE', leases, member)
  local code = nil
  if held then
    -- under a held lease nobody else pops this lane, so pop and compare; a mismatch is pushed back
    local popped = redis.call('LPOP', lane, string.format('%d', #expected)) or {}
    local mismatch = #popped ~= #expected
    for j = 1, #popped do
      if headEntry(popped[j]) ~= expected[j] then
        mismatch = true
      end
    end
    if mismatch then
      for j = #popped, 1, -1 do
        redis.call('LPUSH', lane, popped[j])
      end
      if resend and (#popped == 0 or headEntry(popped[1]) ~= expected[1]) then
        code = 11
      else
        results[#results + 1] = {-3}
      end
    else
      for j = 1, #popped do
        local id, attempts = headEntry(popped[j])
        if attempts > 0 then
          redis.call('HDEL', prefix .. 'f', id)
        end
      end
      completed = completed + #popped
      code = 4
    end
  elseif resend then
    local head = redis.call('LINDEX', lane, 0)
    if not head or headEntry(head) ~= expected[1] then
      code = 11
    else
      results[#results + 1] = {-2}
    end
  else
    results[#results + 1] = {-2}
  end
  if code and not held then
    results[#results + 1] = {11}
  elseif code then
    local pausedSince = pausedAt(oid)
    local nextEntries = {}
    if cont == '1' and not pausedSince then
      nextEntries = redis.call('LRANGE', lane, '0', fetch)
    end
    if #nextEntries > 0 then
      local r = {code}
      for j = 1, #nextEntries do
        r[j + 1] = nextEntries[j]
      end
      results[#results + 1] = r
    else
      redis.call('ZREM', leases, member)
      if pausedSince and redis.call('LLEN', lane) > 0 then
        redis.call('ZADD', paused, -math.abs(tonumber(pausedSince)), oid)
        results[#results + 1] = {code == 4 and 12 or 11}
      elseif cont ~= '1' and redis.call('LLEN', lane) > 0 then
        wake(redis.call('RPUSH', KEYS[1], oid), ARGV[4], ARGV[5])
        results[#results + 1] = {code == 4 and 5 or 11}
      else
        results[#results + 1] = {code == 4 and 3 or 11}
      end
      free[#free + 1] = string.match(member, '^%d+|%d+|(.*)|%d+$')
    end
  end
end
if completed > 0 then
  redis.call('HINCRBY', prefix .. 's', 'c', completed)
end

local h = tonumber(ARGV[i])
if h < 0 then
  free = {} -- the worker is closing: claim nothing, not even for the holders just freed
end
for j = 1, h do
  free[#free + 1] = ARGV[i + j]
end

local claims = {}
if #free > 0 then
  t = t or now()
  for _, oid in ipairs(due) do
    redis.call('ZREM', prefix .. 'y', oid)
    redis.call('RPUSH', KEYS[1], oid)
  end
  local deadline = string.format('%d', t + tonumber(ARGV[2]))
  local since = string.format('%d', t)
  local next = 1
  while next <= #free do
    -- only a lane read before the first write (or declared) is taken; the rest wait for the next call
    local oid
    if checked then
      oid = redis.call('LINDEX', KEYS[1], 0)
      if not oid or not canRead[oid] then
        break
      end
      redis.call('LPOP', KEYS[1])
    else
      oid = redis.call('LPOP', KEYS[1])
      if not oid then
        break
      end
    end
    local entries = redis.call('LRANGE', prefix .. 'l:' .. oid, '0', fetch)
    local pausedSince = #entries > 0 and pausedAt(oid)
    if pausedSince then
      redis.call('ZADD', paused, -math.abs(tonumber(pausedSince)), oid)
    elseif #entries > 0 then
      local token = redis.call('INCR', prefix .. 'n')
      local member = leaseMember(oid, string.format('%d', token), free[next], since)
      redis.call('ZADD', leases, deadline, member)
      local claim = {free[next], member, token}
      for j = 1, #entries do
        claim[j + 3] = entries[j]
      end
      claims[#claims + 1] = claim
      next = next + 1
    end
  end
end
return {redis.call('LLEN', KEYS[1]), results, claims}
