"""Writing the trail in the same transaction as the change.

A model joins the trail by inheriting `Audited`. Its inserts, updates and deletes are
collected after each flush and written, chained, just before the transaction commits:
a rollback leaves no entry, and a commit cannot happen without its entries. Statements
that would change an audited table behind the unit of work's back (ORM bulk update or
delete, Core DML) are refused, so nothing the application does can skip the trail.
"""
from __future__ import annotations

import getpass
import json
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Callable, Iterator

import sqlalchemy as sa
from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.audit.chain import entry_hash
from app.orm import utcnow

AUDITED_TABLES: set[str] = set()
# Every action an entry may carry, for the inspector's filter; each area adds its own.
ACTIONS = {
    "create": _l("Record created"),
    "update": _l("Record changed"),
    "delete": _l("Record deleted"),
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "lockout": _l("Account locked"),
    "sign_out": _l("Signed out"),
    "password_change_failed": _l("Wrong current password"),
    "access_denied": _l("Access refused"),
    "audit_view": _l("Audit trail read"),
    "audit_export": _l("Audit trail exported"),
    "audit_verify": _l("Audit chain verified"),
    "case_file_printed": _l("Case file printed"),
    "case_viewed": _l("Case file viewed"),
    "child_viewed": _l("Child's page viewed"),
    "statistics_export": _l("Statistics exported"),
    "indicators_export": _l("Indicators on children exported"),
    "attachment_viewed": _l("Attached file viewed or downloaded"),
    "attachment_files_verified": _l("Attached files checked against their hashes"),
    "attachment_orphans_removed": _l("Files of unfinished uploads removed"),
}
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REDACTED = "[redacted]"
_PENDING = "audit_pending"
# Sent to the drivers as they are, in their parameter styles: these run on every audited commit.
_SQLITE_LOCK_HEAD = "UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING last_id, last_hash"
_SQLITE_INSERT = ("INSERT INTO audit_entries (id, at, actor, actor_id, actor_role, actor_unit, ip, request_id, action, "
                  "entity, entity_id, case_ref, unit_path, changes, prev_hash, hash) VALUES (:id, :at, :actor, "
                  ":actor_id, :actor_role, :actor_unit, :ip, :request_id, :action, :entity, :entity_id, :case_ref, "
                  ":unit_path, :changes, :prev_hash, :hash)")
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite (UTC here)
_PG_APPEND = ("SELECT audit_append(%(at)s, %(actor)s, %(actor_id)s, %(actor_role)s, %(actor_unit)s, %(ip)s, "
              "%(request_id)s, %(action)s, %(entity)s, %(entity_id)s, %(case_ref)s, %(unit_path)s, %(changes)s)")
_IN_FLUSH = "audit_in_flush"
_FLUSH_MEMO = "audit_flush_memo"
_FOLDING = "audit_folding"
# The key under which an entry of `one_entry_each` carries the changes of every row it tells.
FOLDED_ROWS = "rows"


class AuditBypassRefused(RuntimeError):
    """A statement tried to change an audited table without going through the unit of work."""


@dataclass(frozen=True)
class Actor:
    name: str | None
    id: int | None = None
    role: str | None = None
    unit: str | None = None
    unit_path: str | None = None


def actor_for(user) -> Actor:
    return Actor(name=user.username, id=user.id, role=user.role, unit=user.unit.code, unit_path=user.unit.path)


def act_as(actor: Actor) -> None:
    """Attribute the rest of this request's entries to `actor` (signing in, before a session exists)."""
    g.audit_actor = actor


def current_actor() -> Actor:
    if has_request_context():
        from flask_login import current_user

        if "audit_actor" in g:
            return g.audit_actor
        return actor_for(current_user) if current_user.is_authenticated else Actor(name=None)
    return _command_line_actor()


@cache
def _command_line_actor() -> Actor:
    return Actor(name=f"cli:{getpass.getuser()}")


class Audited:
    """Mixin for models whose every insert, update and delete is recorded.

    `__audit_secret__` names columns whose values never enter the trail (only that
    they changed). Subclasses say which unit (and later which case) an entry is about.
    """

    __audit_secret__: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__tablename__" in cls.__dict__:  # a mapped model, not an intermediate mixin
            AUDITED_TABLES.add(cls.__tablename__)

    def audit_unit_path(self) -> str | None:
        return None

    def audit_case_ref(self) -> str | None:
        return None


@sa.event.listens_for(Audited, "mapper_configured", propagate=True)
def _load_old_values(mapper, cls) -> None:
    # Load the old value before it is overwritten, so that "before" is always known.
    for attribute in mapper.column_attrs:
        sa.event.listen(getattr(cls, attribute.key), "set", _keep_old_value, active_history=True)


def _keep_old_value(target, value, old_value, initiator):
    """Listener whose only purpose is `active_history`."""


