"""Pure engines of internal mobility: match scores and the role graph."""
