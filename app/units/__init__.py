"""Administrative units: a tree loaded from the official CSV lists (DESIGN.md section 2)."""
