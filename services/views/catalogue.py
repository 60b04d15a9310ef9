"""The service catalogue for officers (issue 5)."""
