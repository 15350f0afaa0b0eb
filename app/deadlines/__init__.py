"""Legal deadlines: working days, the holiday calendar, and the deadlines a case carries."""
