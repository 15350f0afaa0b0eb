"""What needs the signed-in person now, worked out from the records themselves rather than stored.

A list derived on each request cannot go stale or be lost: a referral answered by a
colleague leaves everyone's list at once. The header's badge is the same list, counted
in one query.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.access import Role, can, reviews_to_confirm, reviews_waiting_for, scoped_cases, scoped_grants
from app.cases.models import Case, Deadline
from app.cases.services import decisions_for
from app.deadlines.services import local_zone
from app.escalations.models import Escalation, explained
from app.extensions import db
from app.facilities.models import Correction, CorrectionEscalation
from app.facilities.services import escalations_waiting_for as facility_escalations
from app.facilities.services import waiting_for as facility_corrections
from app.referrals import queries as referral_queries
from app.referrals.models import Referral
from app.reporting import services as reporting
from app.register import escalations as register_escalations
from app.register.models import RegisterEntry, RegisterReview, RegisterReviewEscalation
from app.register.services import REVIEW_RAISED_AFTER  # noqa: F401 (read here by the tests)
from app.users.models import AccessGrant

SOON = timedelta(hours=24)
# A registered child's review falls on a day six months on (issue 18): a week's notice lets the worker plan the visit.
REVIEW_NOTICE = timedelta(days=7)
KINDS = {
    "referral": _l("Referrals waiting for you"),
    "escalation": _l("Escalations to acknowledge"),
    "approval": _l("Plans and closures to approve"),
    "deadline": _l("Deadlines overdue or within 24 hours"),
    "grant": _l("Accounts waiting for approval"),
    "correction": _l("Facility corrections past their deadline"),
    "correction_escalation": _l("Facility corrections raised to you"),
}


@dataclass(frozen=True)
class Notices:
    referrals: list[Referral]
    escalations: list[Escalation]
    approvals: list[Case]
    overdue: list[Deadline]  # the longest overdue first
    due_soon: list[Deadline]  # within SOON, the soonest first
    grants: list[AccessGrant]
    # Reports to send up, to review, and late ones raised to the person's unit (app/reporting).
    reports: reporting.Duties
    # Registered children whose review is the person's to make (`reviews_waiting_for`): overdue (the longest
    # first), and due within REVIEW_NOTICE; reviews collaborators recorded, to confirm; and long-overdue reviews the
    # deadline sweep raised to the person's unit (app/register/escalations.py).
    reviews_overdue: list[RegisterEntry] = field(default_factory=list)
    reviews_due: list[RegisterEntry] = field(default_factory=list)
    reviews_to_confirm: list[RegisterReview] = field(default_factory=list)
    review_escalations: list[RegisterReviewEscalation] = field(default_factory=list)
    # Care facilities' corrections past their deadline, for the inspecting unit and the one they were raised to.
    corrections: list[Correction] = field(default_factory=list)
    # Overdue corrections raised to the person's unit, to acknowledge (a province officer's).
    correction_escalations: list[CorrectionEscalation] = field(default_factory=list)

    @property
    def deadlines(self) -> list[Deadline]:
        return self.overdue + self.due_soon

    @property
    def total(self) -> int:
        return (len(self.referrals) + len(self.escalations) + len(self.approvals) + len(self.deadlines)
                + len(self.grants) + self.reports.total + len(self.reviews_overdue) + len(self.reviews_due)
                + len(self.reviews_to_confirm) + len(self.review_escalations) + len(self.corrections)
                + len(self.correction_escalations))


# What waits for a person is in their scope by construction (their own unit receives it or is raised to, or it
# leaves a unit below theirs), so these lists need no scope filter: the badge is counted on every page.
def _referrals(user) -> sa.Select:
    return sa.select(Referral).where(referral_queries.waiting_for(user))


def _escalations(user) -> sa.Select:
    if not can(user, "escalations.raise"):
        return sa.select(Escalation).where(sa.false())
    return sa.select(Escalation).where(Escalation.to_unit_id == user.unit_id, Escalation.acknowledged_at.is_(None))


def _approvals(user) -> sa.Select:
    """The plans this person may approve (never one they wrote a version of) and the closures, as the case page
    offers them (cases.services.may_approve_plan)."""
    return scoped_cases(user).where(decisions_for(user))


def _deadlines(user, now: datetime) -> sa.Select:
    """Deadlines overdue or due within a day on the cases the person answers for: their own, or (leaders) their
    commune's. An overdue deadline stays until it is met: it is the most urgent of all."""
    query = sa.select(Deadline).join(Case, Case.id == Deadline.case_id).where(
        Deadline.met_at.is_(None), Deadline.due_at < now + SOON, Case.status != "closed")
    if user.role not in (Role.WORKER, Role.COMMUNE_LEADER):
        return query.where(sa.false())
    # In scope too: a worker moved to another commune stays assigned to cases they may no longer read.
    query = query.where(Case.id.in_(scoped_cases(user).with_only_columns(Case.id)))
    if user.role != Role.WORKER:
        return query
    # A report no one is assigned yet (one forwarded by the hotline or the police, say) is every worker's of
    # its commune until one takes it up: its clock runs from receipt (Decree 56 art. 26.1).
    unassigned_here = sa.and_(Case.assigned_worker_id.is_(None), Case.unit_id == user.unit_id)
    return query.where(sa.or_(Case.assigned_worker_id == user.id, unassigned_here))


