--[[
  Accepts a batch of events of one partition into their orders' lanes, each with atomic dedup: the
  group commit of concurrent webhooks, one call per partition per batch.

  KEYS[1] ready          <q>:{p}:r   (list of order ids whose lane waits for a worker)
  Built from the prefix (same hash tag, so one slot) and declared too, after KEYS[1] (docs/DESIGN.md,
  "Redis Cluster"): stats s, recent duplicates u, dedup buckets d:<n> and d:<n-1>, the events' lanes
  l:<orderId>.

  ARGV[1] partition prefix "<q>:{p}:"
  ARGV[2] wake channel
  ARGV[3] partition
  ARGV[4] current dedup bucket number n = floor(now / width): buckets n and n - 1 are checked, so
          a key is remembered for at least one width and at most two; older buckets have expired
  ARGV[5] bucket width, ms (first-seen times are stored as ms offsets from the bucket's start)
  ARGV[6] current bucket's expiry, epoch seconds (the end of bucket n + 1), or 0 when the caller
          has set it already (it is fixed per bucket)
  ARGV[7] now, epoch ms (the client's clock, as the dedup window is the client's)
  ARGV[8..] four per event: order id, dedup hash, dedup key (readable), lane entry
            "<jobId>|0|<payload>"

  Every read (both buckets, one HMGET each) comes before the first write; the keys first seen are
  written with one HSET at the end. A duplicate is counted and logged
  in the recent-duplicates list as "orderId|hitAt|firstSeen|dedupKey" (200 entries kept).

  Returns one code per event, 1 QUEUED or 2 DUPLICATE, then 1 when the bucket's expiry was set by
  this call (else 0: the caller sends it again next time).
]]
-- @include wake

local prefix = ARGV[1]
local bucket = tonumber(ARGV[4])
local cur = prefix .. 'd:' .. bucket
local prev = prefix .. 'd:' .. (bucket - 1)
local width = tonumber(ARGV[5])
local start = bucket * width
local t = tonumber(ARGV[7])
local n = (#ARGV - 7) / 4

-- mget(key, fields): HMGET in slices (Lua's unpack has a stack limit); nil where a field is absent
local function mget(key, fields)
  if #fields <= 1000 then
    return redis.call('HMGET', key, unpack(fields))
  end
  local out = {}
  for from = 1, #fields, 1000 do
    local part = redis.call('HMGET', key, unpack(fields, from, math.min(from + 999, #fields)))
    for j = 1, #part do
      out[from + j - 1] = part[j]
    end
  end
  return out
end

local hashes = {}
for i = 1, n do
  hashes[i] = ARGV[7 + (i - 1) * 4 + 2]
end
-- both buckets read with one command each, before the first write
local inPrev = mget(prev, hashes)
local inCur = mget(cur, hashes)

local out = {}
local fresh = {}      -- field, value pairs of the keys first seen in this call
local offset = string.format('%d', t - start) -- formatted once (Lua's own conversion is printf's float path)
local acceptedNow = {} -- a key twice in one call: the second is a duplicate of the first
local queued, dups = 0, 0
for i = 1, n do
  local base = 7 + (i - 1) * 4
  local oid, hash = ARGV[base + 1], hashes[i]
  if not inPrev[i] and not inCur[i] and not acceptedNow[hash] then
    acceptedNow[hash] = true
    fresh[#fresh + 1] = hash
    fresh[#fresh + 1] = offset
    local len = redis.call('RPUSH', prefix .. 'l:' .. oid, ARGV[base + 4])
    if len == 1 then
      wake(redis.call('RPUSH', KEYS[1], oid), ARGV[2], ARGV[3])
    end
    queued = queued + 1
    out[i] = 1
  else
    dups = dups + 1
    local firstSeen
    if inPrev[i] then
      firstSeen = start - width + tonumber(inPrev[i])
    elseif inCur[i] then
      firstSeen = start + tonumber(inCur[i])
    else
      firstSeen = t
    end
    redis.call('LPUSH', prefix .. 'u', oid .. '|' .. t .. '|' .. firstSeen .. '|' .. ARGV[base + 3])
    out[i] = 2
  end
end
for from = 1, #fresh, 2000 do
  redis.call('HSET', cur, unpack(fresh, from, math.min(from + 1999, #fresh)))
end
local expirySet = 0
if queued > 0 then
  redis.call('HINCRBY', prefix .. 's', 'e', queued)
  if ARGV[6] ~= '0' then
    redis.call('EXPIREAT', cur, ARGV[6])
    expirySet = 1
  end
end
if dups > 0 then
  redis.call('HINCRBY', prefix .. 's', 'd', dups)
  redis.call('LTRIM', prefix .. 'u', 0, 199)
end
out[n + 1] = expirySet
return out
