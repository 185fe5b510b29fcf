-- @include doesNotExist
return 1
