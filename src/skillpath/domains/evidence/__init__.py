"""Skills evidence: every dated claim about a person's skill (append-only), and their intents."""
