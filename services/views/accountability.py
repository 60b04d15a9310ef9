"""Public accountability pages (issue 7)."""
