-- @include testCycleA
local b = 1
