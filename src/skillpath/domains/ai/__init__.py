"""Text → skills: rank the skills of a taxonomy for a sentence or a document, with the words that
support each suggestion and a calibrated confidence; job titles → roles and occupations."""
