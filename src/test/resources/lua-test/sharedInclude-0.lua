-- @include failedHead
-- @include headEntry
-- @include failedHead
return 1
