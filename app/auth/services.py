"""Signing in, lockout, password changes and API tokens: the rules the pages and the API share."""
from __future__ import annotations

import hashlib
import secrets
from typing import NoReturn

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import gettext as _

from app.audit.models import AuditEntry
from app.audit.recorder import Actor, act_as, actor_for, record
from app.auth.models import ApiToken
from app.auth.passwords import (hash_password, needs_rehash, password_problems, spend_verification_time,
                                verify_password)
from app.orm import utcnow
from app.text import printable
from app.units.services import top_unit
from app.extensions import db
from app.users.models import User, normalise_username


ACTOR_LENGTH = AuditEntry.actor.type.length


class SignInRefused(Exception):
    """Wrong username, wrong password, locked or deactivated: deliberately one answer for all."""

    def __init__(self):
        super().__init__(_("The username or password is wrong, or the account is locked. "
                           "After %(count)d failed attempts an account is locked for %(minutes)d minutes.",
                           count=current_app.config["LOGIN_MAX_FAILURES"],
                           minutes=int(current_app.config["LOGIN_LOCKOUT"].total_seconds() // 60)))


class AccountLocked(Exception):
    """Too many wrong current passwords while changing it: the account is now locked."""


class PasswordRejected(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def authenticate(username: str, password: str) -> User:
    """The user these credentials belong to, or `SignInRefused`.

    Failures are counted on the user's row under a row lock, so the lockout holds
    across processes and concurrent attempts.
    """
    now = utcnow()
    username = normalise_username(username)
    user = db.session.scalar(sa.select(User).where(User.username == username).with_for_update(of=User))
    if user is None:
        spend_verification_time()
        _refuse(_stranger(username), "unknown_user")
    _attribute_to(actor_for(user))
    if not user.is_active or user.is_locked(now):
        spend_verification_time()
        _refuse(None, "locked" if user.is_active else "deactivated")
    if not verify_password(user.password_hash, password):
        _count_failure(user, now)
        _refuse(None, "wrong_password")
    user.failed_sign_ins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
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
    raise SignInRefused()


def _count_failure(user: User, now) -> None:
    if user.locked_until is not None and user.locked_until <= now:
        user.failed_sign_ins, user.locked_until = 0, None
    user.failed_sign_ins += 1
    if user.failed_sign_ins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + current_app.config["LOGIN_LOCKOUT"]
        user.failed_sign_ins = 0
        record(db.session, "lockout", entity="users", entity_id=user.id, unit_path=user.unit.path,
               changes={"locked_until": [None, user.locked_until.isoformat()]})


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
    """Wrong current passwords count towards the lockout, as at sign-in, so a left-open session cannot be used
    to guess it."""
    if not verify_password(user.password_hash, old_password):
        now = utcnow()
        _count_failure(user, now)
        record(db.session, "password_change_failed", entity="users", entity_id=user.id, unit_path=user.unit.path)
        db.session.commit()
        if user.is_locked(now):
            raise AccountLocked()
        raise PasswordRejected("old_password", _("The current password is wrong."))
    if user.must_choose_password and verify_password(user.password_hash, new_password):
        raise PasswordRejected("new_password", _("Choose a password of your own, not the one you were given."))
    set_password(user, new_password)
    user.must_choose_password = False
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
