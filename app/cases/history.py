"""The history tab of a case: its changes from the audit trail, as people read them."""
from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.access import role_label
from app.audit.recorder import ACTIONS
from app.cases import workflow
from app.cases.models import (CATEGORIES, CLOSURE_REASONS, DEADLINES, FIELDS, PARTS, RISK_LEVELS, SOURCES,
                              STEP_DETAILS, TIMELINE_KINDS, WITHHELD_IN_HISTORY)
from app.cases.queries import full_names
from app.escalations.models import Escalation, explained
from app.extensions import db
from app.i18n import display_date, display_datetime
from app.input_guard import whole_number

# Values shown by their labels, per part and field.
VALUE_LABELS = {("cases", "status"): workflow.STATUSES, ("cases", "risk_level"): RISK_LEVELS,
                ("assessments", "risk_level"): RISK_LEVELS, ("cases", "source"): SOURCES,
                ("cases", "closure_reason"): CLOSURE_REASONS, ("case_categories", "category"): CATEGORIES,
                ("case_deadlines", "name"): DEADLINES, ("timeline_entries", "kind"): TIMELINE_KINDS,
                ("case_steps", "action"): workflow.ACTIONS, ("case_steps", "detail"): STEP_DETAILS}
DATES = frozenset({"due_date", "isolation_from", "isolation_until", "isolation_ended_on"})
PEOPLE = frozenset({"assigned_worker_id", "closure_proposed_by_id", "created_by_id", "drafted_by_id", "decided_by_id",
                    "author_id", "user_id"})
# Bookkeeping that says nothing to a reader; who and when head every entry.
UNSHOWN = frozenset({"id", "case_id", "plan_id", "child_id", "unit_id", "version", "created_at", "updated_at"})


def history_items(rows) -> list[dict]:
    """The rows of queries.history as the history tab shows them: labels in the reader's language, people by name,
    bookkeeping left out and the reporter's identity withheld."""
    changes = [(row, json.loads(row.AuditEntry.changes) if row.AuditEntry.changes else {}) for row in rows]
    _explain_sweep_reasons(changes)
    people = {value for _row, fields in changes for name, pair in fields.items() if name in PEOPLE
              for value in pair if isinstance(value, int)}
    names = full_names(people)
    return [{"at": row.AuditEntry.at, "who": row.full_name or row.AuditEntry.actor or _("anonymous"),
             "role": role_label(row.AuditEntry.actor_role),
             "action": ACTIONS.get(row.AuditEntry.action, row.AuditEntry.action),
             "part": PARTS.get(row.AuditEntry.entity, row.AuditEntry.entity),
             "fields": [(FIELDS.get(name, name), _shown(row.AuditEntry.entity, name, before, names),
                         _shown(row.AuditEntry.entity, name, after, names))
                        for name, (before, after) in sorted(fields.items()) if name not in UNSHOWN]}
            for row, fields in changes]


def _explain_sweep_reasons(changes) -> None:
    """The sweep's reasons as the reader reads them (`Escalation.explanation`), not in the language of the command
    that stored them; the trail keeps what was stored."""
    raised = {int(row.AuditEntry.entity_id): (row.AuditEntry.case_ref, fields) for row, fields in changes
              if row.AuditEntry.entity == "escalations" and "reason" in fields
              and whole_number(row.AuditEntry.entity_id) is not None}
    if not raised:
        return
    automatic = sa.select(Escalation).where(Escalation.id.in_(raised), Escalation.automatic).options(*explained())
    for escalation in db.session.scalars(automatic):
        case_ref, fields = raised[escalation.id]
        if escalation.case.reference == case_ref:  # the same escalation, not a later one given the same id
            fields["reason"] = [fields["reason"][0], escalation.explanation]


def _shown(part: str, field: str, value, names: dict[int, str]) -> str:
    if value is None:
        return "–"
    if field in WITHHELD_IN_HISTORY:
        return _("(not shown)")
    if field in PEOPLE:
        return names.get(value, str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if (part, field) in VALUE_LABELS:
        return str(VALUE_LABELS[part, field].get(value, value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    try:
        if field.endswith("_at"):
            return display_datetime(datetime.fromisoformat(value))
        if field in DATES:
            return display_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        pass
    return str(value)
