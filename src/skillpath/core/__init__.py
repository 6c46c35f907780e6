"""Framework-free building blocks shared by every layer: errors, clock, ids and array types."""
