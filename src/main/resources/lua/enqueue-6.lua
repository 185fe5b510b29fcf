--[[
  Accepts one event into its order's lane, with atomic deduplication.

  KEYS[1] dedup key   <q>:{p}:dedup:<shop|topic|id>  (string with TTL)
  KEYS[2] lane        <q>:{p}:lane:<orderId>         (list of job ids, FIFO)
  KEYS[3] job         <q>:{p}:job:<jobId>            (hash: p payload, a attempts, t accepted at)
  KEYS[4] ready       <q>:{p}:ready                  (list of order ids whose lane waits for a worker)
  KEYS[5] stats       <q>:{p}:stats                  (hash of counters)
  KEYS[6] recent dups <q>:{p}:dups                   (list of the latest duplicate hits, newest first)

  ARGV[1] order id
  ARGV[2] job id
  ARGV[3] payload (event JSON)
  ARGV[4] dedup TTL, seconds
  ARGV[5] wake channel
  ARGV[6] partition
  ARGV[7] dedup key as the ingest built it (shop|topic|id), for the recent-duplicates list

  The dedup key's value is the time the event was first accepted (ms); a hit is counted and logged
  in the recent-duplicates list as "orderId|hitAt|firstSeen|dedupKey" (kept to 200 entries).

  Returns {2} (DUPLICATE) when the dedup key exists: counted, nothing enqueued.
  Returns {1, laneLength} (QUEUED) otherwise. A lane that was idle (empty) becomes ready; a lane
  that is ready, leased, delayed or parked is non-empty, so the event just waits behind its head.
]]
-- @include now
-- @include wake

local t = now()
if not redis.call('SET', KEYS[1], t, 'NX', 'EX', ARGV[4]) then
  redis.call('HINCRBY', KEYS[5], 'dedupHits', 1)
  local first = redis.call('GET', KEYS[1]) or ''
  redis.call('LPUSH', KEYS[6], ARGV[1] .. '|' .. t .. '|' .. first .. '|' .. ARGV[7])
  redis.call('LTRIM', KEYS[6], 0, 199)
  return {2}
end
redis.call('HSET', KEYS[3], 'p', ARGV[3], 'a', 0, 't', t)
local len = redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('HINCRBY', KEYS[5], 'waiting', 1)
redis.call('HINCRBY', KEYS[5], 'enqueued', 1)
if len == 1 then
  local readyLen = redis.call('RPUSH', KEYS[4], ARGV[1])
  redis.call('HINCRBY', KEYS[5], 'ready', 1)
  wake(readyLen, ARGV[5], ARGV[6])
end
return {1, len}
