"""Date arithmetic that PostgreSQL and SQLite spell differently, for reports that count in the database.

Times are stored in UTC; reports count by the day in the app's time zone. On SQLite (development and
tests) the zone's current offset is applied, which is exact for Viet Nam (no daylight saving since 1975).
"""
from __future__ import annotations

import queue
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Callable, Iterator

import sqlalchemy as sa
from flask import current_app

from app.extensions import db


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _zone_name() -> str:
    return current_app.config["APP_TIMEZONE"]


def _sqlite_local(column) -> sa.ColumnElement:
    from zoneinfo import ZoneInfo

    offset = datetime.now(timezone.utc).astimezone(ZoneInfo(_zone_name())).utcoffset()
    return sa.func.datetime(column, f"{int(offset.total_seconds()):+d} seconds")


def age_at(moment, date_of_birth, birth_year) -> sa.ColumnElement:
    """Whole years of age on the local day of `moment`; from the birth year alone when the date is unknown."""
    if _dialect() == "postgresql":
        local = sa.cast(sa.func.timezone(_zone_name(), moment), sa.Date)
        return sa.case((date_of_birth.isnot(None), sa.func.date_part("year", sa.func.age(local, date_of_birth))),
                       else_=sa.func.date_part("year", local) - birth_year)
    local = _sqlite_local(moment)

    def year(value):
        return sa.cast(sa.func.strftime("%Y", value), sa.Integer)

    before_birthday = sa.case((sa.func.strftime("%m-%d", local) < sa.func.strftime("%m-%d", date_of_birth), 1),
                              else_=0)
    return sa.case((date_of_birth.isnot(None), year(local) - year(date_of_birth) - before_birthday),
                   else_=year(local) - birth_year)


def seconds_between(later, earlier) -> sa.ColumnElement:
    if _dialect() == "postgresql":
        return sa.func.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def local_month(moment) -> sa.ColumnElement:
    """`YYYY-MM` of the local day of `moment`."""
    if _dialect() == "postgresql":
        return sa.func.to_char(sa.func.timezone(_zone_name(), moment), "YYYY-MM")
    return sa.func.strftime("%Y-%m", _sqlite_local(moment))


def bit_or(column) -> sa.ColumnElement:
    """The bits of `column` over a group's rows, each row holding a single bit (or none): SQLite has no bit_or,
    and there the sum of the distinct values is the same."""
    if _dialect() == "postgresql":
        return sa.func.bit_or(column)
    return sa.func.sum(sa.distinct(column))


def _tune(connection: sa.Connection) -> None:
    """For the rest of this transaction on PostgreSQL: memory to hash and sort a province's year of cases
    without spilling to disk, and no JIT, whose compilation costs more than it saves on these aggregates.

    No hash joins either. The statistics join a year's cases to their children, categories, deadlines and
    assessments; the covering indexes (ix_*_for_statistics) give both sides in key order, and merging them
    costs about half the CPU of building and probing a hash table of half a million rows, which the planner
    still prefers (bench/reports.py). Small scopes are unaffected: they join by nested loops."""
    for setting in ("work_mem = '64MB'", "jit = off", "enable_hashjoin = off", "max_parallel_workers_per_gather = 0"):
        connection.execute(sa.text(f"SET LOCAL {setting}"))


# How many connections count a report's figures at once on PostgreSQL: one per core of the database server.
REPORT_CONNECTIONS = 2
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+-[0-9]+")


def count_all(queries: dict[str, sa.Select]) -> dict[str, list[sa.Row]]:
    """The rows of every query, by name, all read from one snapshot of the database.

    On PostgreSQL the queries run on REPORT_CONNECTIONS connections at once, read-only, sharing the snapshot
    that the first exports (as pg_dump's parallel jobs do): a province's year of figures is several seconds of
    one core's work, and the figures must still agree with each other. SQLite runs them one after the other in
    the session's own transaction.
    """
    if _dialect() != "postgresql":
        return {name: db.session.execute(query).all() for name, query in queries.items()}
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for item in queries.items():
        pending.put(item)
    answers: dict[str, list[sa.Row]] = {}
    failed = threading.Event()

    def drain(connection: sa.Connection) -> None:
        _tune(connection)
        while not failed.is_set():
            try:
                name, query = pending.get_nowait()
            except queue.Empty:
                return
            try:
                answers[name] = connection.execute(query).all()
            except Exception:
                failed.set()  # the other connections stop after their current query
                raise

    engine = db.engine
    helpers = min(REPORT_CONNECTIONS, len(queries)) - 1
    with _read_only(engine) as first:
        snapshot = first.scalar(sa.text("SELECT pg_export_snapshot()"))
        with ThreadPoolExecutor(max_workers=max(helpers, 1)) as pool:
            started = [pool.submit(_drain_on_snapshot, engine, snapshot, drain) for _ in range(helpers)]
            drain(first)
            # The exporting transaction stays open until every helper has imported its snapshot and finished.
            for helper in started:
                helper.result()
    return answers


@contextmanager
def _read_only(engine: sa.Engine) -> Iterator[sa.Connection]:
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            connection.execute(sa.text("SET TRANSACTION READ ONLY"))
            yield connection


def _drain_on_snapshot(engine: sa.Engine, snapshot: str, drain: Callable[[sa.Connection], None]) -> None:
    if not _SNAPSHOT_ID.fullmatch(snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    with _read_only(engine) as connection:
        # SET TRANSACTION takes no parameters; the id was checked above.
        connection.execute(sa.text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
        drain(connection)


def median_and_count(values: sa.Subquery, column: str) -> sa.Select:
    """What `median_and_count_of` reads to give the median of `values.c[column]` and how many there are:
    PostgreSQL computes both in one pass; SQLite lacks the aggregate, so the values come to Python."""
    if _dialect() == "postgresql":
        return sa.select(sa.func.percentile_cont(0.5).within_group(values.c[column]), sa.func.count())
    return sa.select(values.c[column])


def median_and_count_of(rows: list[sa.Row]) -> tuple[float | None, int]:
    if _dialect() == "postgresql":
        median, count = rows[0]
        return median, count
    found = sorted(float(value) for value, in rows)
    if not found:
        return None, 0
    middle = len(found) // 2
    return (found[middle] if len(found) % 2 else (found[middle - 1] + found[middle]) / 2), len(found)