def record(session: Session, action: str, *, entity: str | None = None, entity_id=None, case_ref: str | None = None,
           unit_path: str | None = None, changes: dict | None = None, actor: Actor | None = None) -> None:
    """Add an entry that is not a row change (a sign-in, a view, a refusal) to the current transaction."""
    session.info.setdefault(_PENDING, []).append({
        "action": action, "entity": entity, "entity_id": None if entity_id is None else str(entity_id),
        "case_ref": case_ref, "unit_path": unit_path, "changes": changes, "actor": actor})


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row_changes(obj: Audited, action: str) -> dict:
    state = sa.inspect(obj)
    columns = state.mapper.column_attrs
    # An update touches only the attributes whose old values the session kept.
    keys = [key for key in state.committed_state if key in columns] if action == "update" else columns.keys()
    changes = {}
    for key in keys:
        history = state.attrs[key].history
        if action == "create":
            before, after = None, (history.added or history.unchanged or [None])[0]
        elif action == "delete":
            before, after = (history.deleted or history.unchanged or [None])[0], None
        elif history.added or history.deleted:
            before, after = (history.deleted or [None])[0], (history.added or [None])[0]
        else:
            continue
        if before is None and after is None or before == after:
            continue
        if key in obj.__audit_secret__:
            before, after = before and REDACTED, after and REDACTED
        changes[key] = [_plain(before), _plain(after)]
    return changes


def _collect_row_changes(session: Session, flush_context) -> None:
    pending = session.info.setdefault(_PENDING, [])
    folding = session.info.get(_FOLDING)
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not isinstance(obj, Audited):
                continue
            changes = _row_changes(obj, action)
            if action == "update" and not changes:
                continue
            about = folding.owner(obj) if folding is not None else None
            if about is None:
                pending.append(_entry(obj, action, changes, obj))
            else:
                folding.rows.setdefault(about, []).append(
                    {"action": action, "entity": obj.__tablename__, "entity_id": _key(obj), "changes": changes})


def _entry(obj: Audited, action: str, changes: dict, about: Audited) -> dict:
    """A pending entry for `obj`, filed under the case and unit of `about` (`obj` itself, or the parent that
    dropped it)."""
    return {"action": action, "entity": obj.__tablename__, "entity_id": _key(obj),
            "case_ref": about.audit_case_ref(), "unit_path": about.audit_unit_path(), "changes": changes,
            "actor": None}


def _key(obj: Audited) -> str:
    # The identity key is set only after the flush; the primary key is already known here.
    return ",".join(map(str, sa.inspect(obj).mapper.primary_key_from_instance(obj)))


def _collect_dropped_rows(session: Session) -> None:
    """Rows dropped from a parent's collection (categories replaced, a plan's actions rewritten, carers
    replaced) are deleted by the flush without ever being in `session.deleted`, and have already lost their
    parent: their entries are written here, before the flush, from the parent that still knows them."""
    pending = session.info.setdefault(_PENDING, [])
    for parent in session.dirty:
        if not isinstance(parent, Audited):
            continue
        state = sa.inspect(parent)
        for relationship in state.mapper.relationships:
            if not relationship.cascade.delete_orphan:
                continue
            for row in state.attrs[relationship.key].history.deleted:
                row_state = sa.inspect(row)
                moved = relationship.back_populates and getattr(row, relationship.back_populates) is not None
                if isinstance(row, Audited) and row_state.persistent and row not in session.deleted and not moved:
                    pending.append(_entry(row, "delete", _row_changes(row, "delete"), parent))


@dataclass
class _Folding:
    action: str
    owner: Callable[[Audited], Audited | None]
    details: dict
    rows: dict = field(default_factory=dict)  # owner -> the changes of its rows, in the order they were flushed


@contextmanager
def one_entry_each(session: Session, action: str, owner: Callable[[Audited], Audited | None],
                   details: dict | None = None) -> Iterator[None]:
    """Within the block, the rows that `owner(row)` assigns to a record are told together, as ONE entry `action`
    about that record (filed under its case and unit), rather than one entry per row: a child put on the register
    by an import is one act, not three. The entry carries `details` and, under FOLDED_ROWS, every row's changes as
    its own entry would have (secret columns redacted alike), so nothing is told less; a row `owner` leaves
    (None) keeps its own entry, and an owner none of whose rows changed gets none. The block ends with a flush,
    so that every row it changed is told here; blocks do not nest."""
    if _FOLDING in session.info:
        raise RuntimeError("one_entry_each blocks do not nest")
    if action in ("create", "update", "delete"):
        raise ValueError("an entry telling several rows has an action of its own, not a row's")
    if FOLDED_ROWS in (details or {}):
        raise ValueError(f"details may not use the key {FOLDED_ROWS!r}")
    folding = session.info[_FOLDING] = _Folding(action, owner, dict(details or {}))
    try:
        yield
        session.flush()
    finally:
        # Also after a failure: rows already flushed stay told, should the caller commit all the same.
        session.info.pop(_FOLDING, None)
        pending = session.info.setdefault(_PENDING, [])
        for about, rows in folding.rows.items():
            pending.append({**_entry(about, action, {**folding.details, FOLDED_ROWS: rows}, about),
                            "action": action})


