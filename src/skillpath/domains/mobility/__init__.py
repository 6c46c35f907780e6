"""Internal mobility: opportunities, explained matching, career paths."""
