"""Skills gaps: person vs role, team/unit/org roll-ups (demand, supply, coverage, bench strength)
and critical gaps ranked by business impact."""
