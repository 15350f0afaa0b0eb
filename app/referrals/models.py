from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.cases.models import Case, CaseRecord
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.referrals.workflow import STATUSES
from app.units.models import Unit
from app.users.models import User

PROVIDER_KINDS = {
    "police": _l("Police"),
    "health": _l("Health facility"),
    "social_work_centre": _l("Social work centre"),
    "court": _l("Court"),
    "school": _lp("institution", "School"),
    "other": _l("Other"),
}
# Consent to share the child's file (Law on Children 2016 arts. 6.11 and 21; Personal Data Protection Law 2025
# art. 9): the child from age 7, and the carer; without it, only the legal ground of emergency protection.
CONSENTS = {
    "child_and_carer": _l("The child and the carer agreed"),
    "carer": _l("The carer agreed (the child is under 7)"),
    "emergency_protection": _l("No consent: shared for emergency protection"),
    "not_recorded": _l("Consent not recorded"),
}


class Provider(Audited, db.Model):
    """A service provider in a unit's register: police, health facility, social work centre, court, school."""

    __tablename__ = "providers"
    __table_args__ = (sa.CheckConstraint(sa.column("kind").in_(list(PROVIDER_KINDS)), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    name: Mapped[str] = mapped_column(sa.String(200))
    contact: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def label(self) -> str:
        return f"{self.name} ({PROVIDER_KINDS[self.kind]}, {self.unit.name})"


class Referral(CaseRecord, db.Model):
    """A case, or one service within it, handed to another unit or to a provider in a unit's register."""

    __tablename__ = "referrals"
    __table_args__ = (
        sa.CheckConstraint(sa.column("status").in_(list(STATUSES)), name="status"),
        sa.CheckConstraint(sa.column("consent").in_(list(CONSENTS)), name="consent"),
        sa.CheckConstraint("(to_unit_id IS NULL) <> (provider_id IS NULL)", name="one_receiver"),
        sa.Index("ix_referrals_receiving_unit_id_status", "receiving_unit_id", "status"),
        sa.Index("ix_referrals_from_unit_id_status", "from_unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("providers.id"))
    # The unit whose people answer: `to_unit`, or the unit whose register holds the provider.
    receiving_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    transfer: Mapped[bool] = mapped_column(default=False)
    service: Mapped[str | None] = mapped_column(sa.String(300))
    reason: Mapped[str] = mapped_column(sa.Text)
    urgent: Mapped[bool] = mapped_column(default=False)
    consent: Mapped[str] = mapped_column(sa.String(24), default="not_recorded")
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    approval_needed: Mapped[bool] = mapped_column(default=False)
    approval_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it was rejected, declined or withdrawn.
    closing_reason: Mapped[str | None] = mapped_column(sa.Text)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="referrals")
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id], lazy="joined")
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id], lazy="joined")
    provider: Mapped[Provider | None] = relationship(lazy="joined")
    receiving_unit: Mapped[Unit] = relationship(foreign_keys=[receiving_unit_id], lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def receiver_label(self) -> str:
        return self.provider.label if self.provider else self.to_unit.label

    @property
    def awaiting_approval(self) -> bool:
        return self.approval_needed and self.approved_at is None and self.status in (
            "pending_approval", "sent", "accepted")
