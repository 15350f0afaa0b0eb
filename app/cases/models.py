from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.cases.workflow import ACTIONS, STATUSES
from app.children.models import Child
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.units.models import Unit
from app.users.models import User

if TYPE_CHECKING:  # defined in their own areas, which build on cases
    from app.escalations.models import Escalation
    from app.referrals.models import Referral

CATEGORIES = {
    "violence": _l("Physical or emotional violence"),
    "sexual_abuse": _l("Sexual abuse"),
    "exploitation": _l("Exploitation, including child labour"),
    "neglect": _l("Neglect"),
    "abandonment": _l("Abandonment"),
    "trafficking": _l("Trafficking"),
    "other": _l("Other"),
}
SOURCES = {
    "hotline_111": _l("Hotline 111"),
    "police": _l("Police"),
    "school": _lp("institution", "School"),
    "health": _l("Health facility"),
    "family": _l("Family"),
    "community": _l("Community"),
    "child": _lp("report source", "The child"),
    "other": _l("Other"),
}
RISK_LEVELS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
CLOSURE_REASONS = {
    "safe_stable": _l("Safe and stable"),
    "turned_16": _l("Turned 16"),
    "moved_away": _l("Moved away, file handed over"),
    "died": _l("Died"),
    "other": _l("Other"),
}
DEADLINES = {
    # A local rule, not the law's (Decree 56/2017 art. 26.2 sets no limit): the label says so wherever it shows.
    "initial_assessment": _l("Initial assessment (local standard)"),
    "emergency_measures": _l("Emergency measures"),
    "plan_draft": _l("Plan drafted"),
    "plan_approval": _l("Plan approved"),
    "isolation_end": _l("End of temporary isolation"),
    "plan_action": _l("Plan action due"),
    "review": _l("Review (Mẫu 06)"),
}
# Decree 56/2017 art. 25.1 and Mẫu 01: a child abused, or at risk of abuse; the statistics count them apart.
HARM_STATUSES = {"abused": _l("Abused"), "at_risk": _l("At risk of abuse")}
# Where the abuse happened, as the ministry's statistics on abused children count it (Circular 13/2021, indicator
# 0101); null on cases recorded before it was asked, counted as not known.
ABUSE_SETTINGS = {"home": _l("At home"), "school": _l("At school"), "public_place": _l("In a public place"),
                  "online": _l("Online"), "other": _l("Elsewhere")}
# Whether the child and the carer agreed to their data being kept (Law on Children 2016 arts. 6.11 and 21: a child
# of 7 or more is asked too; Personal Data Protection Law 2025 art. 9 on consent).
CHILD_CONSENTS = {"agreed": _l("The child agreed"), "refused": _l("The child did not agree"),
                  "under_7": _l("Not asked: the child is under 7"),
                  # A report by telephone (hotline 111, police): the child is not there to be asked yet.
                  "not_reached": _l("Not asked yet: the child could not be reached")}
CARER_CONSENTS = {"agreed": _l("The carer agreed"), "refused": _l("The carer did not agree"),
                  "not_reached": _l("No carer could be asked")}
# The legal ground for keeping the data without consent (Personal Data Protection Law 2025: processing without the
# data subject's consent, to protect life and health in an emergency or to carry out a duty the law sets).
DATA_GROUNDS = {"protect_life": _l("To protect the child's life or health in an emergency"),
                "legal_duty": _l("A duty the law sets: Law on Children 2016 arts. 47-52, Decree 56/2017 arts. 25-32")}
TIMELINE_KINDS = {"visit": _l("Visit"), "contact": _l("Contact"), "service": _l("Service"), "note": _l("Note")}


@dataclass(frozen=True)
class Criterion:
    """A criterion of Mẫu 06, scored as the form scores it (Cao, Trung bình, Thấp: `high`, `medium`, `low`), with
    the plain words a worker picks among, the good answer first, and which level is the good one."""

    label: object
    answers: dict[str, object]
    good: str


