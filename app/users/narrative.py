"""How the trail tells accounts and their changes (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.access import ROLE_LABELS
from app.audit.narrative import Person, Reading, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.users.models import User

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def _people(session, ids) -> dict[int, Person]:
    rows = session.execute(sa.select(User.id, User.full_name).where(User.id.in_(ids)))
    return {user_id: Person(name) for user_id, name in rows}


def account_holder(reading: Reading) -> str:
    """The person whose account the entry is about."""
    if reading.subject is not None:
        return reading.subject.name
    return reading.value("full_name") or reading.value("username") or _("no. %(id)s", id=reading.entry.entity_id)


def _record(reading: Reading) -> str:
    return _("the account of %(person)s", person=account_holder(reading))


def _sentence(reading: Reading) -> str | None:
    actor, person = reading.actor, account_holder(reading)
    if reading.action == "create":
        return _("%(actor)s created the account of %(person)s: %(role)s, %(unit)s.", actor=actor, person=person,
                 role=reading.shown("role", reading.after("role")),
                 unit=reading.shown("unit_id", reading.after("unit_id")))
    if reading.action != "update":
        return None
    own = reading.entry.actor_id is not None and reading.entry.actor_id == reading.entity_id
    if reading.became("active", False):
        return _("%(actor)s deactivated the account of %(person)s.", actor=actor, person=person)
    if reading.became("active", True):
        return _("%(actor)s reactivated the account of %(person)s.", actor=actor, person=person)
    role, unit = reading.shown("role", reading.after("role")), reading.shown("unit_id", reading.after("unit_id"))
    if reading.changed("role") and reading.changed("unit_id"):
        return _("%(actor)s gave %(person)s the role %(role)s in %(unit)s.", actor=actor, person=person, role=role,
                 unit=unit)
    if reading.changed("role"):
        return _("%(actor)s gave %(person)s the role %(role)s.", actor=actor, person=person, role=role)
    if reading.changed("unit_id"):
        return _("%(actor)s moved the account of %(person)s to %(unit)s.", actor=actor, person=person, unit=unit)
    if reading.changed("password_hash"):
        if own:
            return _("%(actor)s changed their password.", actor=actor)
        return _("%(actor)s set a new password for %(person)s.", actor=actor, person=person)
    if reading.became("must_choose_password", True):
        return _("%(actor)s asked %(person)s to choose their own password at their next sign-in.", actor=actor,
                 person=person)
    if reading.became("must_choose_password", False):
        return _("%(person)s chose their own password.", person=person)
    if reading.after("locked_until"):
        return _("The account of %(person)s was locked until %(time)s after too many wrong passwords.",
                 person=person, time=reading.shown("locked_until", reading.after("locked_until")))
    if reading.changed("failed_sign_ins"):
        count = reading.after("failed_sign_ins") or 0
        if count:
            return _("A wrong password was typed for the account of %(person)s (%(count)s in a row).",
                     person=person, count=count)
        return _("The count of wrong passwords of %(person)s went back to zero.", person=person)
    if set(reading.changes) == {"session_version"}:
        return _("Every session of %(person)s was ended.", person=person)
    if set(reading.changes) == {"locale"} and own:
        return _("%(actor)s chose %(language)s as their language.", actor=actor,
                 language=reading.shown("locale", reading.after("locale")))
    return None


describe_reference("person", _people)
describe_table(
    User, record=_record, sentence=_sentence, subject="person",
    fields={"username": _l("Username"), "full_name": _l("Full name"), "email": _l("Email"), "role": _l("Role"),
            "unit_id": _l("Unit"), "active": _l("Active"), "locale": _l("Language"), "password_hash": _l("Password"),
            "password_changed_at": _l("Password changed at"), "failed_sign_ins": _l("Wrong passwords in a row"),
            "locked_until": _l("Locked until"), "must_choose_password": _l("Must choose their own password")},
    hidden=("id", "session_version", "created_at"),
    values={"role": ROLE_LABELS, "locale": LANGUAGES},
    references={"unit_id": "unit"})
