"""The history tab of a case: its changes from the audit trail, told as sentences (app/audit/narrative.py)."""
from __future__ import annotations

from app.audit.narrative import Told, narrate


def history_items(rows) -> list[Told]:
    """The rows of queries.history as the history tab shows them: sentences in the reader's language, people,
    units and records by name, bookkeeping left out and the reporter's identity withheld."""
    return narrate([row.AuditEntry for row in rows], for_history=True)