# Decree 56/2017 art. 30, Mẫu 06: the review after the plan, on the form's own criteria. For the first three a low
# level is good; for the child's own ability to protect themselves and recover, a high one.
REVIEW_CRITERIA = {
    "harm": Criterion(_l("Does the harm to the child, or its risk, remain?"),
                      {"low": _lp("harm", "No longer"), "medium": _lp("harm", "Reduced"),
                       "high": _lp("harm", "Still there")}, good="low"),
    "abuser_access": Criterion(_l("Can the person who harmed the child still reach them?"),
                               {"low": _lp("abuser access", "No, or hardly"),
                                "medium": _lp("abuser access", "Sometimes"),
                                "high": _lp("abuser access", "Regularly")}, good="low"),
    "care_obstacles": Criterion(_l("Obstacles to the child's safety in the care setting"),
                                {"low": _lp("obstacles", "Few or none"), "medium": _lp("obstacles", "Some"),
                                 "high": _lp("obstacles", "Many")}, good="low"),
    "self_protection": Criterion(_l("The child's ability to protect themselves and recover"),
                                 {"high": _lp("ability", "Good"), "medium": _lp("ability", "Partial"),
                                  "low": _lp("ability", "Weak")}, good="high"),
}
REVIEW_LEVELS = ("high", "medium", "low")
# The criteria reviews were scored on before Mẫu 06's own (each high, medium or low risk): kept to read them as
# they were recorded.
FORMER_REVIEW_CRITERIA = {
    "safety": _l("Safety"),
    "health": _l("Health"),
    "education": _l("Education and development"),
    "family_care": _l("Family care and living conditions"),
}

# What a step decided (CaseStep.detail): the keys of these tables do not overlap.
STEP_DETAILS = {**RISK_LEVELS, **CLOSURE_REASONS, "isolation": _l("Temporary isolation")}
# The case page names the reporter only when they agreed; the history never shows these values.
WITHHELD_IN_HISTORY = frozenset({"reporter_name", "reporter_contact"})


class CaseRecord(Audited):
    """A record that belongs to a case: its trail entries carry the case reference and the case's unit."""

    def audit_case_ref(self) -> str | None:
        return self.case.reference if self.case else None

    def audit_unit_path(self) -> str | None:
        return self.case.unit.path if self.case else None


