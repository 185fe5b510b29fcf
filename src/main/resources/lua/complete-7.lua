--[[
  Completes the head job of a leased lane and hands the lane on: to the same holder with a fresh
  fencing token when asked to continue (saves a claim round trip, like BullMQ's moveToFinished),
  else back to ready; an emptied lane becomes idle. Refuses a holder whose token is not current.

  KEYS[1] lane      <q>:{p}:lane:<orderId>
  KEYS[2] job       <q>:{p}:job:<jobId>
  KEYS[3] leases    <q>:{p}:leases
  KEYS[4] holders   <q>:{p}:holders
  KEYS[5] fences    <q>:{p}:fences
  KEYS[6] ready     <q>:{p}:ready
  KEYS[7] stats     <q>:{p}:stats

  ARGV[1] order id
  ARGV[2] token
  ARGV[3] job id
  ARGV[4] holder
  ARGV[5] lease, ms
  ARGV[6] "1" to continue with the next job of the lane, "0" to hand the lane back
  ARGV[7] key prefix of the partition, "<q>:{p}:"
  ARGV[8] wake channel
  ARGV[9] partition

  Returns {-2} LOCK_MISMATCH (not the current holder), {-3} NOT_HEAD (job is not the lane's head),
  {3} DONE (lane now idle), {5} HANDED_ON (lane back to ready),
  {4, nextJobId, newToken, payload, attempts} CONTINUE.
]]
-- @include now
-- @include headHolderError
-- @include holderEntry
-- @include wake

local refused = headHolderError(KEYS[1], KEYS[4], ARGV[1], ARGV[2], ARGV[3])
if refused then
  return refused
end
redis.call('LPOP', KEYS[1])
redis.call('DEL', KEYS[2])
redis.call('HINCRBY', KEYS[7], 'waiting', -1)
redis.call('HINCRBY', KEYS[7], 'completed', 1)

local nextJob = redis.call('LINDEX', KEYS[1], 0)
if not nextJob then
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('HDEL', KEYS[4], ARGV[1])
  redis.call('HINCRBY', KEYS[7], 'leased', -1)
  return {3}
end
if ARGV[6] == '1' then
  local t = now()
  local token = redis.call('HINCRBY', KEYS[5], ARGV[1], 1)
  redis.call('ZADD', KEYS[3], t + tonumber(ARGV[5]), ARGV[1])
  redis.call('HSET', KEYS[4], ARGV[1], holderEntry(token, ARGV[4], t, nextJob))
  local job = redis.call('HMGET', ARGV[7] .. 'job:' .. nextJob, 'p', 'a')
  return {4, nextJob, token, job[1] or '', tonumber(job[2] or '0')}
end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HINCRBY', KEYS[7], 'leased', -1)
redis.call('HINCRBY', KEYS[7], 'ready', 1)
wake(redis.call('RPUSH', KEYS[6], ARGV[1]), ARGV[8], ARGV[9])
return {5}
