--[[
  An operator skips the head of a parked lane: the poison job is dropped (its payload returned
  so the caller can journal it) and the lane resumes with its next event, or becomes idle.

  KEYS[1] lane      <q>:{p}:lane:<orderId>
  KEYS[2] parked    <q>:{p}:parked
  KEYS[3] ready     <q>:{p}:ready
  KEYS[4] stats     <q>:{p}:stats

  ARGV[1] order id
  ARGV[2] key prefix of the partition, "<q>:{p}:"
  ARGV[3] wake channel
  ARGV[4] partition

  Returns {-4} NOT_PARKED, or {10, skippedJobId, skippedPayload, laneLeft} SKIPPED.
]]
-- @include wake

if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then
  return {-4}
end
local head = redis.call('LPOP', KEYS[1])
local jobKey = ARGV[2] .. 'job:' .. head
local payload = redis.call('HGET', jobKey, 'p') or ''
redis.call('DEL', jobKey)
redis.call('HINCRBY', KEYS[4], 'parked', -1)
redis.call('HINCRBY', KEYS[4], 'waiting', -1)
redis.call('HINCRBY', KEYS[4], 'skipped', 1)
local left = redis.call('LLEN', KEYS[1])
if left > 0 then
  redis.call('HINCRBY', KEYS[4], 'ready', 1)
  wake(redis.call('RPUSH', KEYS[3], ARGV[1]), ARGV[3], ARGV[4])
end
return {10, head, payload, left}
