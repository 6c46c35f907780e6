"""Assessment campaigns (population, raters, tasks, answers, reminders) and the monthly skills
pulse: structured ways of collecting skill evidence from many people at once."""
