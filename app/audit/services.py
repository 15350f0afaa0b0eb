"""Reading the trail: searching within scope, exporting, and verifying the chain."""
from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.access import audit_about_subtree, refuse, scoped_audit_entries
from app.audit.chain import FIELDS, Verdict, verify, verify_after
from app.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from app.audit.narrative import Narrator, as_changes
from app.audit.recorder import record
from app.extensions import db
from app.spreadsheets import csv_row
from app.units.services import find_unit

VERIFY_BATCH = 10_000
EXPORT_BATCH = 1000
# What the export reads of each entry: what the narrative tells, and the entry's number and hash.
EXPORTED = (AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.actor_id, AuditEntry.actor_role,
            AuditEntry.actor_unit, AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.case_ref,
            AuditEntry.unit_path, AuditEntry.changes, AuditEntry.hash)


@dataclass(frozen=True)
class AuditFilter:
    """What an inspector narrows the trail to.

    A date is a whole day in the app's time zone (both ends included); a datetime is an exact moment.
    """

    since: date | datetime | None = None
    until: date | datetime | None = None
    actor: str | None = None
    unit: str | None = None
    case: str | None = None
    action: str | None = None

    def as_changes(self) -> dict:
        return {key: str(value) for key, value in asdict(self).items() if value}


def _local(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(current_app.config["APP_TIMEZONE"]))


def _day_start(day: date) -> datetime:
    return _local(datetime.combine(day, time.min))


def filtered(viewer, filters: AuditFilter) -> sa.Select:
    query = scoped_audit_entries(viewer)
    if isinstance(filters.since, datetime):
        query = query.where(AuditEntry.at >= _local(filters.since))
    elif filters.since:
        query = query.where(AuditEntry.at >= _day_start(filters.since))
    if isinstance(filters.until, datetime):
        query = query.where(AuditEntry.at <= _local(filters.until))
    elif filters.until:
        query = query.where(AuditEntry.at < _day_start(filters.until + timedelta(days=1)))
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor.strip().lower())
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.case:
        query = query.where(AuditEntry.case_ref == filters.case.strip())
    if filters.unit:
        unit = find_unit(filters.unit)
        query = query.where(audit_about_subtree(unit.path) if unit else sa.false())
    return query


def page(viewer, filters: AuditFilter, before: int | None = None,
         limit: int = 50) -> tuple[list[AuditEntry], int | None]:
    """Newest first, `limit` entries older than `before`; also the `before` of the next page, if any.

    Keyset pagination: with millions of entries, an offset would scan everything it skips.
    """
    query = filtered(viewer, filters)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    entries = list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1)))
    more = len(entries) > limit
    entries = entries[:limit]
    return entries, (entries[-1].id if more else None)


def open_entry(viewer, entry_id: int) -> AuditEntry:
    """One entry for reading (and the reading recorded); 404, recorded too, when out of the viewer's scope."""
    entry = db.session.scalar(scoped_audit_entries(viewer).where(AuditEntry.id == entry_id))
    if entry is None:
        refuse(404, entity="audit_entries", entity_id=entry_id)
    record_reading("audit_view", entry_id=entry_id)
    return entry


def as_dict(entry: AuditEntry) -> dict:
    """The API's shape of an entry (../shared/API.md, Audit)."""
    return {
        "id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor, "role": entry.actor_role,
        "unit": entry.actor_unit, "action": entry.action, "entity": entry.entity, "entity_id": entry.entity_id,
        "case": entry.case_ref, "changes": json.loads(entry.changes) if entry.changes else None, "ip": entry.ip,
        "request_id": entry.request_id, "hash": entry.hash, "prev_hash": entry.prev_hash,
    }


def record_reading(action: str, filters: AuditFilter | None = None, entry_id: int | None = None) -> None:
    """Reading the trail is itself recorded."""
    record(db.session, action, entity="audit_entries" if entry_id else None, entity_id=entry_id,
           changes=filters.as_changes() if filters else None)
    db.session.commit()


def csv_headings() -> list[str]:
    """The export's column headings, in the reader's language; the entry's number and hash last, for checking an
    entry against the chain (the integrity check names entries by number)."""
    return [_("Time"), _("Person"), _("Role"), _("Unit"), _("What was done"), _("Case"),
            _("Details"), _("Entry number"), _("Hash")]


