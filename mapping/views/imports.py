"""Import upload pages for officers and admins (issue 8)."""
