"""Declarative base, constraint naming convention and column types shared by every model."""
import time
from datetime import datetime, timezone
from functools import wraps

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator):
    """A moment in time, stored as UTC and always returned timezone-aware.

    SQLite keeps no offset, so values are normalised to UTC before they are stored.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


CUT_MARK = "…"


def fit(value, column) -> str | None:
    """`value` as text that `column` (a bounded String) can hold: cut, and then ending in CUT_MARK, when longer.

    For values recorded rather than kept as data (what a refused request asked for): PostgreSQL refuses a value
    longer than its column, and SQLite stores it whole, so an unchecked one fails on one database only.
    """
    if value is None:
        return None
    text, limit = str(value), column.type.length
    return text if len(text) <= limit else text[:limit - len(CUT_MARK)] + CUT_MARK


def tune_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite as a web application's database: write-ahead log (readers and the writer do not block each
    other), durable at checkpoints rather than at every commit, foreign keys on, and a wait for the lock."""
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "busy_timeout = 5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


# A pooled connection idle this long is checked before use (seconds).
IDLE_BEFORE_PING = 10


def ping_idle_connections(engine: sa.Engine) -> None:
    """Check a pooled connection before use when it has sat idle, as `pool_pre_ping` would on every checkout.

    Idle connections are those a database restart or a firewall's timeout breaks. Checking busy ones too would
    cost every request two round trips (psycopg opens a transaction for the check).
    A connection that fails the check is replaced, and the request carries on.
    """

    def checked_in(dbapi_connection, connection_record) -> None:
        connection_record.info["idle_since"] = time.monotonic()

    def checked_out(dbapi_connection, connection_record, connection_proxy) -> None:
        idle_since = connection_record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < IDLE_BEFORE_PING:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            # The driver opened a transaction for the check; one left open would keep the request from reading
            # outside a transaction (`reads_only`) or in another isolation level.
            dbapi_connection.rollback()
        except Exception as error:
            raise sa.exc.DisconnectionError() from error

    sa.event.listen(engine, "checkin", checked_in)
    sa.event.listen(engine, "checkout", checked_out)


class WriteRefused(RuntimeError):
    """A view marked `reads_only` tried to write."""


def reads_only(view):
    """Run a view that only reads outside a transaction, which spares each request two of its round trips to the
    database (BEGIN and ROLLBACK; about a tenth of the case list's time).

    A refusal still records itself: `access.refuse` rolls back first, and the session's next transaction is an
    ordinary one. Any other write is refused (`refuse_writes_outside_transactions`), since without a transaction a
    change could be kept without its audit entry.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        from app.extensions import db

        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)

    return wrapped


def refuse_writes_outside_transactions(session: Session, *args) -> None:
    if session.in_transaction() and \
            session.connection().get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        raise WriteRefused("a view marked reads_only tried to write")


def install_write_guard() -> None:
    """Attach the guard to every session, ahead of the audit recorder's own commit hook (once per process)."""
    if sa.event.contains(Session, "before_commit", refuse_writes_outside_transactions):
        return
    sa.event.listen(Session, "before_flush", refuse_writes_outside_transactions, insert=True)
    sa.event.listen(Session, "before_commit", refuse_writes_outside_transactions, insert=True)


def release_session(exception=None) -> None:
    """Give the request's connection back to the pool at the end of the request, before Flask-SQLAlchemy removes
    the session. A connection the server cut meanwhile (a restart) fails its rollback: it is then dropped from the
    pool rather than failing a request whose answer is already made."""
    from app.extensions import db

    try:
        db.session.close()
    except sa.exc.DBAPIError:
        db.session().invalidate()


def _note_commit(session: Session) -> None:
    if has_request_context():
        g.database_saved = True


def saved_in_this_request() -> bool:
    """Whether this request committed something (its change is kept whatever happens to the request after)."""
    return bool(has_request_context() and g.get("database_saved"))


def install_commit_notes() -> None:
    if not sa.event.contains(Session, "after_commit", _note_commit):
        sa.event.listen(Session, "after_commit", _note_commit)


def insert_once(session: Session, row) -> int | None:
    """Insert `row` in a transaction of its own and give its id; None when a unique constraint finds it there already
    (a sweep run twice, or on two machines at once, raises nothing twice)."""
    try:
        session.add(row)
        session.commit()
    except sa.exc.IntegrityError:
        session.rollback()
        return None
    return row.id
