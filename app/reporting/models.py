"""Reporting up the tree (issue 19): rounds the province sets, each unit's report in a round, the receiver's
comments, and the escalation of a report not sent in time."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.units.models import Unit
from app.users.models import User

# The plan's section III: every locality reviews and reports its implementation to the province, through the
# department; the Month of Action for Children runs from 1 to 30 June each year.
KINDS = {"half_year": _l("Six-monthly child-protection report"),
         "year": _l("Yearly child-protection report"),
         "month_of_action": _l("Month of Action for Children report")}
RECURRENCES = {"none": _l("Once"), "half": _l("Every half-year"), "year": _l("Every year")}
SECTION_LABELS = {"results": _l("Results"), "difficulties": _l("Difficulties and shortcomings"),
                  "proposals": _l("Proposals and recommendations"), "activities": _l("Activities carried out"),
                  "children_reached": _l("Children reached"), "funds": _l("Funds raised and spent")}
SECTIONS = {"half_year": ("results", "difficulties", "proposals"),
            "year": ("results", "difficulties", "proposals"),
            "month_of_action": ("activities", "children_reached", "funds", "difficulties", "proposals")}
STATUSES = {"draft": _l("Not yet sent"), "submitted": _l("Sent, awaiting review"),
            "returned": _l("Returned for correction"), "accepted": _l("Accepted by the level above")}
# A report still to be sent by its unit.
OPEN_STATUSES = ("draft", "returned")


class Department(Audited, db.Model):
    """A department or agency of a province (Sở Y tế, Công an tỉnh, Tỉnh đoàn…) that reports on the plan's
    implementation to the province, through the department of labour that consolidates. It holds no cases: its
    people write its reports and nothing else."""

    __tablename__ = "departments"
    __table_args__ = (sa.UniqueConstraint("province_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # A department merged or dissolved is asked for no more reports; its past ones stay.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    province: Mapped[Unit] = relationship(lazy="joined")

    def audit_unit_path(self) -> str:
        return db.session.get(Unit, self.province_id).path


class ReportRound(Audited, db.Model):
    """One report asked of every unit of a province for one period, due on a day; consolidating units (districts,
    the province) are due later, once their units' reports are in."""

    __tablename__ = "report_rounds"
    __table_args__ = (sa.UniqueConstraint("previous_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date)
    consolidation_due_on: Mapped[date] = mapped_column(sa.Date)
    recurrence: Mapped[str] = mapped_column(sa.String(8), default="none")
    # Whether the communes and the districts report; the departments asked are those with a report in the round.
    communes_report: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    districts_report: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # The round this one repeats: each round is repeated once.
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report_rounds.id"))
    # None for a round the deadline sweep set, the next of a recurring one.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    province: Mapped[Unit] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    previous: Mapped[ReportRound | None] = relationship(remote_side=[id])

    def audit_unit_path(self) -> str:
        return self.province.path

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def title(self) -> str:
        return f"{self.kind_label} {self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"


class Report(Audited, db.Model):
    """A unit's report in a round, or a department's (filed at its province, `department_id` set). A unit's figures
    are a snapshot of named figure groups (app/reporting/figures.py), written when it is sent and never again; until
    then the page shows them as they stand. A department's report is narrative only: it holds no cases to count."""

    __tablename__ = "unit_reports"
    __table_args__ = (sa.Index("uq_unit_reports_round_id_unit_id", "round_id", "unit_id", unique=True,
                               sqlite_where=sa.text("department_id IS NULL"),
                               postgresql_where=sa.text("department_id IS NULL")),
                      sa.Index("uq_unit_reports_round_id_department_id", "round_id", "department_id", unique=True,
                               sqlite_where=sa.text("department_id IS NOT NULL"),
                               postgresql_where=sa.text("department_id IS NOT NULL")),
                      sa.Index("ix_unit_reports_status_due_at", "status", "due_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("report_rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sections_json: Mapped[str] = mapped_column(sa.Text, default="{}")
    figures_json: Mapped[str | None] = mapped_column(sa.Text)
    # The accepted reports a consolidated one summed, with their narratives, as they were when it was sent.
    parts_json: Mapped[str | None] = mapped_column(sa.Text)
    number: Mapped[str | None] = mapped_column(sa.String(40))
    signer_name: Mapped[str | None] = mapped_column(sa.String(120))
    signer_title: Mapped[str | None] = mapped_column(sa.String(120))
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    saved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    return_reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    round: Mapped[ReportRound] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    saved_by: Mapped[User | None] = relationship(foreign_keys=[saved_by_id])
    comments: Mapped[list[ReportComment]] = relationship(back_populates="report", order_by="ReportComment.id")

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def reporter_name(self) -> str:
        """Who sends it: the department, or the unit."""
        return self.department.name if self.department else self.unit.name

    @property
    def sections(self) -> dict:
        return json.loads(self.sections_json or "{}")

    @property
    def figures(self) -> dict | None:
        return json.loads(self.figures_json) if self.figures_json else None

    @property
    def parts(self) -> list:
        return json.loads(self.parts_json) if self.parts_json else []

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def due_day(self) -> date:
        """The last day it may be sent, local time."""
        from app.deadlines.services import local_zone

        return (self.due_at.astimezone(local_zone()) - timedelta(seconds=1)).date()

    def late(self, now: datetime) -> bool:
        return self.is_open and self.due_at < now


class ReportComment(Audited, db.Model):
    __tablename__ = "unit_report_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("unit_reports.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="comments")
    author: Mapped[User] = relationship(lazy="joined")

    def audit_unit_path(self) -> str:
        return db.session.get(Report, self.report_id).unit.path


class ReportEscalation(Audited, db.Model):
    """A report not sent by its due time, raised by the sweep to the unit above, and higher while nobody there
    acknowledges it, as a case's missed deadline is. The constraints make the sweep safe to run twice."""

    __tablename__ = "unit_report_escalations"
    __table_args__ = (sa.UniqueConstraint("report_id", "to_unit_id"), sa.UniqueConstraint("previous_id"),
                      sa.Index("ix_unit_report_escalations_to_unit_id_acknowledged_at", "to_unit_id",
                               "acknowledged_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("unit_reports.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    level: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit_report_escalations.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    report: Mapped[Report] = relationship(lazy="joined")
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id], lazy="joined")
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])

    def audit_unit_path(self) -> str:
        return db.session.get(Unit, self.to_unit_id).path
