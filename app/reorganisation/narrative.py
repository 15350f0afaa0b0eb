"""How the trail tells reorganisations and what they moved (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.narrative import NOTHING, Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.reorganisation.models import RULES, Move, Reorganisation
from app.units.narrative import unit_names

ENTITIES = {"cases": _l("case"), "users": _l("account"), "providers": _l("provider"), "referrals": _l("referral"),
            "escalations": _l("escalation")}


def _run_sentence(reading: Reading) -> str | None:
    words = {"actor": reading.actor, "number": reading.entry.entity_id, "old": reading.value("from_edition"),
             "new": reading.value("to_edition")}
    if reading.action == "create":
        return _("%(actor)s began reorganisation no. %(number)s, from list %(old)s to list %(new)s.", **words)
    if reading.changed("finished_at"):
        return _("Reorganisation no. %(number)s, from list %(old)s to list %(new)s, was finished.", **words)
    return None


def _moves(session, ids) -> dict[int, dict]:
    """What a later change of a move (its commune chosen) does not repeat: what moved and from where."""
    rows = session.execute(sa.select(Move.id, Move.entity, Move.entity_id, Move.from_unit_id)
                           .where(Move.id.in_(ids))).all()
    names = unit_names(session, {row.from_unit_id for row in rows})
    return {row.id: {"entity": row.entity, "entity_id": row.entity_id, "old": names.get(row.from_unit_id)}
            for row in rows}


def _kept(reading: Reading, name: str):
    """A field of the move: in the entry, or, for a later change, as the move holds it."""
    value = reading.value(name)
    return value if value is not None else (reading.subject or {}).get(name)


def _move_record(reading: Reading) -> str:
    what = reading.shown("entity", _kept(reading, "entity"))
    if reading.case:
        return _("the move of the %(what)s of case %(case)s", what=what, case=reading.case)
    return _("the move of %(what)s no. %(id)s", what=what, id=_kept(reading, "entity_id"))


def _moved(reading: Reading) -> str:
    """What the move carried: "case X", "the referral of case X", "account no. N"."""
    entity = _kept(reading, "entity")
    what = reading.shown("entity", entity)
    if reading.case and entity == "cases":
        return _("case %(case)s", case=reading.case)
    if reading.case:
        return _("the %(what)s of case %(case)s", what=what, case=reading.case)
    return _("%(what)s no. %(id)s", what=what, id=_kept(reading, "entity_id"))


def _move_sentence(reading: Reading) -> str | None:
    old = reading.value("from_unit_id")
    words = {"actor": reading.actor, "what": _moved(reading), "run": reading.value("run_id"),
             "old": reading.shown("from_unit_id", old) if old else (reading.subject or {}).get("old") or NOTHING,
             "held": reading.shown("held_by_id", reading.value("held_by_id")),
             "rule": reading.shown("rule", reading.value("rule"))}
    if reading.action == "create" and reading.after("to_unit_id"):
        words["new"] = reading.shown("to_unit_id", reading.after("to_unit_id"))
        return _("%(actor)s, reorganising (run no. %(run)s), carried %(what)s from %(old)s to %(new)s (%(rule)s).",
                 **words)
    if reading.action == "create" and reading.value("rule") == "closed":
        return _("%(actor)s, reorganising (run no. %(run)s), closed %(what)s of %(old)s: no unit of the new list "
                 "fits it; an administrator of %(held)s places it anew.", **words)
    if reading.action == "create":
        return _("%(actor)s, reorganising (run no. %(run)s), gave %(what)s of %(old)s to %(held)s to hold until "
                 "its new commune is chosen (%(rule)s).", **words)
    if reading.changed("to_unit_id") and reading.after("to_unit_id"):
        words["new"] = reading.shown("to_unit_id", reading.after("to_unit_id"))
        return _("%(actor)s chose %(new)s as the new commune of %(what)s, formerly of %(old)s.", **words)
    return None


def _successions_loaded(reading: Reading) -> str:
    return _("%(actor)s loaded the successions from list %(old)s to list %(new)s: %(added)s added, %(changed)s "
             "corrected.", actor=reading.actor, old=reading.value("from_edition"), new=reading.value("to_edition"),
             added=reading.value("added"), changed=reading.value("changed"))


describe_table(
    Reorganisation, sentence=_run_sentence,
    record=lambda reading: _("reorganisation no. %(number)s", number=reading.entry.entity_id),
    fields={"from_edition": _l("From the list"), "to_edition": _l("To the list"), "province_code": _l("Province"),
            "effective_on": _l("In force from"), "started_at": _l("Began"), "finished_at": _l("Finished"),
            "started_by_id": _l("Begun by")},
    hidden=("id",), references={"started_by_id": "person"})
describe_reference("reorganisation_move", _moves)
describe_table(
    Move, sentence=_move_sentence, record=_move_record, subject="reorganisation_move",
    fields={"entity": _l("What moved"), "from_unit_id": _l("Former unit"), "held_by_id": _l("Held by"),
            "to_unit_id": _l("New unit"), "rule": _l("Rule"), "run_id": _l("Reorganisation"),
            "moved_at": _l("Moved at"), "decided_by_id": _l("Chosen by"), "decided_at": _l("Chosen at")},
    hidden=("id", "entity_id", "case_id"), values={"entity": ENTITIES, "rule": RULES},
    references={"from_unit_id": "unit", "held_by_id": "unit", "to_unit_id": "unit", "decided_by_id": "person"})
describe_action("successions_loaded", _successions_loaded,
                fields={"from_edition": _l("From the list"), "to_edition": _l("To the list"),
                        "file_sha256": _l("File fingerprint (SHA-256)"), "added": _l("Added"),
                        "changed": _l("Corrected"), "unchanged": _l("Unchanged")})
