"""The register of decisions: a number per issuing unit and year, given to a decision once and never again.

The unit's row of `decision_sequences` is taken with an upsert that locks it until the transaction ends, so that
two people numbering at once get consecutive numbers in turn. The same decision numbered by two people at once
is refused by the unique line per decision: the second transaction rolls back, its number with it, and reads the
number the first gave, so no number is skipped or given twice.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.cases.models import Case, Plan
from app.documents.models import DecisionNumber, DecisionSequence
from app.extensions import db
from app.units.models import Unit
from app.users.models import User


def _line_of(subject) -> sa.ColumnElement:
    if isinstance(subject, Plan):
        return DecisionNumber.plan_id == subject.id
    return DecisionNumber.emergency_measure_id == subject.id


def number_of(subject) -> DecisionNumber | None:
    """The register's line for a decision (an approved plan, an isolation decided), if it has been numbered."""
    return db.session.scalar(sa.select(DecisionNumber).where(_line_of(subject)))


def _next_number(unit: Unit, year: int) -> int:
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DecisionSequence).values(unit_id=unit.id, year=year, last=1)
    statement = statement.on_conflict_do_update(index_elements=["unit_id", "year"],
                                                set_={"last": DecisionSequence.last + 1})
    return db.session.scalar(statement.returning(DecisionSequence.last))


def number_decision(form: str, case: Case, subject, year: int, by: User) -> DecisionNumber:
    """The decision's number in the register of the case's unit for `year`, given now if it has none; committed
    in a transaction of its own, so that the number stands whatever follows."""
    existing = number_of(subject)
    if existing is not None:
        return existing
    unit = case.unit
    try:
        line = DecisionNumber(unit_id=unit.id, year=year, number=_next_number(unit, year), form=form,
                              case=case, assigned_by_id=by.id,
                              **({"plan_id": subject.id} if isinstance(subject, Plan)
                                 else {"emergency_measure_id": subject.id}))
        db.session.add(line)
        db.session.commit()
    except IntegrityError:
        # Another person numbered this decision meanwhile: their number stands, and ours was rolled back unused.
        db.session.rollback()
        return db.session.scalar(sa.select(DecisionNumber).where(_line_of(subject)))
    return line
