"""How the trail tells the register's changes and views (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from app.audit.narrative import Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.audit.recorder import ACTIONS
from app.children.models import Child
from app.register.groups import GROUPS, LIVING_PLACES, SUB_CASES, SUPPORT_KINDS
from app.register.models import (AWAITING, CONFIRMED, REJECTED, RegisterEntry, RegisterGroup, RegisterReview,
                                 RegisterReviewEscalation, RegisterSupport)

ACTIONS["register_viewed"] = _l("Register entry viewed")
ACTIONS["register_exported"] = _l("Register exported")
ACTIONS["register_imported"] = _l("Register entry written from an imported file")
ACTIONS["register_found_elsewhere"] = _l("New child matched a child on another commune's register")
ACTIONS["register_import_found_elsewhere"] = _l("Imported file matched a child on another commune's register")
CONFIRMATION_LABELS = {"confirmed": _l("Confirmed"), "awaiting": _l("Waiting for confirmation"),
                       "rejected": _l("Rejected")}
ALL_SUB_CASES = {key: label for cases in SUB_CASES.values() for key, label in cases.items()}


def _name():
    return sa.func.coalesce(sa.func.nullif(Child.full_name, ""), Child.description)


def _entries(session, ids) -> dict[int, str]:
    rows = session.execute(sa.select(RegisterEntry.id, _name()).join(Child, Child.id == RegisterEntry.child_id)
                           .where(RegisterEntry.id.in_(ids)))
    return dict(rows.all())


def _parts(model):
    def load(session, ids) -> dict[int, str]:
        rows = session.execute(sa.select(model.id, _name()).join(RegisterEntry, RegisterEntry.id == model.entry_id)
                               .join(Child, Child.id == RegisterEntry.child_id).where(model.id.in_(ids)))
        return dict(rows.all())

    return load


class _InGroup(str):
    """The child's name, knowing the group: a group's later changes (leaving it) do not name the group."""

    group: str


def _groups(session, ids) -> dict[int, str]:
    rows = session.execute(sa.select(RegisterGroup.id, _name(), RegisterGroup.group_key)
                           .join(RegisterEntry, RegisterEntry.id == RegisterGroup.entry_id)
                           .join(Child, Child.id == RegisterEntry.child_id).where(RegisterGroup.id.in_(ids)))
    found = {}
    for group_id, name, key in rows:
        found[group_id] = _InGroup(name or "")
        found[group_id].group = key
    return found


def _child(reading: Reading) -> str:
    return reading.subject or _("no. %(id)s", id=reading.entry.entity_id)


def _entry_sentence(reading: Reading) -> str | None:
    if reading.action == "create" and reading.after("confirmation") == AWAITING:
        return _("%(actor)s, a village collaborator, added the child %(child)s to the commune's register, to be "
                 "confirmed by the commune.", actor=reading.actor, child=_child(reading))
    if reading.action == "create":
        return _("%(actor)s put the child %(child)s on the commune's register of children in special circumstances.",
                 actor=reading.actor, child=_child(reading))
    if reading.action == "update" and reading.changed("confirmation"):
        if reading.after("confirmation") == CONFIRMED:
            return _("%(actor)s confirmed the child %(child)s, added by a village collaborator, on the commune's "
                     "register.", actor=reading.actor, child=_child(reading))
        return _("%(actor)s rejected the entry of the child %(child)s a village collaborator added: %(reason)s.",
                 actor=reading.actor, child=_child(reading), reason=reading.after("rejection_reason"))
    if reading.action == "update" and reading.changed("reviewer_id") and reading.after("reviewer_id"):
        return _("%(actor)s gave the next review of the child %(child)s to %(person)s.", actor=reading.actor,
                 child=_child(reading), person=reading.shown("reviewer_id", reading.after("reviewer_id")))
    if reading.action == "update" and reading.changed("reviewer_id") and reading.changed("next_review_on"):
        return _("The review of the child %(child)s was done; the next one, due on %(day)s, is any worker's of the "
                 "commune until someone is given it.", child=_child(reading),
                 day=reading.shown("next_review_on", reading.after("next_review_on")))
    if reading.action == "update" and reading.changed("reviewer_id"):
        return _("%(actor)s made the next review of the child %(child)s any worker's of the commune.",
                 actor=reading.actor, child=_child(reading))
    return None


def _group_name(reading: Reading) -> str:
    key = reading.value("group_key") or getattr(reading.subject, "group", None)
    return reading.narrator.label_of(GROUPS, key) if key else "–"


def _group_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s recorded the child %(child)s in the group “%(group)s” since %(since)s.",
                 actor=reading.actor, child=_child(reading), group=_group_name(reading),
                 since=reading.shown("since", reading.after("since")))
    if reading.action == "update" and reading.changed("left_on") and reading.after("left_on"):
        return _("%(actor)s recorded that the child %(child)s left the group “%(group)s” on %(day)s: %(reason)s.",
                 actor=reading.actor, child=_child(reading), group=_group_name(reading),
                 day=reading.shown("left_on", reading.after("left_on")), reason=reading.after("left_reason"))
    return None


def _support_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s recorded support the child %(child)s receives: %(kind)s, %(description)s, from %(day)s.",
                 actor=reading.actor, child=_child(reading), kind=reading.shown("kind", reading.after("kind")),
                 description=reading.after("description"),
                 day=reading.shown("started_on", reading.after("started_on")))
    return None


def _review_sentence(reading: Reading) -> str | None:
    if reading.action == "create" and reading.after("confirmation") == AWAITING:
        return _("%(actor)s, a village collaborator, recorded a review of the child %(child)s on %(day)s, to be "
                 "confirmed by the commune.", actor=reading.actor, child=_child(reading),
                 day=reading.shown("reviewed_on", reading.after("reviewed_on")))
    if reading.action == "update" and reading.changed("confirmation") and reading.after("confirmation") == CONFIRMED:
        return _("%(actor)s confirmed the review of the child %(child)s a village collaborator recorded.",
                 actor=reading.actor, child=_child(reading))
    if reading.action == "update" and reading.changed("confirmation") and reading.after("confirmation") == REJECTED:
        return _("%(actor)s rejected the review of the child %(child)s a village collaborator recorded, saying "
                 "“%(reason)s”. The review is still due.", actor=reading.actor, child=_child(reading),
                 reason=reading.after("rejection_reason"))
    if reading.action == "create":
        return _("%(actor)s recorded a review of the child %(child)s on %(day)s; the next is due on %(next)s.",
                 actor=reading.actor, child=_child(reading),
                 day=reading.shown("reviewed_on", reading.after("reviewed_on")),
                 next=reading.shown("next_review_on", reading.after("next_review_on")))
    return None


describe_reference("register_child", _entries)
describe_reference("register_group_child", _groups)
describe_reference("register_support_child", _parts(RegisterSupport))
describe_reference("register_review_child", _parts(RegisterReview))
describe_reference("register_review_escalation_child", _parts(RegisterReviewEscalation))


def _escalation_sentence(reading: Reading) -> str | None:
    words = {"actor": reading.actor, "child": _child(reading),
             "unit": reading.shown("to_unit_id", reading.value("to_unit_id")),
             "day": reading.shown("due_on", reading.value("due_on"))}
    if reading.action == "create" and (reading.after("level") or 1) > 1:
        return _("The deadline sweep raised the overdue review of the child %(child)s (due on %(day)s) higher, to "
                 "%(unit)s: nobody acknowledged it in time.", **words)
    if reading.action == "create":
        return _("The deadline sweep raised the review of the child %(child)s, due on %(day)s and more than 30 days "
                 "overdue, to %(unit)s.", **words)
    if reading.action == "update" and reading.after("acknowledged_at") and not reading.before("acknowledged_at"):
        return _("%(actor)s acknowledged that the review of the child %(child)s is long overdue; %(unit)s follows it "
                 "up.", **words)
    return None
describe_table(
    RegisterEntry, sentence=_entry_sentence, subject="register_child",
    record=lambda reading: _("the register entry of the child %(child)s", child=_child(reading)),
    fields={"registered_on": _l("Registered on"), "unit_id": _l("Commune"), "child_id": _l("Child"),
            "living_place": _l("Lives"), "lives_with": _l("With whom"),
            "health_insurance": _l("Health insurance card"), "disability_certificate": _l("Disability certificate"),
            "last_reviewed_on": _l("Last reviewed on"), "next_review_on": _l("Next review due on"),
            "added_by_id": _lp("register entry", "Added by"), "confirmation": _l("Confirmation"),
            "decided_by_id": _l("Confirmed or rejected by"), "rejection_reason": _l("Why it was rejected"),
            "reviewer_id": _l("Next review given to")},
    hidden=("id", "created_at", "version", "decided_at"),
    values={"living_place": LIVING_PLACES, "confirmation": CONFIRMATION_LABELS},
    references={"unit_id": "unit", "child_id": "child", "added_by_id": "person", "decided_by_id": "person",
                "reviewer_id": "person"})
describe_table(
    RegisterGroup, sentence=_group_sentence, subject="register_group_child",
    record=lambda reading: _("a group of the child %(child)s on the register", child=_child(reading)),
    fields={"group_key": _l("Group"), "sub_case": _l("Which case"), "since": _l("Since"),
            "left_on": _l("Left on"), "left_reason": _l("Why the child left")},
    hidden=("id", "entry_id"), values={"group_key": GROUPS, "sub_case": ALL_SUB_CASES})
describe_table(
    RegisterSupport, sentence=_support_sentence, subject="register_support_child",
    record=lambda reading: _("support of the child %(child)s on the register", child=_child(reading)),
    fields={"kind": _l("Kind of support"), "description": _l("Support"), "monthly_amount": _l("Amount a month (đồng)"),
            "started_on": _l("From"), "ended_on": _l("Until")},
    hidden=("id", "entry_id"), values={"kind": SUPPORT_KINDS})
describe_table(
    RegisterReview, sentence=_review_sentence, subject="register_review_child",
    record=lambda reading: _("a review of the child %(child)s on the register", child=_child(reading)),
    fields={"reviewed_on": _l("Reviewed on"), "notes": _l("What the review found"),
            "next_review_on": _l("Next review due on"), "reviewed_by_id": _l("Reviewed by"),
            "confirmation": _l("Confirmation"), "decided_by_id": _l("Confirmed or rejected by"),
            "rejection_reason": _l("Why it was rejected")},
    hidden=("id", "entry_id", "decided_at"), values={"confirmation": CONFIRMATION_LABELS},
    references={"reviewed_by_id": "person", "decided_by_id": "person"})
describe_table(
    RegisterReviewEscalation, sentence=_escalation_sentence, subject="register_review_escalation_child",
    record=lambda reading: _("the overdue review of the child %(child)s, raised above the commune",
                             child=_child(reading)),
    fields={"due_on": _l("Review due on"), "to_unit_id": _l("Raised to"), "from_unit_id": _l("From the unit"),
            "level": _l("Level"), "raised_at": _l("Raised at"), "acknowledged_at": _l("Acknowledged at"),
            "acknowledged_by_id": _l("Acknowledged by")},
    hidden=("id", "entry_id", "previous_id"),
    references={"to_unit_id": "unit", "from_unit_id": "unit", "acknowledged_by_id": "person"})
describe_action("register_viewed", lambda reading: _("%(actor)s viewed the register entry of the child %(child)s.",
                                                     actor=reading.actor, child=_child(reading)),
                subject="register_child")
describe_action("register_exported", lambda reading: _("%(actor)s downloaded the register: %(count)s children.",
                                                       actor=reading.actor, count=reading.after("children")))


def _imported(reading: Reading) -> str:
    """One entry per child an import changed (app/register/transfer.py): the child put on the register, or given
    a group, or their situation changed; the entry's details list every field the file set."""
    file, child = reading.after("file") or "–", _child(reading)
    if any(row.entry.entity == "register_entries" and row.action == "create" for row in reading.rows):
        return _("%(actor)s put the child %(child)s on the commune's register, from the imported file “%(file)s”.",
                 actor=reading.actor, child=child, file=file)
    groups = [row for row in reading.rows if row.entry.entity == "register_groups" and row.action == "create"]
    if groups:
        return _("%(actor)s recorded the child %(child)s in the group “%(group)s” since %(since)s, from the imported "
                 "file “%(file)s”.", actor=reading.actor, child=child, file=file,
                 group=", ".join(_group_name(row) for row in groups),
                 since=groups[0].shown("since", groups[0].after("since")))
    fields = ", ".join(label for label in (row.field_labels() for row in reading.rows) if label)
    return _("%(actor)s changed the register entry of the child %(child)s, from the imported file “%(file)s”: "
             "%(fields)s.", actor=reading.actor, child=child, file=file, fields=fields or "–")


