"""Learning: the catalog (items, the skills they teach, prerequisites, locales) and completions."""
