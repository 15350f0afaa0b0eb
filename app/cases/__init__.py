"""Cases: from the report to closure, along the statutory steps (DESIGN.md section 3)."""
