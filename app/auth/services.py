"""Signing in and its limits, activation codes, password changes and API tokens: the rules the pages and the API
share.

The limits per account (README, "Sign-in limits"; those per source address are in app/auth/limits.py): wrong
passwords from addresses the account has never signed in from are counted on the account, and after
LOGIN_MAX_FAILURES such addresses are refused for LOGIN_LOCKOUT; from an address the account has signed in from
(`KnownAddress`), failures slow the next attempts down instead, so that someone elsewhere who knows a username
cannot lock its owner out.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.models import AuditEntry
from app.audit.recorder import ACTIONS, Actor, act_as, actor_for, record
from app.auth.models import ApiToken, KnownAddress
from app.auth.passwords import (hash_password, needs_rehash, password_problems, spend_verification_time,
                                verify_password)
from app.orm import utcnow
from app.extensions import db
from app.security import source_address
from app.text import printable
from app.units.services import top_unit
from app.users.models import NO_PASSWORD, User, normalise_username

ACTOR_LENGTH = AuditEntry.actor.type.length
ACTIONS["activation_failed"] = _l("Activation code refused")


class SignInRefused(Exception):
    """Wrong username, wrong password, refused address or deactivated: deliberately one answer for all."""

    def __init__(self):
        super().__init__(_("The username or password is wrong, or this account is closed for a while to places it "
                           "has not signed in from. After %(count)d failed attempts from such places it is closed "
                           "to them for %(minutes)d minutes; from a computer you have signed in from before, you "
                           "can still sign in.", count=current_app.config["LOGIN_MAX_FAILURES"],
                           minutes=int(current_app.config["LOGIN_LOCKOUT"].total_seconds() // 60)))


class SignInDelayed(Exception):
    """Too many wrong passwords from an address the account knows: the next attempt must wait."""

    def __init__(self, seconds: float):
        self.seconds = max(1, int(seconds + 0.999))
        super().__init__(_("Too many wrong passwords for this account from here. Wait %(seconds)d seconds, then "
                           "try again.", seconds=self.seconds))


class AwaitingApproval(Exception):
    """The right password, for an account whose access a second person has not approved yet."""

    def __init__(self):
        super().__init__(_("Your password is right, but your account cannot be used yet: giving it access to "
                           "cases must be approved by a second person (another administrator, or the province "
                           "officer). Ask your administrator, then try again."))


class AccountLocked(Exception):
    """Too many wrong current passwords while changing it: the session ends."""


class ActivationRefused(Exception):
    def __init__(self):
        super().__init__(_("The username or the activation code is wrong, or the code has been used or has expired. "
                           "Ask your administrator for a new code."))


class PasswordRejected(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def note_refused_credentials() -> None:
    """Count this request against the source address's failures (app/auth/limits.py)."""
    if has_request_context():
        g.credentials_refused = True


def authenticate(username: str, password: str) -> User:
    """The user these credentials belong to, or `SignInRefused`, `SignInDelayed`, `AwaitingApproval`.

    The account's row stays locked until the end, so its counts hold across processes and concurrent attempts.
    """
    now = utcnow()
    username = normalise_username(username)
    user = db.session.scalar(sa.select(User).where(User.username == username).with_for_update(of=User))
    if user is None:
        spend_verification_time()
        _refuse(_stranger(username), "unknown_user")
    _attribute_to(actor_for(user))
    address = source_address()
    known = _known_address(user, address, now)
    if not user.is_active or not user.has_password or (known is None and user.is_locked(now)):
        spend_verification_time()
        _refuse(None, "deactivated" if not user.is_active else "no_password" if not user.has_password else "locked")
    wait = _wait_before_next_attempt(known, now)
    if wait > 0:
        record(db.session, "sign_in_failed", changes={"reason": "slowed_down"})
        db.session.commit()
        raise SignInDelayed(wait)
    if not verify_password(user.password_hash, password):
        _count_failure(user, known, now)
        _refuse(None, "wrong_password")
    if user.awaiting_approval:
        record(db.session, "sign_in_failed", changes={"reason": "awaiting_approval"})
        db.session.commit()
        raise AwaitingApproval()
    user.failed_sign_ins = 0
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _remember_address(user, address, now)
    record(db.session, "sign_in", entity="users", entity_id=user.id, unit_path=user.unit.path)
    db.session.commit()
    return user


