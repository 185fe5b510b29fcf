-- failHead(jobKey, leasesKey, holdersKey, statsKey, orderId, err): records a failed attempt of a
-- leased lane's head (attempts + 1, last error) and drops the lease, leaving the head in its lane.
-- Returns the attempts made. The caller decides where the lane waits (delayed or parked).
local function failHead(jobKey, leasesKey, holdersKey, statsKey, orderId, err)
  local attempts = redis.call('HINCRBY', jobKey, 'a', 1)
  redis.call('HSET', jobKey, 'err', err)
  redis.call('ZREM', leasesKey, orderId)
  redis.call('HDEL', holdersKey, orderId)
  redis.call('HINCRBY', statsKey, 'leased', -1)
  return attempts
end
