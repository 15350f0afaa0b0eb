"""Signing in and out, sessions, passwords and API tokens."""
