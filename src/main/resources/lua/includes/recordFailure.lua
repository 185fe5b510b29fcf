-- @include orderOf
-- @include headEntry
-- @include withAttempts
-- recordFailure(prefix, member, head, attempts, err): counts a failed attempt in the head entry
-- itself (no job hash to keep), keeps the error for the console, and drops the lease. The lane keeps
-- its head, so order holds. Returns the attempts made.
local function recordFailure(prefix, member, head, attempts, err)
  local oid = orderOf(member)
  local id = headEntry(head)
  local made = attempts + 1
  redis.call('LSET', prefix .. 'l:' .. oid, 0, withAttempts(head, made))
  redis.call('HSET', prefix .. 'f', id, err)
  redis.call('ZREM', prefix .. 'k', member)
  return made
end
