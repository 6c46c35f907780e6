"""People and organisation: locations, org units, roles and role skill profiles, employees,
strategic priorities, and the employment history (openings, moves, departures, performance
and engagement) that analytics reads."""
