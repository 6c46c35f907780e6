"""Skillpath: an open-source skills-intelligence and upskilling platform for employers."""

__version__ = "0.1.0"
