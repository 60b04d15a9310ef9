"""Officer review of newly registered groups (issue 4)."""
