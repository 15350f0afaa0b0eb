"""Password hashing (Argon2id) and the password policy."""
from __future__ import annotations

import gzip
import re
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from app.security import PasswordCheckBusy
from app.text import fold

# Django's list of 20,000 common passwords (BSD licence, see common-passwords.LICENSE),
# with Vietnamese ones added here because people choose them here.
COMMON_PASSWORDS_FILE = Path(__file__).parent / "common-passwords.txt.gz"
VIETNAMESE_COMMON = {
    "matkhau", "matkhau123", "matkhau@123", "anhyeuem", "anhyeuem123", "emyeuanh", "yeuem123",
    "vietnam", "vietnam123", "hanoi123", "saigon123", "123456789a", "a123456789", "1234567890a",
}
# Words that make a weak password when only digits and signs are added to them: "matkhau2024" (mật khẩu),
# "Abc@123456", "Password!2024", "qwerty@2024".
WEAK_STEMS = frozenset({
    "matkhau", "mk", "password", "pass", "abc", "abcd", "abcde", "abcdef", "abcxyz", "qwerty", "qwe", "asdf", "zxc",
    "admin", "user", "login", "dangnhap", "xinchao", "hello", "iloveyou", "anhyeuem", "emyeuanh",
    "vietnam", "hanoi", "saigon", "haiduong", "test", "cmt", "cccd",
})
# The product's own names, which anyone who has seen the sign-in page knows.
PRODUCT_NAMES = ("baovetreem", "childprotection", "baovetre")



def _hasher() -> PasswordHasher:
    return _hasher_for(**current_app.config["PASSWORD_HASH_PARAMETERS"])


@cache
def _hasher_for(**parameters) -> PasswordHasher:
    return PasswordHasher(**parameters)


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines) | VIETNAMESE_COMMON


@cache
def _turns(concurrency: int) -> threading.BoundedSemaphore:
    """The process's hashing turns (one set per process: gunicorn's workers each build their own after forking)."""
    return threading.BoundedSemaphore(concurrency)


@contextmanager
def _hashing_turn():
    """At most PASSWORD_HASH_CONCURRENCY hashes at once in this process, each holding 64 MiB: a flood of sign-ins
    waits its turn, and a request that waits longer than PASSWORD_HASH_WAIT is answered 503 rather than piling up."""
    config = current_app.config
    turns = _turns(config["PASSWORD_HASH_CONCURRENCY"])
    if not turns.acquire(timeout=config["PASSWORD_HASH_WAIT"].total_seconds()):
        raise PasswordCheckBusy()
    try:
        yield
    finally:
        turns.release()


def hash_password(password: str) -> str:
    with _hashing_turn():
        return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    with _hashing_turn():
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
    with _hashing_turn():
        return _hasher_for(**parameters).hash("a password nobody has")


def _compact(text: str) -> str:
    """Letters and digits only, without diacritics: `Mật khẩu@2024` -> `matkhau2024`."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _unit_names(unit) -> set[str]:
    """The names of the unit and of the units above it, with and without their kind: `xacamphuc`, `camphuc`."""
    names = set()
    while unit is not None:
        folded = fold(unit.name)
        names.update({_compact(folded), _compact(folded.split(" ", 1)[-1])})
        unit = unit.parent
    return {name for name in names if len(name) >= 4}


def password_problems(password: str, username: str = "", unit=None) -> list[str]:
    """What is wrong with a new password, as messages for the person choosing it. `unit` is the person's unit,
    whose names (and those of the units above it) are as easy to guess as the username."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return [_("Use at least %(count)d characters.", count=minimum)]
    lowered = password.lower()
    compact = _compact(password)
    stem = re.sub(r"[0-9]", "", compact)
    if lowered in _common_passwords() or compact in _common_passwords() or len(stem) < 3 or stem in WEAK_STEMS:
        return [_("This password is too common; choose one that is harder to guess.")]
    if username and username.lower() in lowered:
        return [_("The password must not contain the username.")]
    if any(name in compact for name in PRODUCT_NAMES):
        return [_("The password must not contain the name of this system.")]
    if any(name in compact for name in _unit_names(unit)):
        return [_("The password must not contain the name of your unit.")]
    return []
