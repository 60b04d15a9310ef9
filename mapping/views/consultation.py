"""Resident consultation: officer pages and the public form (issue 6)."""
