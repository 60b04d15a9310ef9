"""Public pages: the directory of verified groups (issue 6)."""
