"""How the trail tells sign-ins, sessions and API tokens (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.auth.models import ApiToken
from app.users.models import User

# Why a sign-in failed: the trail keeps the real reason, which the person was not told.
SIGN_IN_FAILURES = {
    "unknown_user": _l("no account has this username"),
    "wrong_password": _l("wrong password"),
    "locked": _l("the account is locked"),
    "deactivated": _l("the account is deactivated"),
    "no_password": _l("the account has no password yet (its activation code was not used)"),
    "slowed_down": _l("too many wrong passwords: the account asked to wait before the next attempt"),
    "awaiting_approval": _l("the account's access to cases waits for a second person's approval"),
}
ACTIVATION_FAILURES = {
    "unknown_user": _l("no account has this username"),
    "wrong_code": _l("wrong or expired activation code"),
    "deactivated": _l("the account is deactivated"),
}
SESSION_ENDINGS = {
    "signed_out": _l("Signed out"),
    "idle": _l("Too long without activity"),
    "locked": _l("Account locked"),
}


def _token_holders(session, ids) -> dict[int, str]:
    rows = session.execute(sa.select(ApiToken.id, User.full_name).join(User, User.id == ApiToken.user_id)
                           .where(ApiToken.id.in_(ids)))
    return dict(rows.all())


def _holder(reading: Reading) -> str:
    holder = reading.subject or reading.ref("person", reading.value("user_id"))
    return str(holder) if holder is not None else _("no. %(id)s", id=reading.value("user_id"))


def _record(reading: Reading) -> str:
    return _("an API token of %(person)s", person=_holder(reading))


def _token_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s issued an API token for %(person)s, valid until %(time)s.", actor=reading.actor,
                 person=_holder(reading), time=reading.shown("expires_at", reading.after("expires_at")))
    if reading.action == "update" and reading.after("revoked_at"):
        return _("%(actor)s revoked an API token of %(person)s.", actor=reading.actor, person=_holder(reading))
    return None


def _account(reading: Reading) -> str:
    """The account a sign-in entry is about: the actor's own."""
    return str(reading.subject) if reading.subject is not None else reading.person


def _sign_in_failed(reading: Reading) -> str:
    return _("A sign-in as %(person)s failed: %(reason)s.", person=reading.person,
             reason=reading.shown("reason", reading.after("reason")))


def _lockout(reading: Reading) -> str:
    return _("The account of %(person)s was locked until %(time)s after too many wrong passwords.",
             person=_account(reading), time=reading.shown("locked_until", reading.after("locked_until")))


def _sign_out(reading: Reading) -> str:
    reason = reading.after("reason")
    if reason == "idle":
        return _("The session of %(actor)s ended after too long without activity.", actor=reading.actor)
    if reason == "locked":
        return _("The session of %(actor)s ended: the account was locked.", actor=reading.actor)
    return _("%(actor)s signed out.", actor=reading.actor)


describe_reference("api_token", _token_holders)
describe_table(
    ApiToken, record=_record, sentence=_token_sentence, subject="api_token",
    fields={"user_id": _l("Account"), "expires_at": _l("Valid until"), "revoked_at": _l("Revoked at"),
            "token_hash": _l("Token")},
    hidden=("id", "created_at"),
    references={"user_id": "person"})
describe_action("sign_in", lambda reading: _("%(actor)s signed in.", actor=reading.actor), subject="person")
describe_action("sign_in_failed", _sign_in_failed, fields={"reason": _l("Reason")},
                values={"reason": SIGN_IN_FAILURES})
describe_action("lockout", _lockout, subject="person", fields={"locked_until": _l("Locked until")},
                formats={"locked_until": lambda reading, value: reading.narrator.by_kind("time", value)})
describe_action("sign_out", _sign_out, subject="person", fields={"reason": _l("Why")},
                values={"reason": SESSION_ENDINGS})
describe_action("activation_failed",
                lambda reading: _("An activation as %(person)s failed: %(reason)s.", person=reading.person,
                                  reason=reading.shown("reason", reading.after("reason"))),
                fields={"reason": _l("Reason")}, values={"reason": ACTIVATION_FAILURES})
describe_action("password_change_failed",
                lambda reading: _("%(actor)s typed a wrong current password while changing it.",
                                  actor=reading.actor), subject="person")
