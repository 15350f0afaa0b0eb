"""How the trail tells accounts and their changes (app/audit/narrative.py)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.access import role_labels
from app.audit.narrative import Person, Reading, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.units.models import Unit
from app.users.models import OFFICES, AccessGrant, User

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
    if reading.changed("activation_code_hash") and reading.after("activation_code_hash"):
        return _("%(actor)s issued an activation code for the account of %(person)s, valid until %(time)s; its "
                 "password stops working.", actor=actor, person=person,
                 time=reading.shown("activation_expires_at", reading.after("activation_expires_at")))
    if reading.changed("activation_code_hash") and reading.changed("password_hash"):
        return _("%(person)s chose their password with their activation code.", person=person)
    if reading.changed("password_hash"):
        if own:
            return _("%(actor)s changed their password.", actor=actor)
        return _("%(actor)s set a new password for %(person)s.", actor=actor, person=person)
    if reading.became("awaiting_approval", False):
        return _("The access of %(person)s to cases was approved: they may sign in.", person=person)
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


GRANT_KINDS = {"new_account": _l("a new account"), "placement": _l("a new role or unit"),
               "password_reset": _l("a new activation code")}
GRANT_DECISIONS = {"approved": _l("approved"), "refused": _l("refused"), "withdrawn": _l("withdrawn")}


@dataclass(frozen=True)
class Grant:
    """What the kind "access_grant" reads of a request: whose, which role, in which unit, of what kind."""

    person: str
    role: str
    unit: str
    kind: str


def _grants(session, ids) -> dict[int, Grant]:
    rows = session.execute(sa.select(AccessGrant.id, User.full_name, AccessGrant.role, Unit.name, AccessGrant.kind)
                           .join(User, User.id == AccessGrant.user_id).join(Unit, Unit.id == AccessGrant.unit_id)
                           .where(AccessGrant.id.in_(ids)))
    return {grant_id: Grant(name, role, unit, kind) for grant_id, name, role, unit, kind in rows}


def _grant_record(reading: Reading) -> str:
    grant = reading.subject
    return _("the request for access to cases of %(person)s",
             person=grant.person if grant else _("no. %(id)s", id=reading.entry.entity_id))


def _grant_sentence(reading: Reading) -> str | None:
    grant = reading.subject
    if grant is None:
        return None
    person, role = grant.person, reading.shown("role", grant.role)
    unit, kind = grant.unit, reading.shown("kind", grant.kind)
    if reading.action == "create":
        return _("%(actor)s asked that %(person)s read cases as %(role)s in %(unit)s (%(kind)s); a second person "
                 "must approve it.", actor=reading.actor, person=person, role=role, unit=unit, kind=kind)
    if reading.action == "update" and reading.changed("decision"):
        if reading.after("decision") == "approved":
            return _("%(actor)s approved that %(person)s read cases as %(role)s in %(unit)s.", actor=reading.actor,
                     person=person, role=role, unit=unit)
        if reading.after("decision") == "refused":
            return _("%(actor)s refused that %(person)s read cases as %(role)s in %(unit)s.", actor=reading.actor,
                     person=person, role=role, unit=unit)
        return _("%(actor)s withdrew the request that %(person)s read cases as %(role)s in %(unit)s.",
                 actor=reading.actor, person=person, role=role, unit=unit)
    return None


def _role(reading: Reading, role) -> str:
    """The role as held at the record's unit: a supervisor at a province is a province supervisor."""
    return reading.narrator.label_of(role_labels(reading.unit_level), role)


describe_reference("person", _people)
describe_reference("access_grant", _grants)
describe_table(
    AccessGrant, record=_grant_record, sentence=_grant_sentence, subject="access_grant",
    fields={"user_id": _l("Account"), "kind": _l("Asked for"), "role": _l("Role"), "unit_id": _l("Unit"),
            "requested_by_id": _l("Asked by"), "requested_at": _l("Asked at"), "decision": _l("Decision"),
            "decided_by_id": _l("Decided by"), "decided_at": _l("Decided at")},
    hidden=("id",),
    values={"kind": GRANT_KINDS, "decision": GRANT_DECISIONS}, formats={"role": _role}, reads_unit_level=True,
    references={"user_id": "person", "requested_by_id": "person", "decided_by_id": "person", "unit_id": "unit"})
describe_table(
    User, record=_record, sentence=_sentence, subject="person",
    fields={"username": _l("Username"), "full_name": _l("Full name"), "email": _l("Email"), "role": _l("Role"),
            "unit_id": _l("Unit"), "active": _l("Active"), "locale": _l("Language"), "password_hash": _l("Password"),
            "password_changed_at": _l("Password changed at"), "failed_sign_ins": _l("Wrong passwords in a row"),
            "locked_until": _l("Locked until"), "activation_code_hash": _l("Activation code"),
            "activation_expires_at": _l("Activation code valid until"),
            "awaiting_approval": _l("Waiting for a second person's approval"),
            "office": _l("Office (signs decisions as)"), "department_id": _l("Department or agency")},
    hidden=("id", "session_version", "created_at"),
    values={"locale": LANGUAGES, "office": OFFICES}, formats={"role": _role}, reads_unit_level=True,
    references={"unit_id": "unit", "department_id": "department"})
