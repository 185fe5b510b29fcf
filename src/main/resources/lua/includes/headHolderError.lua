-- @include holderToken

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
