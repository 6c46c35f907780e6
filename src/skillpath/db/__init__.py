"""Database plumbing: declarative base, column types and session factory."""
