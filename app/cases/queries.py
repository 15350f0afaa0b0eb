"""Finding cases within scope: the list's filters, search by reference or name, and "my work"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import sqlalchemy as sa

from app.access import case_history, scoped_cases, scoped_escalations, units_under
from app.audit.models import AuditEntry
from app.cases.models import RISK_LEVELS, Case, CaseCategory, Deadline, EmergencyMeasure, Plan
from app.cases.services import decisions_for
from app.cases.workflow import OPEN_STATUSES
from app.children.models import Child
from app.children.services import CHILD_AGE_LIMIT, named
from app.deadlines.services import local_zone
from app.escalations.models import Escalation
from app.extensions import db
from app.referrals import queries as referral_queries
from app.reports.facts import CaseFacts
from app.units.models import Unit
from app.units.services import find_unit
from app.users.models import User

REFERENCE = re.compile(r"[A-Za-z]{1,4}-\w+-\w+-\d+")


SORTS = ("received", "due", "reference")


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    category: str | None = None
    risk: str | None = None
    unit: str | None = None
    worker: str | None = None
    overdue: bool = False
    open: bool = False
    # Days of the report, both included, in the app's time zone.
    received_from: date | None = None
    received_to: date | None = None
    q: str | None = None
    sort: str = "received"
    # Only cases waiting for a commune leader's decision (a plan submitted, a closure proposed).
    awaiting: bool = False
    # Only records of persons 16 or older at the report, kept from before the under-16 rule, for review.
    aged_16_or_over: bool = False


def next_due() -> sa.ScalarSelect:
    """The earliest deadline of the case not yet met."""
    return (sa.select(sa.func.min(Deadline.due_at)).where(Deadline.case_id == Case.id, Deadline.met_at.is_(None))
            .scalar_subquery())


def filtered(viewer, filters: CaseFilter, now: datetime) -> sa.Select:
    query = scoped_cases(viewer)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.category:
        query = query.where(Case.id.in_(sa.select(CaseCategory.case_id)
                                        .where(CaseCategory.category == filters.category)))
    if filters.risk:
        query = query.where(Case.risk_level == filters.risk)
    if filters.unit:
        unit = find_unit(filters.unit)
        query = query.where(Case.unit_id.in_(units_under(unit)) if unit else sa.false())
    if filters.worker:
        query = query.where(Case.assigned_worker_id.in_(sa.select(User.id).where(User.username == filters.worker)))
    if filters.overdue:  # what waits on someone: a closed case waits on no one
        query = query.where(next_due() < now, Case.status != "closed")
    if filters.open:
        query = query.where(Case.status.in_(OPEN_STATUSES))
    if filters.awaiting:
        query = query.where(awaiting_decision())
    if filters.aged_16_or_over:
        query = query.where(Case.id.in_(sa.select(CaseFacts.case_id)
                                        .where(CaseFacts.child_age >= CHILD_AGE_LIMIT)))
    if filters.received_from:
        query = query.where(Case.received_at >= datetime.combine(filters.received_from, time.min, local_zone()))
    if filters.received_to:
        after = filters.received_to + timedelta(days=1)
        query = query.where(Case.received_at < datetime.combine(after, time.min, local_zone()))
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        if REFERENCE.fullmatch(text):
            query = query.where(Case.reference == text.upper())
        else:
            # The few children whose names match come first (children.services.named), then their cases: left
            # to itself, PostgreSQL would walk every case by date looking for them.
            matches = named(text).cte("name_matches").prefix_with("MATERIALIZED")
            query = query.join(matches, matches.c.child_id == Case.child_id)
    if filters.sort == "due":
        return query.order_by(next_due().asc().nulls_last(), Case.id)
    if filters.sort == "reference":
        return query.order_by(Case.reference)
    return query.order_by(Case.received_at.desc(), Case.id.desc())


def written(number: int) -> sa.BindParameter:
    """A LIMIT or OFFSET written into the SQL rather than bound. Bound, it kept PostgreSQL from reusing the list's
    plan (a generic plan cannot know the limit), so each request planned the query anew, which cost as much as
    running it. Written, the unfiltered list's statement has no parameters and is planned once per connection.
    """
    return sa.literal(number, literal_execute=True)


def listed(query: sa.Select) -> sa.Select:
    """Only the columns a list of cases shows, its next open deadline included, as plain rows.

    Loading a page of cases as objects, with their children, units and deadlines, cost more Python than all the
    rest of the request (bench/README.md). The unit is joined, not looked up row by row: PostgreSQL reads a small
    table like units whole for each lookup, which cost the list a third of its time in the database.
    """
    return query.with_only_columns(*_list_columns()).join(Unit, Unit.id == Case.unit_id)


@cache
def _list_columns() -> tuple:
    """Built once: columns are immutable, and building them anew cost a list a quarter of a millisecond.

    The name and deadline are subqueries rather than joins so that PostgreSQL looks them up for the rows of the
    page only, after sorting: a name search may sort a thousand cases to show twenty-five.
    """
    # While the name is not known, the description of the child (Mẫu 01).
    child_name = sa.select(sa.func.coalesce(sa.func.nullif(Child.full_name, ""), Child.description)) \
        .where(Child.id == Case.child_id).scalar_subquery()
    next_open = (sa.select(Deadline.name).where(Deadline.case_id == Case.id, Deadline.met_at.is_(None))
                 .order_by(Deadline.due_at, Deadline.id).limit(written(1)).scalar_subquery())
    return (Case.reference, Case.status, Case.risk_level, child_name.label("child_name"),
            Unit.name.label("unit_name"), next_open.label("due_name"), next_due().label("due_at"))


@dataclass(frozen=True)
class Page:
    """A page of cases without a total: counting a province's million cases would cost more than the page."""

    items: list
    number: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.number > 1