def _reviews(user, now: datetime) -> sa.Select:
    """The register's reviews overdue or due within REVIEW_NOTICE that are the person's to make (Law on Children
    2016 art. 10; issue 18). Overdue ones stay until the review is recorded."""
    return sa.select(RegisterEntry).where(reviews_waiting_for(user),
                                          RegisterEntry.next_review_on <= _today(now) + REVIEW_NOTICE)


def _today(now: datetime) -> date:
    return now.astimezone(local_zone()).date()


def notices_for(user, now: datetime, limit: int = 50) -> Notices:
    def rows(query, *order):
        return list(db.session.scalars(query.order_by(*order).limit(limit)))

    deadlines = rows(_deadlines(user, now), Deadline.due_at, Deadline.id)
    reviews = rows(_reviews(user, now), RegisterEntry.next_review_on, RegisterEntry.id)
    return Notices(referrals=rows(_referrals(user), Referral.created_at),
                   escalations=rows(_escalations(user).options(*explained()), Escalation.raised_at),
                   approvals=rows(_approvals(user), Case.updated_at),
                   overdue=[deadline for deadline in deadlines if deadline.due_at < now],
                   due_soon=[deadline for deadline in deadlines if deadline.due_at >= now],
                   grants=rows(scoped_grants(user), AccessGrant.requested_at),
                   reports=reporting.duties_for(user, now, limit),
                   reviews_overdue=[entry for entry in reviews if entry.next_review_on < _today(now)],
                   reviews_due=[entry for entry in reviews if entry.next_review_on >= _today(now)],
                   reviews_to_confirm=rows(reviews_to_confirm(user), RegisterReview.id),
                   review_escalations=register_escalations.waiting_for(user, limit),
                   corrections=rows(facility_corrections(user, now), Correction.due_on, Correction.id),
                   correction_escalations=rows(facility_escalations(user), CorrectionEscalation.raised_at,
                                               CorrectionEscalation.id))


def count_for(user, now: datetime) -> int:
    """The badge: every kind counted in a single round trip."""
    counts = [sa.select(sa.func.count()).select_from(query.subquery()).scalar_subquery()
              for query in (_referrals(user), _escalations(user), _approvals(user), _deadlines(user, now),
                            scoped_grants(user), *reporting.duty_queries(user, now), _reviews(user, now),
                            reviews_to_confirm(user), register_escalations.open_escalations(user),
                            facility_corrections(user, now), facility_escalations(user))]
    return sum(db.session.execute(sa.select(*counts)).one())


BADGE_FRESH_FOR = timedelta(seconds=60)


def badge_for(user, now: datetime) -> int:
    """The header's count, kept in the session for a minute: it is on every page, and counting costs a round
    trip. Anything the person does counts afresh (`forget_badge`), so their own actions show at once."""
    from flask import session

    kept = session.get("badge")
    if kept and kept[0] == user.id and now.timestamp() - kept[2] < BADGE_FRESH_FOR.total_seconds():
        return kept[1]
    count = count_for(user, now)
    session["badge"] = (user.id, count, now.timestamp())
    return count


def forget_badge() -> None:
    """Before any request that may change something, so the next page counts afresh."""
    from flask import request, session

    if request.method not in ("GET", "HEAD") and "badge" in session:
        session.pop("badge")
