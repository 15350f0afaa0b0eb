"""How the trail tells reporting up the tree (app/audit/narrative.py). A sent report's figures and the parts a
consolidation summed are in the entry as they were sent; the trail's page names them rather than print them."""
import json

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from app.audit.narrative import Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.reporting.models import (KINDS, RECURRENCES, SECTION_LABELS, STATUSES, Department, Report, ReportComment,
                                  ReportEscalation, ReportRound)
from app.units.models import Unit


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


def _rounds(session, ids) -> dict[int, tuple]:
    rows = session.execute(sa.select(ReportRound.id, ReportRound.kind, ReportRound.period_start,
                                     ReportRound.period_end).where(ReportRound.id.in_(ids)))
    return {number: (kind, start, end) for number, kind, start, end in rows}


def _reports_of(model, *joins):
    """Each record of `model` (a report, or a record about one) as its report's sender (unit or department) and
    round."""
    def load(session, ids) -> dict[int, tuple]:
        query = sa.select(model.id, sa.func.coalesce(Department.name, Unit.name), ReportRound.kind,
                          ReportRound.period_start, ReportRound.period_end)
        for join in joins:
            query = query.join(join)
        rows = session.execute(query.join(Report.unit).join(Report.round).outerjoin(Report.department)
                               .where(model.id.in_(ids)))
        return {number: (unit, (kind, start, end)) for number, unit, kind, start, end in rows}

    return load


def _round_title(reading: Reading, known: tuple | None) -> str:
    """A round as people name it: its report and period, as on the round's page."""
    if known is None:
        return _("a report round no longer kept")
    kind, start, end = known
    return _("%(report)s %(start)s – %(end)s", report=reading.narrator.label_of(KINDS, kind),
             start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")


def _report(reading: Reading) -> str:
    """The entry's report as people name it: the unit (or department) that sends it and the round it answers."""
    known = reading.subject
    if known is None:
        return _("a report no longer kept")
    unit, round_ = known
    return _("the report of %(unit)s for %(round)s", unit=unit, round=_round_title(reading, round_))


def _report_sentence(reading: Reading) -> str | None:
    if reading.action == "update" and reading.changed("status"):
        status = reading.after("status")
        words = {"actor": reading.actor, "report": _report(reading)}
        if status == "submitted":
            return _("%(actor)s sent %(report)s to the level above; its figures are kept as sent.", **words)
        if status == "returned":
            return _("%(actor)s returned %(report)s for correction.", **words)
        if status == "accepted":
            return _("%(actor)s accepted %(report)s.", **words)
    return None


def _departments(session, ids) -> dict[int, str]:
    return dict(session.execute(sa.select(Department.id, Department.name).where(Department.id.in_(ids))).all())


def _department_sentence(reading: Reading) -> str | None:
    name = reading.subject or reading.value("name")
    if reading.action == "create":
        return _("%(actor)s added %(department)s to the departments and agencies that report.", actor=reading.actor,
                 department=name)
    if reading.action == "update" and reading.changed("active"):
        if reading.after("active"):
            return _("%(actor)s asked %(department)s for its reports again.", actor=reading.actor, department=name)
        return _("%(actor)s stopped asking %(department)s for reports.", actor=reading.actor, department=name)
    return None


describe_reference("department", _departments)
describe_table(
    Department, subject="department", sentence=_department_sentence,
    record=lambda reading: _("the department or agency %(department)s",
                             department=reading.subject or reading.value("name") or "–"),
    fields={"name": _l("Name"), "active": _l("Asked for reports"), "province_id": _l("Province"),
            "created_at": _l("Added at")},
    hidden=("id",), references={"province_id": "unit"})


def _round_sentence(reading: Reading) -> str | None:
    if reading.action == "create" and not reading.after("created_by_id"):
        return _("The deadline sweep set the report round %(round)s on its first day, the next of a recurring round.",
                 round=_round_title(reading, reading.subject))
    return None


describe_reference("report_round", _rounds)
describe_reference("unit_report", _reports_of(Report))
describe_reference("unit_report_comment", _reports_of(ReportComment, ReportComment.report))
describe_reference("unit_report_escalation", _reports_of(ReportEscalation, ReportEscalation.report))
describe_table(
    ReportRound, subject="report_round", sentence=_round_sentence,
    record=lambda reading: _("the report round %(round)s", round=_round_title(reading, reading.subject)),
    fields={"kind": _lp("periodic report", "Report"), "period_start": _l("Period from"), "period_end": _l("Period to"),
            "due_on": _l("Due on"), "consolidation_due_on": _l("Consolidated reports due on"),
            "recurrence": _l("Recurs"), "province_id": _l("Province"), "created_by_id": _l("Set by"),
            "created_at": _l("Set at"), "communes_report": _l("The communes report"),
            "districts_report": _l("The districts report")},
    hidden=("id", "previous_id"), values={"kind": KINDS, "recurrence": RECURRENCES},
    references={"province_id": "unit", "created_by_id": "person"})
describe_table(
    Report, subject="unit_report", record=_report, sentence=_report_sentence,
    fields={"status": _l("State"), "unit_id": _l("Unit"), "department_id": _l("Department or agency"),
            "round_id": _l("Round"), "number": _l("Number"),
            "signer_name": _l("Signed by"), "signer_title": _l("Signer's title"), "return_reason": _l("Why returned"),
            "sections_json": _l("Narrative"), "figures_json": _l("Figures as sent"),
            "parts_json": _l("Reports consolidated"), "due_at": _l("Due"), "submitted_at": _l("Sent at"),
            "submitted_by_id": _l("Person who sent it"), "reviewed_at": _l("Reviewed at"),
            "reviewed_by_id": _l("Reviewed by"),
            "saved_at": _l("Saved at"), "saved_by_id": _l("Saved by")},
    hidden=("id", "version"), values={"status": STATUSES},
    formats={"sections_json": _sections, "figures_json": _figures, "parts_json": _parts},
    references={"unit_id": "unit", "department_id": "department", "submitted_by_id": "person",
                "reviewed_by_id": "person", "saved_by_id": "person"})
describe_table(
    ReportComment, subject="unit_report_comment",
    record=lambda reading: _("a comment on %(report)s", report=_report(reading)),
    fields={"body": _l("Comment"), "author_id": _l("Written by"), "created_at": _l("Written at")},
    hidden=("id", "report_id"), references={"author_id": "person"})
describe_table(
    ReportEscalation, subject="unit_report_escalation",
    record=lambda reading: _("%(report)s, late, raised to the level above", report=_report(reading)),
    fields={"to_unit_id": _l("Raised to"), "from_unit_id": _l("Late unit"), "level": _l("Level"),
            "raised_at": _l("Raised at"), "acknowledged_at": _l("Acknowledged at"),
            "acknowledged_by_id": _l("Acknowledged by")},
    hidden=("id", "report_id", "previous_id"),
    references={"to_unit_id": "unit", "from_unit_id": "unit", "acknowledged_by_id": "person"})
describe_action("unit_report_printed", lambda reading: _("%(actor)s printed %(report)s.",
                                                         actor=reading.actor, report=_report(reading)),
                fields={"format": _l("Format")}, subject="unit_report")
describe_action("unit_report_exported", lambda reading: _("%(actor)s exported the figures of %(report)s.",
                                                          actor=reading.actor, report=_report(reading)),
                fields={"format": _l("Format")}, subject="unit_report")
