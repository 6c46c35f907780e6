"""Tests of the taxonomy domain."""
