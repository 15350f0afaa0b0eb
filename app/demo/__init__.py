"""Demonstration data: the Hải Dương 2024 or the Hải Phòng 2025 units, one account per role, cases and referrals."""