def _mark_flush(session: Session, flush_context, instances) -> None:
    if any(isinstance(obj, Audited) for obj in (*session.new, *session.dirty, *session.deleted)):
        _collect_dropped_rows(session)
        session.connection().info[_IN_FLUSH] = True


def _unmark_flush(session: Session, flush_context) -> None:
    session.connection().info.pop(_IN_FLUSH, None)
    session.info.pop(_FLUSH_MEMO, None)


def flush_memo(session: Session) -> dict:
    """A dict that lives for one flush: what a model looks up to say where its entries belong, once per flush
    rather than once per row."""
    return session.info.setdefault(_FLUSH_MEMO, {})


def _write_pending(session: Session) -> None:
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        append(session.connection(), pending)


def append(connection: sa.Connection, pending: list[dict]) -> None:
    """Extend the chain with `pending` entries; the head row stays locked until commit."""
    actor_default = current_actor()
    ip = request.remote_addr if has_request_context() else None
    request_id = g.get("request_id") if has_request_context() else None
    now = utcnow()
    entries = []
    for item in pending:
        actor = item["actor"] or actor_default
        entries.append({
            "at": now, "actor": actor.name, "actor_id": actor.id, "actor_role": actor.role, "actor_unit": actor.unit,
            "ip": ip, "request_id": request_id, "action": item["action"], "entity": item["entity"],
            "entity_id": item["entity_id"], "case_ref": item["case_ref"],
            "unit_path": item["unit_path"] or actor.unit_path,
            "changes": None if item["changes"] is None else json.dumps(item["changes"], ensure_ascii=False,
                                                                       sort_keys=True, default=str)})
    if connection.dialect.name == "postgresql":
        _append_in_postgresql(connection, entries)
    else:
        _append_here(connection, entries)


def _append_in_postgresql(connection: sa.Connection, entries: list[dict]) -> None:
    """One statement per entry: the database's `audit_append` locks the head and hashes, by the same rule
    as chain.py (the migration defines it; the outside-change triggers call it too)."""
    connection.exec_driver_sql(_PG_APPEND, entries[0] if len(entries) == 1 else entries)


def _append_here(connection: sa.Connection, entries: list[dict]) -> None:
    """Hash in Python (app/audit/chain.py) after locking the head row (on SQLite, the whole database);
    a trigger of the migration moves the head as each entry is inserted."""
    last_id, last_hash = connection.exec_driver_sql(_SQLITE_LOCK_HEAD).one()
    for entry in entries:
        entry.update(id=last_id + 1, prev_hash=last_hash)
        entry["hash"] = entry_hash(entry)
        entry["at"] = entry["at"].strftime(SQLITE_TIME)
        last_id, last_hash = entry["id"], entry["hash"]
    connection.exec_driver_sql(_SQLITE_INSERT, entries[0] if len(entries) == 1 else entries)


def _forget(session: Session, *args) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_FOLDING, None)
    session.info.pop(_FLUSH_MEMO, None)


def _refuse_bypass(connection, clause, multiparams, params, execution_options) -> None:
    if isinstance(clause, (sa.Insert, sa.Update, sa.Delete)) and clause.table.name in AUDITED_TABLES \
            and not connection.info.get(_IN_FLUSH):
        raise AuditBypassRefused(
            f"{type(clause).__name__.removeprefix('Annotated')} on audited table {clause.table.name} outside the "
            "unit of work would skip the audit trail; load the objects and change them instead")


def mark_application_connection(dbapi_connection, connection_record) -> None:
    """Tell PostgreSQL's outside-change triggers that this connection is the application's, whose changes
    the recorder writes itself (the triggers' WHEN clause reads this setting)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET audit.application = 'on'")
    dbapi_connection.commit()


def install() -> None:
    """Attach the recorder to every session and engine (once per process)."""
    if sa.event.contains(Session, "after_flush", _collect_row_changes):
        return
    sa.event.listen(Session, "before_flush", _mark_flush)
    sa.event.listen(Session, "after_flush", _collect_row_changes)
    sa.event.listen(Session, "after_flush_postexec", _unmark_flush)
    sa.event.listen(Session, "before_commit", _write_pending)
    sa.event.listen(Session, "after_commit", _forget)
    sa.event.listen(Session, "after_rollback", _forget)
    sa.event.listen(sa.Engine, "before_execute", _refuse_bypass)
    # A flush that failed midway never reaches after_flush_postexec; the connection must not keep the mark.
    for ending in ("commit", "rollback"):
        sa.event.listen(sa.Engine, ending, _clear_connection_mark)


def _clear_connection_mark(connection) -> None:
    # A connection the server cut is invalidated, its info gone with it; asking for it would raise.
    if not connection.invalidated:
        connection.info.pop(_IN_FLUSH, None)


def _assign_request_id() -> None:
    supplied = request.headers.get("X-Request-ID", "")
    g.request_id = supplied if REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex


def _echo_request_id(response):
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response


def init_app(app) -> None:
    """Give every request an id (the proxy's, if it sent a sane one) that its entries carry."""
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)
