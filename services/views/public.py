"""The public service catalogue (issue 6)."""
