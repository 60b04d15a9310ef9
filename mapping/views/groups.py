"""Community groups: registration, profile, members, capacity offers (issue 4)."""
