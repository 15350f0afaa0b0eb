"""How the trail tells reporting up the tree (app/audit/narrative.py). A sent report's figures and the parts a
consolidation summed are in the entry as they were sent; the trail's page names them rather than print them."""
import json

from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_action, describe_table
from app.audit.narrative import translate as _
from app.reporting.models import (KINDS, RECURRENCES, SECTION_LABELS, STATUSES, Report, ReportComment,
                                  ReportEscalation, ReportRound)


def _read(value):
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None


def _sections(reading: Reading, value) -> str:
    """Each section under its name, as the report reads."""
    written = _read(value) or {}
    return " · ".join(f"{SECTION_LABELS[key]}: {text}" for key, text in written.items()
                      if key in SECTION_LABELS and text) or "–"


def _figures(reading: Reading, value) -> str:
    """The figures are in the entry as sent; the trail's page counts them, the report's page shows them."""
    taken = _read(value) or {}
    tables = sum(len(group.get("tables", [])) for group in taken.get("groups", []))
    return _("%(count)d tables of figures, kept as sent", count=tables)


def _parts(reading: Reading, value) -> str:
    return ", ".join(part.get("unit", "") for part in _read(value) or []) or "–"


def _report_sentence(reading: Reading) -> str | None:
    if reading.action == "update" and reading.changed("status"):
        status = reading.after("status")
        words = {"actor": reading.actor, "number": reading.entry.entity_id}
        if status == "submitted":
            return _("%(actor)s sent report %(number)s to the level above; its figures are kept as sent.", **words)
        if status == "returned":
            return _("%(actor)s returned report %(number)s for correction.", **words)
        if status == "accepted":
            return _("%(actor)s accepted report %(number)s.", **words)
    return None


describe_table(
    ReportRound, record=lambda reading: _("report round %(number)s", number=reading.entry.entity_id),
    fields={"kind": _l("Report"), "period_start": _l("Period from"), "period_end": _l("Period to"),
            "due_on": _l("Due on"), "consolidation_due_on": _l("Consolidated reports due on"),
            "recurrence": _l("Recurs"), "province_id": _l("Province"), "created_by_id": _l("Set by"),
            "created_at": _l("Set at")},
    hidden=("id", "previous_id"), values={"kind": KINDS, "recurrence": RECURRENCES},
    references={"province_id": "unit", "created_by_id": "person"})
describe_table(
    Report, record=lambda reading: _("report %(number)s to the level above", number=reading.entry.entity_id),
    sentence=_report_sentence,
    fields={"status": _l("State"), "unit_id": _l("Unit"), "round_id": _l("Round"), "number": _l("Number"),
            "signer_name": _l("Signed by"), "signer_title": _l("Signer's title"), "return_reason": _l("Why returned"),
            "sections_json": _l("Narrative"), "figures_json": _l("Figures as sent"),
            "parts_json": _l("Reports consolidated"), "due_at": _l("Due"), "submitted_at": _l("Sent at"),
            "submitted_by_id": _l("Person who sent it"), "reviewed_at": _l("Reviewed at"),
            "reviewed_by_id": _l("Reviewed by"),
            "saved_at": _l("Saved at"), "saved_by_id": _l("Saved by")},
    hidden=("id", "version"), values={"status": STATUSES},
    formats={"sections_json": _sections, "figures_json": _figures, "parts_json": _parts},
    references={"unit_id": "unit", "submitted_by_id": "person", "reviewed_by_id": "person",
                "saved_by_id": "person"})
describe_table(
    ReportComment, record=lambda reading: _("a comment on report %(number)s", number=reading.value("report_id")),
    fields={"body": _l("Comment"), "author_id": _l("Written by"), "created_at": _l("Written at")},
    hidden=("id", "report_id"), references={"author_id": "person"})
describe_table(
    ReportEscalation, record=lambda reading: _("late report %(number)s raised", number=reading.value("report_id")),
    fields={"to_unit_id": _l("Raised to"), "from_unit_id": _l("Late unit"), "level": _l("Level"),
            "raised_at": _l("Raised at"), "acknowledged_at": _l("Acknowledged at"),
            "acknowledged_by_id": _l("Acknowledged by")},
    hidden=("id", "report_id", "previous_id"),
    references={"to_unit_id": "unit", "from_unit_id": "unit", "acknowledged_by_id": "person"})
describe_action("unit_report_printed", lambda reading: _("%(actor)s printed report %(number)s.",
                                                         actor=reading.actor, number=reading.entry.entity_id),
                fields={"format": _l("Format")})
describe_action("unit_report_exported", lambda reading: _("%(actor)s exported the figures of report %(number)s.",
                                                          actor=reading.actor, number=reading.entry.entity_id),
                fields={"format": _l("Format")})
