"""Tests of the people domain."""
