-- holderEntry(token, holder, since, jobId): the value of a lane in the holders hash,
-- "token|holder|since|jobId" (fencing token, worker id/thread, lease start in ms, head job id);
-- read back in Java by dev.lockstep.queue.HolderEntry.parse, in Lua by holderToken.
local function holderEntry(token, holder, since, jobId)
  return token .. '|' .. holder .. '|' .. since .. '|' .. jobId
end
