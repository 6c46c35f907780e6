"""Benchmarks: each module `b<N>_*.py` builds its own seeded data, measures the fast path and a
plain reference in the same run, prints a table and ends with one `RESULT {json}` line."""