def page_of(viewer, filters: CaseFilter, now: datetime, page: int, per_page: int) -> Page:
    """A page of cases as objects, for those who need every part of them (the API)."""
    query = filtered(viewer, filters, now).offset((page - 1) * per_page).limit(per_page + 1)
    items = list(db.session.scalars(query))
    return Page(items[:per_page], page, len(items) > per_page)


def rows_of(viewer, filters: CaseFilter, now: datetime, page: int, per_page: int) -> Page:
    """A page of the list's rows (see `listed`)."""
    query = listed(filtered(viewer, filters, now)).offset(written((page - 1) * per_page)).limit(written(per_page + 1))
    items = db.session.execute(query).all()
    return Page(items[:per_page], page, len(items) > per_page)


def my_work(viewer, now: datetime, limit: int = 100) -> list[sa.Row]:
    """Open cases with something due, the earliest (so the overdue) first; then the others."""
    filters = CaseFilter(sort="due")
    query = filtered(viewer, filters, now).where(Case.status != "closed")
    return db.session.execute(listed(query).limit(written(limit))).all()


def get_case(viewer, reference: str) -> Case | None:
    return db.session.scalar(scoped_cases(viewer).where(Case.reference == reference))


def awaiting_decision() -> sa.ColumnElement:
    """The case waits for a commune leader: a plan submitted, an isolation proposed, or a closure proposed."""
    submitted = sa.select(Plan.case_id).where(Plan.status == "submitted")
    proposed = sa.select(EmergencyMeasure.case_id).where(EmergencyMeasure.isolation_status == "proposed")
    return sa.and_(Case.status != "closed", sa.or_(Case.id.in_(submitted), Case.id.in_(proposed),
                                                   Case.closure_reason.is_not(None)))


def awaiting_approval(viewer, now: datetime, limit: int = 100) -> list[sa.Row]:
    """The cases waiting for this person's decision (services.decisions_for), the most urgent first."""
    query = filtered(viewer, CaseFilter(sort="due"), now).where(decisions_for(viewer))
    return db.session.execute(listed(query).limit(written(limit))).all()


@dataclass(frozen=True)
class Overview:
    """A commune's open work on its home page. Each figure is counted with the filters of the list that shows
    the cases (or referrals, or escalations) behind it, so that a figure and its list always agree."""

    by_status: dict[str, int]
    by_risk: dict[str, int]
    overdue: int
    awaiting_decision: int
    referrals_awaiting_approval: int
    referrals_awaiting_answer: int
    open_escalations: int

    @property
    def open_total(self) -> int:
        return sum(self.by_status.values())


def overview(viewer, now: datetime) -> Overview:
    def count(filters: CaseFilter) -> int:
        return db.session.scalar(filtered(viewer, filters, now).order_by(None).with_only_columns(sa.func.count()))

    open_cases = filtered(viewer, CaseFilter(open=True), now).order_by(None)
    rows = db.session.execute(open_cases.with_only_columns(Case.status, Case.risk_level, sa.func.count())
                              .group_by(Case.status, Case.risk_level)).all()
    by_status = {status: 0 for status in OPEN_STATUSES}
    by_risk = {risk: 0 for risk in RISK_LEVELS}
    for status, risk, number in rows:
        by_status[status] += number
        if risk:
            by_risk[risk] += number
    escalations = scoped_escalations(viewer).where(Escalation.acknowledged_at.is_(None))
    return Overview(
        by_status=by_status, by_risk=by_risk, overdue=count(CaseFilter(open=True, overdue=True)),
        awaiting_decision=count(CaseFilter(awaiting=True)),
        referrals_awaiting_approval=referral_queries.box_count(viewer, "out", "pending_approval"),
        referrals_awaiting_answer=referral_queries.box_count(viewer, "out", "sent"),
        open_escalations=db.session.scalar(escalations.with_only_columns(sa.func.count())))


def history(viewer, reference: str, before: int | None = None, limit: int = 50) -> tuple[list[sa.Row], int | None]:
    """The changes to a case, newest first: `limit` entries older than `before`, and the `before` of the next page,
    if any."""
    query = case_history(viewer, reference)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    query = query.with_only_columns(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit + 1)
    rows = db.session.execute(query).all()
    return rows[:limit], (rows[limit - 1].AuditEntry.id if len(rows) > limit else None)


def full_names(user_ids) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(user_ids))).all())
