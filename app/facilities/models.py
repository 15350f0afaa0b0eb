"""The register of facilities that care for or shelter children, their inspections and corrections (issue 19,
point 6)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.cases.models import Case, EmergencyMeasure
from app.children.models import Child
from app.extensions import db
from app.facilities.checklist import KINDS, PLACEMENT_KINDS
from app.orm import UTCDateTime, utcnow
from app.referrals.models import Provider
from app.units.models import Unit
from app.users.models import User


class Facility(Audited, db.Model):
    """A facility that cares for or shelters children, filed under the unit where it stands (its address).

    Its own record rather than a kind of `Provider`: a provider is a unit's list of whom to refer a case to (police,
    court, school), while a facility has a licence, a capacity, children living there and inspections. A facility
    that also receives referrals names its provider entry (`provider_id`), so one place is not kept twice."""

    __tablename__ = "facilities"
    __table_args__ = (sa.CheckConstraint(sa.column("kind").in_(list(KINDS)), name="kind"),
                      sa.CheckConstraint("capacity > 0", name="capacity"),
                      sa.Index("ix_facilities_unit_id", "unit_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300))
    capacity: Mapped[int]
    licence_number: Mapped[str | None] = mapped_column(sa.String(60))
    licence_issuer: Mapped[str | None] = mapped_column(sa.String(200))
    licence_issued_on: Mapped[date | None]
    licence_expires_on: Mapped[date | None]
    provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("providers.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(lazy="joined")
    provider: Mapped[Provider | None] = relationship()
    placements: Mapped[list[Placement]] = relationship(back_populates="facility", order_by="Placement.since.desc()")
    inspections: Mapped[list[Inspection]] = relationship(back_populates="facility",
                                                         order_by="Inspection.inspected_on.desc()")

    def audit_unit_path(self) -> str | None:
        return self.unit.path if self.unit else None


class _Part(Audited):
    """A facility's part is filed under the facility's unit."""

    def audit_unit_path(self) -> str | None:
        return self.facility.unit.path if self.facility is not None else None


class Placement(_Part, db.Model):
    """A child living at a facility, since a day and until a day (open while they live there), with the case and
    the measure that placed them when there is one (alternative care; a temporary isolation, Decree 56/2017
    art. 32)."""

    __tablename__ = "facility_placements"
    __table_args__ = (sa.CheckConstraint(sa.column("kind").in_(list(PLACEMENT_KINDS)), name="kind"),
                      sa.CheckConstraint("until IS NULL OR until >= since", name="until_after_since"),
                      sa.Index("ix_facility_placements_facility", "facility_id", "until"),
                      sa.Index("ix_facility_placements_child", "child_id"),
                      # A child lives in one place at a time: a second open stay, even from a double submit, stops
                      # here.
                      sa.Index("uq_facility_placements_child_open", "child_id", unique=True,
                               sqlite_where=sa.text("until IS NULL"), postgresql_where=sa.text("until IS NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"))
    child_id: Mapped[int] = mapped_column(sa.ForeignKey("children.id"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    measure_id: Mapped[int | None] = mapped_column(sa.ForeignKey("emergency_measures.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    since: Mapped[date]
    until: Mapped[date | None]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    facility: Mapped[Facility] = relationship(back_populates="placements")
    child: Mapped[Child] = relationship()
    case: Mapped[Case | None] = relationship()
    measure: Mapped[EmergencyMeasure | None] = relationship()


class Inspection(_Part, db.Model):
    """An inspection planned for a day, then recorded: the team, the checklist's findings, the violations found.
    A follow-up visit is an inspection that names the one it follows up."""

    __tablename__ = "facility_inspections"
    __table_args__ = (sa.Index("ix_facility_inspections_facility", "facility_id", "inspected_on"),
                      sa.Index("ix_facility_inspections_unit", "unit_id", "inspected_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"))
    # The unit whose people inspect (a province, or a district in 2024's structure): they follow up its corrections.
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    follows_up_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facility_inspections.id"))
    inspected_on: Mapped[date]
    team: Mapped[str] = mapped_column(sa.String(500))
    # The checklist's results, item -> met / not_met / not_checked (app/facilities/checklist.py), once recorded.
    findings: Mapped[dict | None] = mapped_column(sa.JSON)
    violations: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    planned_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    facility: Mapped[Facility] = relationship(back_populates="inspections")
    unit: Mapped[Unit] = relationship()
    follows_up: Mapped[Inspection | None] = relationship(remote_side=[id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    corrections: Mapped[list[Correction]] = relationship(back_populates="inspection", order_by="Correction.due_on")

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def violation_count(self) -> int:
        return sum(1 for result in (self.findings or {}).values() if result == "not_met")


class Correction(Audited, db.Model):
    """What the facility must put right after an inspection, by a day; done when a follow-up visit finds it so.
    Past its day and not done, the sweep raises it (`CorrectionEscalation`)."""

    __tablename__ = "facility_corrections"
    __table_args__ = (sa.Index("ix_facility_corrections_open", "done_on", "due_on"),
                      sa.Index("ix_facility_corrections_inspection", "inspection_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("facility_inspections.id"))
    description: Mapped[str] = mapped_column(sa.Text)
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    done_note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    inspection: Mapped[Inspection] = relationship(back_populates="corrections")
    escalations: Mapped[list[CorrectionEscalation]] = relationship(back_populates="correction",
                                                                   order_by="CorrectionEscalation.level")

    def audit_unit_path(self) -> str | None:
        return self.inspection.facility.unit.path if self.inspection is not None else None

    @property
    def raised_to(self) -> Unit | None:
        """The unit it was last raised to, while it is not done."""
        return self.escalations[-1].to_unit if self.escalations and self.done_on is None else None


class CorrectionEscalation(Audited, db.Model):
    """A correction past its deadline and not found done, raised by the deadline sweep to the unit above the
    inspecting one (the province itself when the province inspected), and a level higher while nobody there
    acknowledges it within a working day, as a late report is. It waits for the province officers there: their
    department licenses the facility and may suspend it (Decree 103/2017), which the inspecting team cannot.
    It closes when a follow-up visit finds the correction done. The constraints make the sweep safe to run twice."""

    __tablename__ = "facility_correction_escalations"
    __table_args__ = (sa.UniqueConstraint("correction_id", "to_unit_id"), sa.UniqueConstraint("previous_id"),
                      sa.Index("ix_facility_correction_escalations_to_unit", "to_unit_id", "acknowledged_at"),
                      sa.Index("ix_facility_correction_escalations_correction", "correction_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    correction_id: Mapped[int] = mapped_column(sa.ForeignKey("facility_corrections.id"))
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    level: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facility_correction_escalations.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    correction: Mapped[Correction] = relationship(back_populates="escalations", lazy="joined")
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id], lazy="joined")
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])

    def audit_unit_path(self) -> str | None:
        return self.correction.audit_unit_path() if self.correction is not None else None
