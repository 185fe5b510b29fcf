-- @include orderOf
-- @include headEntry
-- failedHead(prefix, member, jobId): the head entry of a lease's lane and its attempts, when the
-- member is still a lease and jobId its lane's head; else nil and the refusal ({-2} LOCK_MISMATCH,
-- {-3} NOT_HEAD). Reads only: the retry and park scripts check everything before they write.
local function failedHead(prefix, member, jobId)
  if not redis.call('ZSCORE', prefix .. 'k', member) then
    return nil, {-2}
  end
  local lane = prefix .. 'l:' .. orderOf(member)
  local head = redis.call('LINDEX', lane, 0)
  if not head then
    return nil, {-3}
  end
  local id, attempts = headEntry(head)
  if id ~= jobId then
    return nil, {-3}
  end
  return head, attempts
end
