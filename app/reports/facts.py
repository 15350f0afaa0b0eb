"""What the statistics count of each case, kept in one narrow row per case.

A province's yearly statistics read half a million cases. Joined to their children, categories and
assessments at reading, that cost several seconds of database work (bench/reports.py); read from this table,
a single scan. The rows are derived data, like an index: every flush that touches what they copy (a case, its
child's sex or birth, its categories, its initial assessments) rewrites those cases' rows from the source tables
in the same transaction, so the figures never disagree with the cases. They are not audited: the changes they
follow already are. Changes made outside the application (SQL by hand) and a change of APP_TIMEZONE, in which
the ages are counted, call for `flask reports rebuild-facts`.
"""
from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.cases.models import CATEGORIES, Assessment, Case, CaseCategory
from app.children.models import Child
from app.extensions import db
from app.orm import UTCDateTime
from app.reports.sql import age_at

# Each category's bit in `CaseFacts.categories`. Fixed, never renumbered: stored rows hold them.
CATEGORY_BITS = {"violence": 1, "sexual_abuse": 2, "exploitation": 4, "neglect": 8, "abandonment": 16,
                 "trafficking": 32, "other": 64}
assert set(CATEGORY_BITS) == set(CATEGORIES), "every category needs its own bit in CaseFacts.categories"


class CaseFacts(db.Model):
    __tablename__ = "case_facts"
    # A unit's new cases of a period in one range scan that never visits the table, a province's in one per unit
    # (SQLite ignores INCLUDE).
    __table_args__ = (sa.Index("ix_case_facts_unit_id_received_at", "unit_id", "received_at",
                               postgresql_include=["child_sex", "child_age", "categories", "first_assessed_at"]),)

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column()
    received_at = mapped_column(UTCDateTime, nullable=False)
    child_sex: Mapped[str] = mapped_column(sa.String(8))
    # Whole years on the local day of the report (reports.sql.age_at): computing it while counting was a third of
    # the cost of a province's year.
    child_age: Mapped[int] = mapped_column()
    # The sum of CATEGORY_BITS of the case's categories.
    categories: Mapped[int] = mapped_column()
    # The first initial assessment, if any.
    first_assessed_at = mapped_column(UTCDateTime)
    # Abused or at risk (Mẫu 01; Case.harm_status), null where the report did not say.
    harm_status: Mapped[str | None] = mapped_column(sa.String(8))


def facts_of(case_ids: sa.ColumnElement | None = None) -> sa.Select:
    """The facts rows of the cases `case_ids` selects (every case when None), read from the source tables."""
    bits = sa.case(*[(CaseCategory.category == name, bit) for name, bit in CATEGORY_BITS.items()], else_=0)
    categories = (sa.select(sa.func.coalesce(sa.func.sum(bits), 0)).where(CaseCategory.case_id == Case.id)
                  .scalar_subquery())
    first_assessed = (sa.select(sa.func.min(Assessment.created_at))
                      .where(Assessment.case_id == Case.id, Assessment.kind == "initial").scalar_subquery())
    age = sa.cast(age_at(Case.received_at, Child.date_of_birth, Child.birth_year), sa.Integer)
    query = (sa.select(Case.id, Case.unit_id, Case.received_at, Child.sex, age, categories, first_assessed,
                       Case.harm_status)
             .join(Child, Child.id == Case.child_id))
    return query if case_ids is None else query.where(case_ids)


FACT_COLUMNS = ("case_id", "unit_id", "received_at", "child_sex", "child_age", "categories", "first_assessed_at",
                "harm_status")


def rewrite(connection: sa.Connection, case_ids=(), child_ids=()) -> None:
    """Rewrite from the source tables the facts of the cases `case_ids` and of the children `child_ids`."""
    if case_ids or child_ids:
        for statement in _statements(connection.dialect.name, current_app.config["APP_TIMEZONE"]):
            connection.execute(statement, {"case_ids": list(case_ids), "child_ids": list(child_ids)})


def rewrite_all(connection: sa.Connection) -> None:
    """Rewrite every case's facts (`flask reports rebuild-facts`, and cases written in SQL)."""
    table = CaseFacts.__table__
    connection.execute(table.delete())
    connection.execute(table.insert().from_select(FACT_COLUMNS, facts_of()))


def drifted(connection: sa.Connection) -> int:
    """How many cases' stored facts differ from a fresh reading of the cases (missing or extra rows included)."""
    stored = sa.select(*[CaseFacts.__table__.c[name] for name in FACT_COLUMNS])
    fresh = facts_of()
    differing = set()
    for difference in (stored.except_(fresh).subquery(), fresh.except_(stored).subquery()):
        differing.update(connection.scalars(sa.select(list(difference.c)[0])))
    return len(differing)


@lru_cache(maxsize=4)
def _statements(dialect: str, zone: str) -> tuple[sa.Executable, ...]:
    """Built once per dialect and time zone (the ages depend on it): building them cost more than running them.
    `zone` is the one `age_at` reads; it keys the cache."""
    table = CaseFacts.__table__
    which = sa.or_(Case.id.in_(sa.bindparam("case_ids", expanding=True)),
                   Case.child_id.in_(sa.bindparam("child_ids", expanding=True)))
    if dialect != "postgresql":
        # SQLite writes one transaction at a time: nothing can interleave.
        return (table.delete().where(table.c.case_id.in_(sa.select(Case.id).where(which))),
                table.insert().from_select(FACT_COLUMNS, facts_of(which)))
    # A child being corrected by another transaction is read once that one has committed, and is not corrected
    # meanwhile: otherwise a case opened for the child at the same moment would keep the old values.
    wait_for_children = (sa.select(Child.id).where(Child.id.in_(sa.select(Case.child_id).where(which)))
                         .order_by(Child.id).with_for_update(read=True))
    # Inserted or updated, never deleted first: two transactions rewriting one case's row must not collide.
    upsert = postgresql.insert(table).from_select(FACT_COLUMNS, facts_of(which))
    return (wait_for_children,
            upsert.on_conflict_do_update(index_elements=[table.c.case_id],
                                         set_={name: upsert.excluded[name] for name in FACT_COLUMNS[1:]}))


_CHILD_FACTS = ("sex", "date_of_birth", "birth_year")
_CASE_FACTS = ("unit_id", "received_at", "child_id", "harm_status")


def _changed(obj, names) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _follow_changes(session: Session, flush_context) -> None:
    """After each flush: rewrite the facts of the cases whose copied values it changed."""
    case_ids, child_ids = set(), set()
    for obj in session.new:
        if isinstance(obj, Case):
            case_ids.add(obj.id)
        elif isinstance(obj, CaseCategory) or (isinstance(obj, Assessment) and obj.kind == "initial"):
            case_ids.add(obj.case_id)
    for obj in session.dirty:
        if isinstance(obj, Case) and _changed(obj, _CASE_FACTS):
            case_ids.add(obj.id)
        elif isinstance(obj, Child) and _changed(obj, _CHILD_FACTS):
            child_ids.add(obj.id)
        elif isinstance(obj, Assessment) and _changed(obj, ("kind", "created_at", "case_id")):
            case_ids.add(obj.case_id)
    for obj in session.deleted:
        if isinstance(obj, (CaseCategory, Assessment)):
            case_ids.add(obj.case_id)
    if not case_ids and not child_ids:
        return
    rewrite(session.connection(), case_ids, child_ids)


def install() -> None:
    """Follow every session's flushes (once per process)."""
    if not sa.event.contains(Session, "after_flush", _follow_changes):
        sa.event.listen(Session, "after_flush", _follow_changes)
