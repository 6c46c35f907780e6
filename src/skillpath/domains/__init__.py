"""The business domains of Skillpath; each owns its tables, rules and pure engines."""
