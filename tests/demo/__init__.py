"""Tests of the demo company generator."""
