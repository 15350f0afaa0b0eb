"""Accounts: who works in the system, with which role, at which unit."""
