"""Password hashing (Argon2id) and the password policy."""
from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

# Django's list of 20,000 common passwords (BSD licence, see common-passwords.LICENSE),
# with Vietnamese ones added here because people choose them here.
COMMON_PASSWORDS_FILE = Path(__file__).parent / "common-passwords.txt.gz"
VIETNAMESE_COMMON = {
    "matkhau", "matkhau123", "matkhau@123", "anhyeuem", "anhyeuem123", "emyeuanh", "yeuem123",
    "vietnam", "vietnam123", "hanoi123", "saigon123", "123456789a", "a123456789", "1234567890a",
}



def _hasher() -> PasswordHasher:
    return _hasher_for(**current_app.config["PASSWORD_HASH_PARAMETERS"])


@cache
def _hasher_for(**parameters) -> PasswordHasher:
    return PasswordHasher(**parameters)


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines) | VIETNAMESE_COMMON


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def spend_verification_time() -> None:
    """Take as long as a real check, so an unknown username answers no faster than a wrong password."""
    verify_password(_dummy_hash(), "not the password")


def _dummy_hash() -> str:
    return _dummy_hash_for(**current_app.config["PASSWORD_HASH_PARAMETERS"])


@cache
def _dummy_hash_for(**parameters) -> str:
    return _hasher_for(**parameters).hash("a password nobody has")


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password, as messages for the person choosing it."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return [_("Use at least %(count)d characters.", count=minimum)]
    lowered = password.lower()
    if lowered in _common_passwords():
        return [_("This password is too common; choose one that is harder to guess.")]
    if username and username.lower() in lowered:
        return [_("The password must not contain the username.")]
    return []
