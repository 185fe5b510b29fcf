--[[
  Claims up to N ready lanes of one partition, one per named holder (the idle worker threads that
  will run them): each gets a lease (deadline in the leases zset), a fresh fencing token (INCR of the
  order's fence) and returns its head job.
  Lanes whose retry backoff is over are promoted from delayed to ready first.

  KEYS[1] ready     <q>:{p}:ready    (list of order ids)
  KEYS[2] leases    <q>:{p}:leases   (zset: order id -> lease deadline, ms)
  KEYS[3] holders   <q>:{p}:holders  (hash: order id -> "token|holder|since|jobId")
  KEYS[4] fences    <q>:{p}:fences   (hash: order id -> last fencing token)
  KEYS[5] delayed   <q>:{p}:delayed  (zset: order id -> due time, ms)
  KEYS[6] stats     <q>:{p}:stats

  ARGV[1] key prefix of the partition, "<q>:{p}:" (lane and job keys share the hash tag)
  ARGV[2] lease, ms
  ARGV[3..] holders (worker id and thread), one per lane to claim: the i-th claimed lane is theirs

  Returns a flat array: {readyLeft, orderId1, jobId1, token1, payload1, attempts1, orderId2, ...}.
]]
-- @include now
-- @include holderEntry

local t = now()
local due = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', t, 'LIMIT', 0, 1000)
for _, oid in ipairs(due) do
  redis.call('ZREM', KEYS[5], oid)
  redis.call('RPUSH', KEYS[1], oid)
end
if #due > 0 then
  redis.call('HINCRBY', KEYS[6], 'delayed', -#due)
  redis.call('HINCRBY', KEYS[6], 'ready', #due)
end

local out = {0}
local claimed = 0
local max = #ARGV - 2
local deadline = t + tonumber(ARGV[2])
while claimed < max do
  local oid = redis.call('LPOP', KEYS[1])
  if not oid then
    break
  end
  redis.call('HINCRBY', KEYS[6], 'ready', -1)
  local head = redis.call('LINDEX', ARGV[1] .. 'lane:' .. oid, 0)
  if head then
    local token = redis.call('HINCRBY', KEYS[4], oid, 1)
    redis.call('ZADD', KEYS[2], deadline, oid)
    redis.call('HSET', KEYS[3], oid, holderEntry(token, ARGV[3 + claimed], t, head))
    redis.call('HINCRBY', KEYS[6], 'leased', 1)
    local job = redis.call('HMGET', ARGV[1] .. 'job:' .. head, 'p', 'a')
    out[#out + 1] = oid
    out[#out + 1] = head
    out[#out + 1] = token
    out[#out + 1] = job[1] or ''
    out[#out + 1] = tonumber(job[2] or '0')
    claimed = claimed + 1
  end
end
out[1] = redis.call('LLEN', KEYS[1])
return out