def _stranger(username: str) -> Actor:
    """Who tried a username that no account has: the name as typed (printable, cut to the trail's column), filed
    under the deployment's top unit so that its inspectors see the attempt."""
    top = top_unit()
    return Actor(name=printable(username)[:ACTOR_LENGTH] or None, unit_path=top.path if top else None)


def _attribute_to(actor: Actor) -> None:
    if has_request_context():
        act_as(actor)


def _refuse(actor: Actor | None, reason: str) -> NoReturn:
    """Record the failed attempt (with the real reason, which the person is not told) and refuse."""
    record(db.session, "sign_in_failed", changes={"reason": reason}, actor=actor)
    db.session.commit()
    note_refused_credentials()
    raise SignInRefused()


def _known_address(user: User, address: str | None, now: datetime) -> KnownAddress | None:
    if address is None:
        return None
    return db.session.scalar(sa.select(KnownAddress).where(
        KnownAddress.user_id == user.id, KnownAddress.address == address,
        KnownAddress.last_sign_in_at > now - current_app.config["KNOWN_ADDRESS_KEPT_FOR"]))


def _wait_before_next_attempt(known: KnownAddress | None, now: datetime) -> float:
    """Seconds before the account may be tried again from this known address: none for the first
    LOGIN_MAX_FAILURES failures, then KNOWN_ADDRESS_FIRST_WAIT, doubled after each further one, up to
    KNOWN_ADDRESS_LONGEST_WAIT."""
    config = current_app.config
    beyond = 0 if known is None else known.failures - config["LOGIN_MAX_FAILURES"]
    if beyond < 0 or known is None or known.last_failure_at is None:
        return 0
    wait = min(config["KNOWN_ADDRESS_FIRST_WAIT"] * 2 ** min(beyond, 16), config["KNOWN_ADDRESS_LONGEST_WAIT"])
    return (known.last_failure_at + wait - now).total_seconds()


def _count_failure(user: User, known: KnownAddress | None, now: datetime) -> None:
    if known is not None:
        known.failures += 1
        known.last_failure_at = now
        return
    if user.locked_until is not None and user.locked_until <= now:
        user.failed_sign_ins, user.locked_until = 0, None
    user.failed_sign_ins += 1
    if user.failed_sign_ins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + current_app.config["LOGIN_LOCKOUT"]
        user.failed_sign_ins = 0
        record(db.session, "lockout", entity="users", entity_id=user.id, unit_path=user.unit.path,
               changes={"locked_until": [None, user.locked_until.isoformat()]})


def _remember_address(user: User, address: str | None, now: datetime) -> None:
    """The address becomes (or stays) known to the account; those not used for KNOWN_ADDRESS_KEPT_FOR are
    forgotten."""
    kept_for = current_app.config["KNOWN_ADDRESS_KEPT_FOR"]
    for stale in db.session.scalars(sa.select(KnownAddress).where(KnownAddress.user_id == user.id,
                                                                  KnownAddress.last_sign_in_at <= now - kept_for)):
        db.session.delete(stale)
    if address is None:
        return
    db.session.flush()
    known = db.session.scalar(sa.select(KnownAddress).where(KnownAddress.user_id == user.id,
                                                            KnownAddress.address == address))
    if known is None:
        db.session.add(KnownAddress(user_id=user.id, address=address, last_sign_in_at=now))
    else:
        known.last_sign_in_at, known.failures, known.last_failure_at = now, 0, None


# Sixteen characters of 32 (80 bits: no guessing within the limits), without 0/O or 1/I to misread.
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ACTIVATION_LENGTH = 16


@dataclass(frozen=True)
class ActivationCode:
    code: str
    expires_at: datetime


