"""The history tab of a case: its changes from the audit trail, told as sentences (app/audit/narrative.py)."""
from __future__ import annotations

from app.audit.narrative import Told, narrate


def history_items(rows) -> list[Told]:
    """The rows of queries.history as the history tab shows them: sentences in the reader's language, people,
    units and records by name, the reporter's identity withheld. An update of bookkeeping alone (the time and
    version a step stamps on the case) says nothing to the reader and is left to the full trail."""
    entries = [row.AuditEntry for row in rows]
    return [told for entry, told in zip(entries, narrate(entries, for_history=True), strict=True)
            if told.changes or entry.action != "update"]
