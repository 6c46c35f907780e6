"""Pure scheduling logic of campaigns: reminder steps and peer selection (no database, no clock)."""
