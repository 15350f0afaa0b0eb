"""The board on the home pages of supervisors, province officers and inspectors: open cases by status and risk,
overdue cases, open escalations, and new cases per month for the last 12 months. Every figure carries the
filters of the list that shows the cases behind it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.access import scoped_cases, scoped_escalations
from app.cases.models import RISK_LEVELS, Case
from app.cases.queries import CaseFilter, filtered, next_due
from app.cases.workflow import OPEN_STATUSES
from app.deadlines.services import local_zone
from app.escalations.models import Escalation
from app.extensions import db
from app.reports import sql

MONTHS = 12
NOT_ASSESSED = ""


@dataclass
class Month:
    first: date
    last: date
    count: int


@dataclass
class Board:
    open_by_status_and_risk: dict[tuple[str, str], int]
    overdue: int
    months: list[Month]
    open_escalations: int = 0
    # Records of persons 16 or older at the report, kept from before the under-16 rule, for review.
    aged_16_or_over: int = 0

    @property
    def risks(self) -> list[str]:
        return [*RISK_LEVELS, NOT_ASSESSED]

    def status_total(self, status: str) -> int:
        return sum(count for (key, _risk), count in self.open_by_status_and_risk.items() if key == status)

    def risk_total(self, risk: str) -> int:
        return sum(count for (_status, key), count in self.open_by_status_and_risk.items() if key == risk)

    @property
    def open_total(self) -> int:
        return sum(self.open_by_status_and_risk.values())

    @property
    def busiest_month(self) -> int:
        return max((month.count for month in self.months), default=0)


def _months_back(today: date) -> list[tuple[date, date]]:
    """The first and last day of this month and the eleven before it, oldest first."""
    firsts = []
    first = today.replace(day=1)
    for _ in range(MONTHS):
        firsts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    firsts.reverse()
    return [(first, (firsts[index + 1] if index + 1 < MONTHS else (first + timedelta(days=32)).replace(day=1))
             - timedelta(days=1)) for index, first in enumerate(firsts)]


def board(viewer, now: datetime) -> Board:
    open_cases = scoped_cases(viewer).where(Case.status.in_(OPEN_STATUSES))
    counts = {(status, risk or NOT_ASSESSED): number for status, risk, number in db.session.execute(
        open_cases.with_only_columns(Case.status, Case.risk_level, sa.func.count())
        .group_by(Case.status, Case.risk_level))}
    overdue = db.session.scalar(open_cases.where(next_due() < now).with_only_columns(sa.func.count()))
    spans = _months_back(now.astimezone(local_zone()).date())
    since = datetime.combine(spans[0][0], time.min, local_zone())
    month = sql.local_month(Case.received_at)
    per_month = dict(db.session.execute(scoped_cases(viewer).where(Case.received_at >= since)
                                        .with_only_columns(month, sa.func.count()).group_by(month)).all())
    months = [Month(first, last, per_month.get(first.strftime("%Y-%m"), 0)) for first, last in spans]
    escalations = db.session.scalar(scoped_escalations(viewer).where(Escalation.acknowledged_at.is_(None))
                                    .with_only_columns(sa.func.count()))
    older = db.session.scalar(filtered(viewer, CaseFilter(aged_16_or_over=True), now).order_by(None)
                              .with_only_columns(sa.func.count()))
    return Board(counts, overdue or 0, months, escalations or 0, older or 0)
