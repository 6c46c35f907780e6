"""Identity: users and their roles, API tokens, login throttling, visibility and the audit log."""
