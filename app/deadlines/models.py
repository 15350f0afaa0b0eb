from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.extensions import db
from app.units.models import Unit


class Holiday(Audited, db.Model):
    """A public holiday (or a compensatory day off): not a working day, whatever the day of the week."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))


class ServiceStandard(Audited, db.Model):
    """A province's own service standards: how long its communes take over steps the law sets no limit for. They are
    local rules, shown and escalated as such, never cited as law."""

    __tablename__ = "service_standards"
    __table_args__ = (sa.CheckConstraint("initial_assessment_working_days BETWEEN 1 AND 20",
                                         name="initial_assessment_working_days"),)

    # The province (a top-level unit) whose standard this is.
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    initial_assessment_working_days: Mapped[int]

    unit: Mapped[Unit] = relationship()

    def audit_unit_path(self) -> str | None:
        return self.unit.path if self.unit else None
