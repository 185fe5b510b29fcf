-- @include testCycleB
local a = 1
