-- headEntry(entry): job id and attempts of a lane entry "<jobId>|<attempts>|<payload>".
local function headEntry(entry)
  local id, attempts = string.match(entry, '^([^|]*)|(%d+)|')
  return id, tonumber(attempts)
end