class Case(Audited, db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        sa.CheckConstraint(sa.column("status").in_(list(STATUSES)), name="status"),
        sa.CheckConstraint(sa.column("risk_level").in_(list(RISK_LEVELS)), name="risk_level"),
        sa.CheckConstraint(sa.column("harm_status").in_(list(HARM_STATUSES)), name="harm_status"),
        sa.CheckConstraint(sa.column("abuse_setting").in_(list(ABUSE_SETTINGS)), name="abuse_setting"),
        sa.CheckConstraint(sa.column("child_consent").in_(list(CHILD_CONSENTS)), name="child_consent"),
        sa.CheckConstraint(sa.column("carer_consent").in_(list(CARER_CONSENTS)), name="carer_consent"),
        sa.CheckConstraint(sa.column("data_ground").in_(list(DATA_GROUNDS)), name="data_ground"),
        sa.Index("ix_cases_unit_id_status", "unit_id", "status"),
        # The list's default order, within a unit and across a whole subtree.
        sa.Index("ix_cases_unit_id_received_at", "unit_id", "received_at"),
        sa.Index("ix_cases_received_at", "received_at"),
        # The statistics join half a million cases of a year to their children, categories, deadlines and
        # assessments. Read in key order from indexes that hold every column they need, the joins merge instead
        # of hashing and never touch the tables (bench/reports.py: about half the time).
        sa.Index("ix_cases_id_for_statistics", "id",
                 postgresql_include=["received_at", "unit_id", "status", "closed_at"]),
        # A name search finds a few hundred children, then their cases: with every column the list sorts and shows
        # held here, without visiting the table (bench/cases.py).
        sa.Index("ix_cases_child_id", "child_id",
                 postgresql_include=["received_at", "unit_id", "id", "reference", "status", "risk_level"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    child_id: Mapped[int] = mapped_column(sa.ForeignKey("children.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default="reported")
    source: Mapped[str] = mapped_column(sa.String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reporter_name: Mapped[str | None] = mapped_column(sa.String(200))
    reporter_contact: Mapped[str | None] = mapped_column(sa.String(100))
    reporter_may_be_named: Mapped[bool] = mapped_column(default=False)
    place: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text)
    immediate_danger: Mapped[bool] = mapped_column(default=False)
    # When the current episode began, if the case was reopened; the report's time otherwise.
    episode_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    action_taken: Mapped[str | None] = mapped_column(sa.Text)
    # Mẫu 01: abused or at risk (null on reports recorded before it was asked), and the harm foreseen.
    harm_status: Mapped[str | None] = mapped_column(sa.String(8))
    harm_foreseen: Mapped[str | None] = mapped_column(sa.Text)
    abuse_setting: Mapped[str | None] = mapped_column(sa.String(16))
    # Consent to the data being kept, null where it was not recorded (reports before issue 15, or over the API).
    child_consent: Mapped[str | None] = mapped_column(sa.String(12))
    carer_consent: Mapped[str | None] = mapped_column(sa.String(12))
    data_ground: Mapped[str | None] = mapped_column(sa.String(16))
    risk_level: Mapped[str | None] = mapped_column(sa.String(8))
    assigned_worker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    closure_reason: Mapped[str | None] = mapped_column(sa.String(16))
    closure_note: Mapped[str | None] = mapped_column(sa.Text)
    closure_proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Indexed: the recorder's "received" list of what they forwarded (access.scoped_forwarded).
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Every save must name the version it was made on; SQLAlchemy refuses a stale one.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(lazy="joined")
    child: Mapped[Child] = relationship(lazy="joined")
    assigned_worker: Mapped[User | None] = relationship(foreign_keys=[assigned_worker_id])
    closure_proposed_by: Mapped[User | None] = relationship(foreign_keys=[closure_proposed_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    # Both sides named, so that a part added to a case knows its case before the flush, when the trail
    # records which case it belongs to.
    category_rows: Mapped[list[CaseCategory]] = relationship(back_populates="case", cascade="all, delete-orphan")
    deadlines: Mapped[list[Deadline]] = relationship(back_populates="case", cascade="all, delete-orphan",
                                                     lazy="selectin", order_by="Deadline.due_at")
    assessments: Mapped[list[Assessment]] = relationship(back_populates="case", cascade="all, delete-orphan",
                                                         order_by="Assessment.id")
    emergency_measures: Mapped[list[EmergencyMeasure]] = relationship(back_populates="case",
                                                                      cascade="all, delete-orphan",
                                                                      order_by="EmergencyMeasure.id")
    plans: Mapped[list[Plan]] = relationship(back_populates="case", cascade="all, delete-orphan", order_by="Plan.id")
    timeline: Mapped[list[TimelineEntry]] = relationship(back_populates="case", cascade="all, delete-orphan",
                                                         order_by="TimelineEntry.occurred_at.desc()")
    reviews: Mapped[list[Review]] = relationship(back_populates="case", cascade="all, delete-orphan",
                                                 order_by="Review.id")
    referrals: Mapped[list[Referral]] = relationship(back_populates="case", order_by="Referral.id")
    escalations: Mapped[list[Escalation]] = relationship(back_populates="case", order_by="Escalation.id")
    steps: Mapped[list[CaseStep]] = relationship(back_populates="case", cascade="all, delete-orphan",
                                                 order_by="CaseStep.id")

    def audit_case_ref(self) -> str:
        return self.reference

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def categories(self) -> list[str]:
        return sorted(row.category for row in self.category_rows)

    @property
    def episode_start(self) -> datetime:
        return self.episode_started_at or self.received_at

    @property
    def current_plan(self) -> Plan | None:
        return self.plans[-1] if self.plans else None

    @property
    def last_approved_plan(self) -> Plan | None:
        return next((plan for plan in reversed(self.plans) if plan.status == "approved"), None)

    @property
    def review_since_last_plan(self) -> Review | None:
        """The latest review recorded after the last plan was approved (any review, if no plan was)."""
        plan = self.last_approved_plan
        after = [review for review in self.reviews
                 if plan is None or plan.decided_at is None or review.created_at > plan.decided_at]
        return after[-1] if after else None

    def deadline(self, name: str) -> Deadline | None:
        return next((deadline for deadline in self.deadlines if deadline.name == name), None)

    @property
    def proposed_isolation(self) -> EmergencyMeasure | None:
        """The isolation proposal waiting for a commune leader's decision, if any."""
        return next((measure for measure in self.emergency_measures
                     if measure.isolation and measure.isolation_status == "proposed"), None)

    @property
    def ongoing_isolation(self) -> EmergencyMeasure | None:
        """The latest temporary isolation decided, unless its end has been recorded."""
        decisions = [measure for measure in self.emergency_measures
                     if measure.isolation and measure.isolation_status == "decided"]
        latest = max(decisions, key=lambda measure: (measure.isolation_until, measure.id or 0), default=None)
        return latest if latest is not None and latest.isolation_ended_on is None else None

    def open_deadlines(self) -> list[Deadline]:
        return [deadline for deadline in self.deadlines if deadline.met_at is None]


class CaseCategory(CaseRecord, db.Model):
    __tablename__ = "case_categories"
    __table_args__ = (sa.CheckConstraint(sa.column("category").in_(list(CATEGORIES)), name="category"),
                      sa.Index("ix_case_categories_category_case_id", "category", "case_id"))

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(16), primary_key=True)

    case: Mapped[Case] = relationship(back_populates="category_rows")


class Deadline(CaseRecord, db.Model):
    """A legal deadline, stored when its step starts and met when the step is done."""

    __tablename__ = "case_deadlines"
    __table_args__ = (sa.UniqueConstraint("case_id", "name"), sa.Index("ix_case_deadlines_open", "met_at", "due_at"),
                      # For the statistics, as ix_cases_id_for_statistics.
                      sa.Index("ix_case_deadlines_case_id_for_statistics", "case_id",
                               postgresql_include=["name", "due_at", "met_at"]),
                      # A case's next deadline, as the lists show it: one index entry, read without the table.
                      sa.Index("ix_case_deadlines_case_id_open", "case_id", "due_at", "id", postgresql_include=["name"],
                               postgresql_where=sa.text("met_at IS NULL"), sqlite_where=sa.text("met_at IS NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    name: Mapped[str] = mapped_column(sa.String(32))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="deadlines")

    @property
    def label(self):
        return DEADLINES[self.name]

    def overdue(self, now: datetime) -> bool:
        return self.due_at < (self.met_at or now)


class Assessment(CaseRecord, db.Model):
    """Mẫu 02 (initial: a checklist that gives the risk level) or Mẫu 03 (detailed, with the case meeting)."""

    __tablename__ = "assessments"
    # The case's assessments, and for the statistics (as ix_cases_id_for_statistics) the first initial one.
    __table_args__ = (sa.Index("ix_assessments_case_id_kind", "case_id", "kind", postgresql_include=["created_at"]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    risk_level: Mapped[str | None] = mapped_column(sa.String(8))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    meeting_minutes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="assessments")
    created_by: Mapped[User] = relationship()


ISOLATION_STATUSES = {"proposed": _l("Proposed"), "decided": _l("Decided"), "declined": _l("Declined")}


class EmergencyMeasure(CaseRecord, db.Model):
    """An emergency measure; with `isolation`, a temporary isolation (Decree 56/2017 art. 32, Mẫu 07): proposed by
    the worker (where, with whom, why), decided or declined by a commune leader, 15 days at most unless a competent
    authority asks in writing for longer."""

    __tablename__ = "emergency_measures"
    __table_args__ = (sa.CheckConstraint(sa.column("isolation_status").in_(list(ISOLATION_STATUSES)),
                                         name="isolation_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    # The measure taken; for an isolation, why the child is isolated (Mẫu 07's reason).
    description: Mapped[str] = mapped_column(sa.Text)
    # When the measure was taken; for an isolation, when it was proposed.
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    isolation: Mapped[bool] = mapped_column(default=False)
    isolation_status: Mapped[str | None] = mapped_column(sa.String(16))
    isolation_place: Mapped[str | None] = mapped_column(sa.String(300))
    isolation_with: Mapped[str | None] = mapped_column(sa.String(300))
    isolation_from: Mapped[date | None]
    isolation_until: Mapped[date | None]
    # Beyond 15 days: the competent authority's written request (its name, number and date).
    extension_authority: Mapped[str | None] = mapped_column(sa.String(300))
    extension_number: Mapped[str | None] = mapped_column(sa.String(60))
    extension_date: Mapped[date | None]
    # The commune leader who decided (or declined), when, and why a proposal was declined. `decided_by` keeps
    # their name as it was then.
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(sa.String(200))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    # When the isolation ended (at its term, or earlier once the danger passed), by whom, and what followed.
    isolation_ended_on: Mapped[date | None]
    isolation_end_note: Mapped[str | None] = mapped_column(sa.Text)
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="emergency_measures")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    decider: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])


class Plan(CaseRecord, db.Model):
    """Mẫu 04/05: the support plan, drafted by a worker and approved by a commune leader."""

    __tablename__ = "plans"
    __table_args__ = (sa.CheckConstraint(sa.column("status").in_(["draft", "submitted", "approved", "returned"]),
                                         name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    goals: Mapped[str] = mapped_column(sa.Text)
    drafted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The day the child's situation is reviewed (Mẫu 06): as the plan sets it, else 3 months after approval.
    review_due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="plans")
    drafted_by: Mapped[User] = relationship(foreign_keys=[drafted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    actions: Mapped[list[PlanAction]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                     order_by="PlanAction.id")
    authors: Mapped[list[PlanAuthor]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                     order_by="PlanAuthor.id")

    def written_by(self, user: User) -> bool:
        """`user` wrote some version of this plan, and so may not approve it."""
        return any(author.user_id == user.id for author in self.authors)

    def add_author(self, user: User) -> None:
        if not self.written_by(user):
            self.authors.append(PlanAuthor(user_id=user.id))


class PlanAuthor(Audited, db.Model):
    """Everyone who wrote a version of a plan: the last to save it is not its only drafter."""

    __tablename__ = "plan_authors"
    __table_args__ = (sa.UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    plan: Mapped[Plan] = relationship(back_populates="authors")

    def audit_case_ref(self) -> str | None:
        return self.plan.case.reference if self.plan else None

    def audit_unit_path(self) -> str | None:
        return self.plan.case.unit.path if self.plan else None


class PlanAction(Audited, db.Model):
    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    responsible: Mapped[str] = mapped_column(sa.String(200))
    due_date: Mapped[date]
    # When it was done, and who recorded it; until then, a day past `due_date` makes it overdue.
    done_on: Mapped[date | None]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    plan: Mapped[Plan] = relationship(back_populates="actions")

    def overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_date < today

    def audit_case_ref(self) -> str | None:
        return self.plan.case.reference if self.plan else None

    def audit_unit_path(self) -> str | None:
        return self.plan.case.unit.path if self.plan else None


class TimelineEntry(CaseRecord, db.Model):
    __tablename__ = "timeline_entries"
    __table_args__ = (sa.CheckConstraint(sa.column("kind").in_(list(TIMELINE_KINDS)), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="timeline")
    author: Mapped[User] = relationship()


class Review(CaseRecord, db.Model):
    """Mẫu 06 (Decree 56/2017 art. 30): each criterion of REVIEW_CRITERIA scored at the form's level, with the
    worker's note on it. Reviews recorded before hold `former_scores` on FORMER_REVIEW_CRITERIA instead."""

    __tablename__ = "reviews"
    __table_args__ = tuple(sa.CheckConstraint(sa.column(name).in_(REVIEW_LEVELS), name=name)
                           for name in REVIEW_CRITERIA)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    harm: Mapped[str | None] = mapped_column(sa.String(8))
    harm_note: Mapped[str | None] = mapped_column(sa.Text)
    abuser_access: Mapped[str | None] = mapped_column(sa.String(8))
    abuser_access_note: Mapped[str | None] = mapped_column(sa.Text)
    care_obstacles: Mapped[str | None] = mapped_column(sa.String(8))
    care_obstacles_note: Mapped[str | None] = mapped_column(sa.Text)
    self_protection: Mapped[str | None] = mapped_column(sa.String(8))
    self_protection_note: Mapped[str | None] = mapped_column(sa.Text)
    former_scores: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="reviews")
    created_by: Mapped[User] = relationship()

    @property
    def on_former_criteria(self) -> bool:
        return self.harm is None

    def score(self, criterion: str) -> str | None:
        return getattr(self, criterion)

    def criterion_note(self, criterion: str) -> str | None:
        return getattr(self, f"{criterion}_note")

    def answer(self, criterion: str):
        """The plain words of the answer given to `criterion`."""
        return REVIEW_CRITERIA[criterion].answers[self.score(criterion)]

    def is_good(self, criterion: str) -> bool:
        return self.score(criterion) == REVIEW_CRITERIA[criterion].good


class CaseStep(CaseRecord, db.Model):
    """A step of the state machine as it was taken: which, by whom and when. The records of some steps change
    later (a returned plan is approved at last; a reopening clears the closure), so the case's story reads these."""

    __tablename__ = "case_steps"
    __table_args__ = (sa.CheckConstraint(sa.column("action").in_(list(ACTIONS)), name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(24))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the step decided, a key of STEP_DETAILS: the risk found, the reason for closure, an isolation decided.
    detail: Mapped[str | None] = mapped_column(sa.String(16))
    # The person's own words, where the step asks for them: why a plan was returned.
    note: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship(back_populates="steps")
    user: Mapped[User] = relationship()


class CaseSequence(db.Model):
    """The last case number given per unit and year; references are `<province initials>-<unit>-<year>-<n>`."""

    __tablename__ = "case_sequences"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int]
