"""The commune's register of decisions: each decision (Mẫu 05, Mẫu 07) numbered once, per issuing unit and year."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.models import Case, CaseRecord
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.units.models import Unit
from app.users.models import User

# The decisions the register numbers, by the form that prints them (Decree 56/2017, appendix).
DECISION_FORMS = ("mau-05", "mau-07")


class DecisionSequence(db.Model):
    """The last number a unit gave in a year; the row is locked while a number is taken, so that two printers at
    once get two numbers in turn, as CaseSequence does for case references."""

    __tablename__ = "decision_sequences"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int]


class DecisionNumber(CaseRecord, db.Model):
    """One line of the register: the number a decision carries for good. A decision is a plan approved (Mẫu 05) or
    a temporary isolation decided (Mẫu 07); it is numbered once, and a number is never given twice."""

    __tablename__ = "decision_numbers"
    __table_args__ = (
        sa.UniqueConstraint("unit_id", "year", "number"),
        sa.CheckConstraint(sa.column("form").in_(DECISION_FORMS), name="form"),
        # Exactly one decision per line, and at most one line per decision.
        sa.CheckConstraint("(plan_id IS NULL) <> (emergency_measure_id IS NULL)", name="one_decision"),
        sa.UniqueConstraint("plan_id"),
        sa.UniqueConstraint("emergency_measure_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    year: Mapped[int]
    number: Mapped[int]
    form: Mapped[str] = mapped_column(sa.String(8))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id"))
    emergency_measure_id: Mapped[int | None] = mapped_column(sa.ForeignKey("emergency_measures.id"))
    assigned_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    unit: Mapped[Unit] = relationship()
    assigned_by: Mapped[User] = relationship()

    @property
    def label(self) -> str:
        """As the decision prints it: "12/QĐ-UBND" (Decree 30/2020 on administrative documents: number/type-body)."""
        return f"{self.number}/QĐ-UBND"
