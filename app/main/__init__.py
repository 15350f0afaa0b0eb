"""The home page of each role and the language switch."""
