"""Expressions of interest, Assets of Community Value, agreements, returns (issue 7)."""