describe_action("register_imported", _imported, subject="register_child", fields={"file": _l("Imported file")})


def _found_elsewhere(reading: Reading) -> str:
    """Two kinds of entry per file read (app/register/transfer.py): one under the reader, naming no child, and one
    per match under the other commune's entry, for the inspectors of each side."""
    if reading.entry.entity == "register_entries":
        return _("%(actor)s read the file “%(file)s” into another commune's register: one of its rows bore the "
                 "personal ID of the child %(child)s, who is on this register, and was refused, naming this commune.",
                 actor=reading.actor, file=reading.after("file") or "–", child=_child(reading))
    return _("%(actor)s read the file “%(file)s” into the register: %(count)s of its personal IDs are on other "
             "communes' registers, and those rows were refused, naming the communes.", actor=reading.actor,
             file=reading.after("file") or "–", count=reading.after("matches"))


describe_action("register_import_found_elsewhere", _found_elsewhere, subject="register_child",
                fields={"file": _l("Imported file"), "matches": _l("Children matched")})


def _entered_elsewhere(reading: Reading) -> str:
    """A child added by hand or over the API (`register_new_child`) whose personal ID another commune registers: one
    entry under the asker, naming no child, and one under the other commune's entry."""
    if reading.entry.entity == "register_entries":
        return _("%(actor)s tried to put a child on another commune's register with the personal ID of the child "
                 "%(child)s, who is on this register, and was refused, naming this commune.", actor=reading.actor,
                 child=_child(reading))
    return _("%(actor)s tried to put a child on the register with a personal ID that is on another commune's "
             "register, and was refused, naming that commune.", actor=reading.actor)


describe_action("register_found_elsewhere", _entered_elsewhere, subject="register_child",
                fields={"matches": _l("Children matched")})
