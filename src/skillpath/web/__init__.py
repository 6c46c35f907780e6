"""The HTTP edge: app factory, request dependencies, error mapping, API and pages."""
