"""Open Referral UK read-only API (issue 8)."""
