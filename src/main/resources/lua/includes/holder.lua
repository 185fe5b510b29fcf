-- holderToken(holdersKey, orderId): the fencing token of the lease on a lane, or nil when the
-- lane is not leased. A holder entry is "token|holder|since|jobId".
local function holderToken(holdersKey, orderId)
  local h = redis.call('HGET', holdersKey, orderId)
  if not h then
    return nil
  end
  return tonumber(string.match(h, '^(%d+)|'))
end

-- wake(readyLen, channel, partition): tells idle workers a partition has work, only when its
-- ready list just went from empty to non-empty (busy workers will find the rest themselves).
local function wake(readyLen, channel, partition)
  if readyLen == 1 then
    redis.call('PUBLISH', channel, partition)
  end
end

-- headHolderError(laneKey, holdersKey, orderId, token, jobId): nil when the caller holds the lane's
-- current lease and the job is its head; else the refusal {-2} LOCK_MISMATCH or {-3} NOT_HEAD.
local function headHolderError(laneKey, holdersKey, orderId, token, jobId)
  if holderToken(holdersKey, orderId) ~= tonumber(token) then
    return {-2}
  end
  if redis.call('LINDEX', laneKey, 0) ~= jobId then
    return {-3}
  end
  return nil
end

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
