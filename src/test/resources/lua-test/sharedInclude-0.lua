-- @include headHolderError
-- @include holderToken
-- @include headHolderError
return 1
