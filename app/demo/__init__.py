"""Demonstration data: the Hải Dương 2024 units and one account per role."""
