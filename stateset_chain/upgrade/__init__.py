"""The upgrade module: planned, in-place state migrations (the Cosmos SDK's x/upgrade)."""
