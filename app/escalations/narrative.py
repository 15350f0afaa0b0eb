"""How the trail tells escalations (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.escalations.models import Escalation, explained


def _explanations(session, ids) -> dict[int, tuple[str, str]]:
    """Each escalation's case reference and its reason as the reader reads it (`Escalation.explanation`): the
    sweep's reasons were stored in the language of the command that raised them."""
    escalations = session.scalars(sa.select(Escalation).where(Escalation.id.in_(ids)).options(*explained()))
    return {escalation.id: (escalation.case.reference, escalation.explanation) for escalation in escalations}


def _reason(reading: Reading, stored) -> str:
    known = reading.subject
    # The same escalation, not a later one given the same id: the trail keeps what was stored.
    if known is not None and known[0] == reading.case and reading.value("automatic"):
        return known[1]
    return str(stored)


def _sentence(reading: Reading) -> str | None:
    words = {"actor": reading.actor, "case": reading.case, "number": reading.entry.entity_id}
    if reading.action == "create":
        words.update(unit=reading.shown("to_unit_id", reading.after("to_unit_id")),
                     reason=reading.shown("reason", reading.after("reason")))
        if reading.after("automatic"):
            return _("The deadline sweep raised case %(case)s to %(unit)s: %(reason)s.", **words)
        return _("%(actor)s raised case %(case)s to %(unit)s: %(reason)s.", **words)
    if reading.action == "update" and reading.after("acknowledged_at") and not reading.before("acknowledged_at"):
        return _("%(actor)s acknowledged escalation %(number)s of case %(case)s.", **words)
    return None


describe_reference("escalation", _explanations)
describe_table(
    Escalation, sentence=_sentence, subject="escalation",
    record=lambda reading: _("escalation %(number)s of case %(case)s", number=reading.entry.entity_id,
                             case=reading.case),
    fields={"to_unit_id": _l("Raised to"), "from_unit_id": _l("From the unit"), "reason": _l("Reason"),
            "automatic": _l("Raised by the deadline sweep"), "level": _l("Level"),
            "previous_id": _l("Raised again after"), "raised_at": _l("Raised at"),
            "raised_by_id": _l("Raised by"), "acknowledged_at": _l("Acknowledged at"),
            "acknowledged_by_id": _l("Acknowledged by"), "acknowledgement_note": _l("Note")},
    hidden=("id", "case_id", "trigger", "version"),
    references={"to_unit_id": "unit", "from_unit_id": "unit", "raised_by_id": "person",
                "acknowledged_by_id": "person"},
    formats={"reason": _reason,
             "previous_id": lambda reading, number: _("escalation %(id)s", id=number)})
