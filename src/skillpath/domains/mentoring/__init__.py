"""Mentoring and coaching programs: five formats with optimal, explained matching."""