def csv_rows(query: sa.Select, headings: list[str]) -> Iterator[str]:
    """The entries `query` selects, newest first, as CSV that a spreadsheet reads: UTF-8 with a byte-order mark
    (so that Excel shows the diacritics), each entry told as a sentence with local times, no cell run as a formula
    (app/spreadsheets.py).

    Streams after the request's session is gone: `query` already holds the reader's scope, and the entries are
    read on a connection of the export's own, EXPORT_BATCH at a time by id (the trail only grows, so later
    entries never slip in), each batch told with one query per kind of record it names. Memory stays flat
    however many entries there are.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(csv_row(headings))
    yield buffer.getvalue()
    query = query.with_only_columns(*EXPORTED).order_by(AuditEntry.id.desc()).limit(EXPORT_BATCH)
    with db.engine.connect() as connection, Session(bind=connection) as session:
        narrator = Narrator(session)
        before = None
        while True:
            entries = session.execute(query if before is None else query.where(AuditEntry.id < before)).all()
            buffer.seek(0)
            buffer.truncate()
            for entry, told in zip(entries, narrator.tell(entries), strict=True):
                writer.writerow(csv_row([told.time, told.person, told.role, told.unit, told.sentence, told.case,
                                         told.changes_text(), entry.id, entry.hash]))
            # Each batch in a transaction of its own: a long download holds no snapshot and no lock.
            session.rollback()
            session.expunge_all()
            yield buffer.getvalue()
            if len(entries) < EXPORT_BATCH:
                return
            before = entries[-1].id


def _time_as_text(connection: sa.Connection) -> sa.ColumnElement:
    """`at` formatted by the database as the chain hashes it, which spares a conversion per entry."""
    if connection.dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", AuditEntry.at), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    # SQLite stores `YYYY-MM-DD HH:MM:SS.ffffff` in UTC.
    return sa.func.replace(AuditEntry.at, " ", "T") + "Z"


@contextmanager
def _snapshot() -> Iterator[sa.Connection]:
    """One snapshot of the database, so that writers appending meanwhile are neither mistaken for breaks nor
    blocked (on PostgreSQL; SQLite holds its writers back meanwhile)."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        else:
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _chained(connection: sa.Connection) -> sa.Select:
    """The values that enter each entry's hash (FIELDS), then its stored hash."""
    columns = [_time_as_text(connection) if field == "at" else getattr(AuditEntry, field) for field in FIELDS]
    return sa.select(*columns, AuditEntry.hash)


def _head(connection: sa.Connection) -> tuple[int, str]:
    return tuple(connection.execute(sa.select(AuditHead.last_id, AuditHead.last_hash)).one())


def verify_chain(checkpoint: tuple[int, str] | None = None) -> Verdict:
    """Walk the whole chain, on one snapshot."""
    with _snapshot() as connection:
        head = _head(connection)
        rows = connection.execute(_chained(connection).order_by(AuditEntry.id)
                                  .execution_options(yield_per=VERIFY_BATCH))
        return verify(rows, GENESIS_HASH, expected_head=head, checkpoint=checkpoint)


@dataclass(frozen=True)
class ChainCheck:
    """The chain as an extract checks it. `verdict` is that of the entries walked now; `basis` the full
    verification they were walked on from, whose last entry was `basis_head` (no basis: a full verification
    was made now, and recorded)."""

    verdict: Verdict
    basis: AuditEntry | None = None
    basis_head: int | None = None


def verified_basis() -> tuple[AuditEntry, int, str] | None:
    """The latest full verification if it found the chain whole: its entry, and the id and hash of the last
    entry it verified. None when there is none, when it found a break (then only a full check tells the
    state now), or when it predates recording the hash. A verification naming an entry at or after its own
    is no basis: it is itself on the chain after what it verified, so walking on from there checks it too."""
    entry = last_verification()
    result = as_changes(entry.changes) if entry else {}
    head_id, head_hash = result.get("head_id"), result.get("head_hash")
    if (result.get("ok") is not True or not isinstance(head_id, int) or not isinstance(head_hash, str)
            or not 0 <= head_id < entry.id):
        return None
    return entry, head_id, head_hash


def verify_since_last_verification() -> ChainCheck:
    """Check the chain for an extract without re-reading the whole trail: from the last full verification on,
    if there is a sound one (chain.verify_after: that verification's last entry must still hash as it did,
    then each entry after it must link on); else the whole chain, recorded as a full verification.

    This does NOT prove that the entries before that verification's last entry are unchanged since: they are
    not read. The next full verification (`flask audit verify`, or the audit page's button) finds that.
    """
    basis = verified_basis()
    if basis is None:
        verdict = verify_chain()
        record_verification(verdict)
        return ChainCheck(verdict)
    entry, head_id, head_hash = basis
    with _snapshot() as connection:
        head = _head(connection)
        anchor = connection.execute(_chained(connection).where(AuditEntry.id == head_id)).one_or_none()
        rows = connection.execute(_chained(connection).where(AuditEntry.id > head_id).order_by(AuditEntry.id)
                                  .execution_options(yield_per=VERIFY_BATCH))
        verdict = verify_after((head_id, head_hash), anchor, rows, expected_head=head)
    return ChainCheck(verdict, entry, head_id)


def current_checkpoint() -> dict:
    """The head of the chain, to keep outside the database (`audit verify --checkpoint`)."""
    last_id, last_hash = db.session.execute(sa.select(AuditHead.last_id, AuditHead.last_hash)).one()
    return {"id": last_id, "hash": last_hash}


def record_verification(verdict: Verdict) -> None:
    """Record a full verification; the last entry it reached and that entry's hash are what later extracts walk
    on from (verify_since_last_verification)."""
    record(db.session, "audit_verify", changes={"ok": verdict.ok, "entries": verdict.entries,
                                                 "first_broken": verdict.first_broken, "reason": verdict.reason,
                                                 "head_id": verdict.head_id, "head_hash": verdict.head_hash})
    db.session.commit()


def last_verification() -> AuditEntry | None:
    """The latest check of the whole chain, whoever ran it: the result concerns everyone's entries."""
    return db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "audit_verify")
                             .order_by(AuditEntry.id.desc()).limit(1))
