-- wake(readyLen, channel, partition): tells idle workers a partition has work, only when its
-- ready list just went from empty to non-empty (busy workers will find the rest themselves).
local function wake(readyLen, channel, partition)
  if readyLen == 1 then
    redis.call('PUBLISH', channel, partition)
  end
end
