from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.cases.models import Case
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.units.models import Unit
from app.users.models import User

# How a record found its new unit: the old unit's whole successor; a divided commune, or one the succession does not
# name, placed by a person; an account that fits no successor, closed.
RULES = {
    "full": _l("whole successor"),
    "partial": _l("divided commune: placed by a person"),
    "unknown": _l("successor not named: placed by a person"),
    "closed": _l("account closed: no unit to move it to"),
}
# What moves with its unit.
MOVED = ("cases", "users", "providers", "referrals", "escalations")


class Reorganisation(Audited, db.Model):
    """One run of `flask units reorganise`: which lists, which province, when it began and ended."""

    __tablename__ = "reorganisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_edition: Mapped[str] = mapped_column(sa.String(16))
    to_edition: Mapped[str] = mapped_column(sa.String(16))
    province_code: Mapped[str | None] = mapped_column(sa.String(16))
    effective_on: Mapped[date] = mapped_column(sa.Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    started_by: Mapped[User | None] = relationship()


class Move(Audited, db.Model):
    """One record carried from an old unit to a new one by a run. A case whose new commune a person must choose
    waits with `to_unit_id` empty, held meanwhile by the new province; choosing fills it (`decided_by`)."""

    __tablename__ = "reorganisation_moves"
    __table_args__ = (
        sa.UniqueConstraint("entity", "entity_id", "from_unit_id"),
        sa.CheckConstraint(sa.column("rule").in_(list(RULES)), name="rule"),
        sa.CheckConstraint(sa.column("entity").in_(MOVED), name="entity"),
        sa.Index("ix_reorganisation_moves_waiting", "held_by_id", "to_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("reorganisations.id"), index=True)
    entity: Mapped[str] = mapped_column(sa.String(16))
    entity_id: Mapped[int] = mapped_column()
    # The case moved, or whose referral or escalation was re-addressed: the trail files the move under it.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    # The unit that holds the record until a person places it (the new province), then the unit it went to.
    held_by_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    rule: Mapped[str] = mapped_column(sa.String(16))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[Reorganisation] = relationship()
    case: Mapped[Case | None] = relationship(lazy="joined")
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id], lazy="joined")
    held_by: Mapped[Unit] = relationship(foreign_keys=[held_by_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])
    decided_by: Mapped[User | None] = relationship()

    @property
    def waiting(self) -> bool:
        return self.to_unit_id is None

    def audit_case_ref(self) -> str | None:
        return self.case.reference if self.case else None

    def audit_unit_path(self) -> str | None:
        return (self.to_unit or self.held_by).path
