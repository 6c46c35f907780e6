"""Pure engines of the evidence domain: consolidation of evidence into profiles."""
