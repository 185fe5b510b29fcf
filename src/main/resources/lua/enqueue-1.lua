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

  Every read (the previous bucket) comes before the first write. A duplicate is counted and logged
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

local seenBefore = {}
for i = 1, n do
  local base = 7 + (i - 1) * 4
  seenBefore[i] = redis.call('HGET', prev, ARGV[base + 2])
end

local out = {}
local queued, dups = 0, 0
for i = 1, n do
  local base = 7 + (i - 1) * 4
  local oid, hash = ARGV[base + 1], ARGV[base + 2]
  if not seenBefore[i] and redis.call('HSETNX', cur, hash, t - start) == 1 then
    local len = redis.call('RPUSH', prefix .. 'l:' .. oid, ARGV[base + 4])
    if len == 1 then
      wake(redis.call('RPUSH', KEYS[1], oid), ARGV[2], ARGV[3])
    end
    queued = queued + 1
    out[i] = 1
  else
    dups = dups + 1
    local firstSeen
    if seenBefore[i] then
      firstSeen = start - width + tonumber(seenBefore[i])
    else
      firstSeen = start + tonumber(redis.call('HGET', cur, hash))
    end
    redis.call('LPUSH', prefix .. 'u', oid .. '|' .. t .. '|' .. firstSeen .. '|' .. ARGV[base + 3])
    out[i] = 2
  end
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
