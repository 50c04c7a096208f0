"""Working as a team: joining the office hub, the sync nobody has to think about."""
