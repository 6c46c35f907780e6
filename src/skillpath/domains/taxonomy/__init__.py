"""Skills taxonomy: sources and versions, skills and groups, aliases, relations, external ids,
proficiency scales, and imports of ESCO, O*NET and custom CSV taxonomies."""
