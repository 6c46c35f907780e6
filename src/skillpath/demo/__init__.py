"""The demo company generator: a seeded generative model of an organisation, written to the
database through the domains' bulk writers (see docs/demo.md)."""
