-- withAttempts(entry, attempts): the lane entry "<jobId>|<attempts>|<payload>" with its attempts set.
local function withAttempts(entry, attempts)
  local id, payload = string.match(entry, '^([^|]*)|%d+|(.*)$')
  return id .. '|' .. attempts .. '|' .. payload
end
