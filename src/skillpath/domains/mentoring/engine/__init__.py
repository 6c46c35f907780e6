"""Pure engines of mentoring: pair scores, optimal capacitated matching, circles."""