def issue_activation_code(user: User) -> ActivationCode:
    """A new one-time code with which the person chooses their password. Whatever password the account had stops
    working, and so do its sessions and API tokens; the caller commits."""
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    now = utcnow()
    user.activation_code_hash = _code_digest(raw)
    user.activation_expires_at = now + current_app.config["ACTIVATION_CODE_LIFETIME"]
    user.password_hash = NO_PASSWORD
    user.password_changed_at = now
    user.failed_sign_ins, user.locked_until = 0, None
    end_sessions_and_tokens(user)
    return ActivationCode("-".join(raw[start:start + 4] for start in range(0, ACTIVATION_LENGTH, 4)),
                          user.activation_expires_at)


def _code_digest(code: str) -> str:
    """Codes are compared without spaces or dashes and in capitals, as people copy them."""
    return hashlib.sha256(re.sub(r"[\s-]", "", code).upper().encode()).hexdigest()


def activate(username: str, code: str, new_password: str) -> User:
    """The person chooses their password with their activation code, which then stops working."""
    now = utcnow()
    user = db.session.scalar(sa.select(User).where(User.username == normalise_username(username))
                             .with_for_update(of=User))
    if user is None:
        _refuse_activation(_stranger(normalise_username(username)), "unknown_user")
    _attribute_to(actor_for(user))
    if not user.is_active or not user.activation_pending(now) \
            or not hmac.compare_digest(user.activation_code_hash, _code_digest(code)):
        _refuse_activation(None, "deactivated" if not user.is_active else "wrong_code")
    problems = password_problems(new_password, user.username, user.unit)
    if problems:
        raise PasswordRejected("new_password", problems[0])
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    user.activation_code_hash = user.activation_expires_at = None
    db.session.commit()
    return user


def _refuse_activation(actor: Actor | None, reason: str) -> NoReturn:
    record(db.session, "activation_failed", changes={"reason": reason}, actor=actor)
    db.session.commit()
    note_refused_credentials()
    raise ActivationRefused()


def set_password(user: User, new_password: str) -> None:
    """Give `user` a new password and end their other sessions; the caller commits."""
    problems = password_problems(new_password, user.username, user.unit)
    if problems:
        raise PasswordRejected("new_password", problems[0])
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_sessions_and_tokens(user)


def end_sessions_and_tokens(user: User) -> None:
    """Every session and API token of `user` stops working; the caller commits."""
    user.session_version += 1
    for token in db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                             ApiToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()


def change_own_password(user: User, old_password: str, new_password: str) -> None:
    """Wrong current passwords count as wrong passwords at sign-in from this address, so a left-open session
    cannot be used to guess it: once they would refuse or slow a sign-in, the session ends."""
    if not verify_password(user.password_hash, old_password):
        now = utcnow()
        known = _known_address(user, source_address(), now)
        _count_failure(user, known, now)
        record(db.session, "password_change_failed", entity="users", entity_id=user.id, unit_path=user.unit.path)
        db.session.commit()
        if user.is_locked(now) or _wait_before_next_attempt(known, now) > 0:
            raise AccountLocked()
        raise PasswordRejected("old_password", _("The current password is wrong."))
    set_password(user, new_password)
    db.session.commit()


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user=user, token_hash=_digest(raw),
                     expires_at=utcnow() + current_app.config["API_TOKEN_LIFETIME"])
    db.session.add(token)
    db.session.commit()
    return raw, token


def token_for(raw_token: str) -> ApiToken | None:
    """The live token behind a bearer value, or None when unknown, expired or revoked."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(raw_token)))
    if token is None or not token.is_usable(utcnow()):
        return None
    return token


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
    db.session.commit()


def record_sign_out(user: User, reason: str) -> None:
    """A session ends. Signing out on purpose also ends the account's other sessions: a session lives only in its
    cookie, so a copy of it (on a shared office computer) would otherwise stay signed in."""
    if reason == "signed_out":
        user.session_version += 1
    record(db.session, "sign_out", entity="users", entity_id=user.id, unit_path=user.unit.path,
           changes={"reason": reason}, actor=actor_for(user))
    db.session.commit()


def remember_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"] and user.locale != locale:
        user.locale = locale
        db.session.commit()
