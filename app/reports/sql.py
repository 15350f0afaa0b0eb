"""Date arithmetic that PostgreSQL and SQLite spell differently, for reports that count in the database.

Times are stored in UTC; reports count by the day in the app's time zone. On SQLite (development and
tests) the zone's current offset is applied, which is exact for Viet Nam (no daylight saving since 1975).
"""
from __future__ import annotations

from datetime import datetime, timezone

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


def tune_for_reports() -> None:
    """For the rest of this transaction on PostgreSQL: memory to hash and sort a province's year of cases
    without spilling to disk, and no JIT, whose compilation costs more than it saves on these aggregates.

    No hash joins either. The statistics join a year's cases to their children, categories, deadlines and
    assessments; the covering indexes (ix_*_for_statistics) give both sides in key order, and merging them
    costs about half the CPU of building and probing a hash table of half a million rows, which the planner
    still prefers (bench/reports.py). Small scopes are unaffected: they join by nested loops."""
    if _dialect() == "postgresql":
        db.session.execute(sa.text("SET LOCAL work_mem = '64MB'"))
        db.session.execute(sa.text("SET LOCAL jit = off"))
        db.session.execute(sa.text("SET LOCAL enable_hashjoin = off"))


def median_and_count(values: sa.Subquery, column: str) -> tuple[float | None, int]:
    """The median of `values.c[column]` and how many there are: PostgreSQL computes both in one pass; SQLite
    lacks the aggregate, so the values come to Python."""
    if _dialect() == "postgresql":
        median, count = db.session.execute(sa.select(sa.func.percentile_cont(0.5).within_group(values.c[column]),
                                                     sa.func.count())).one()
        return median, count
    found = sorted(float(value) for value in db.session.scalars(sa.select(values.c[column])))
    if not found:
        return None, 0
    middle = len(found) // 2
    return (found[middle] if len(found) % 2 else (found[middle - 1] + found[middle]) / 2), len(found)
