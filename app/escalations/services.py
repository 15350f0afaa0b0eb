"""Escalation: a missed deadline, or a worker's call, raises a case to the unit above until someone takes it.

The sweep (`flask --app wsgi escalate`) finds what is late. Each escalation it raises is
its own transaction, and the table's unique constraints refuse a second copy: running
the sweep twice, or on two machines at once, raises nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager
from sqlalchemy.orm.exc import StaleDataError

from app.access import can, may_acknowledge, scoped_escalations
from app.cases.models import Case, Deadline
from app.cases.services import Invalid, NotAllowed, WrongState
from app.deadlines.services import add_working_days
from app.escalations.models import (Escalation, deadline_trigger, deadline_trigger_in_sql, explain, explained,
                                    referral_trigger, referral_trigger_in_sql, unacknowledged)
from app.extensions import db
from app.facilities.services import escalate_overdue
from app.notifications import mail
from app.orm import utcnow
from app.referrals.models import Referral
from app.register import escalations as register_escalations
from app.reporting import services as reporting
from app.units.models import Unit
from app.users.models import User

# The case's deadlines that raise it when missed: the law's (emergency measures, Decree 56/2017 art. 26.3; the end
# of a temporary isolation, art. 32; the plan, art. 28; its actions and the review the plan dates, arts. 29-31), and
# the province's service standard for the assessment.
ESCALATING_DEADLINES = ("emergency_measures", "initial_assessment", "plan_draft", "plan_approval", "isolation_end",
                        "plan_action", "review")
UNANSWERED_WORKING_DAYS = 1


def above(unit: Unit) -> Unit | None:
    return unit.parent


def get_escalation(user, number: int) -> Escalation | None:
    return db.session.scalar(scoped_escalations(user).where(Escalation.id == number))


def listing(user, only_open: bool, limit: int = 50, offset: int = 0) -> list[Escalation]:
    """Escalations in the person's scope, newest first; `only_open`: those nobody has acknowledged yet."""
    query = scoped_escalations(user)
    if only_open:
        query = query.where(Escalation.acknowledged_at.is_(None))
    return list(db.session.scalars(query.order_by(Escalation.raised_at.desc(), Escalation.id.desc())
                                   .options(*explained()).offset(offset).limit(limit)))


def raise_by_hand(case: Case, user: User, reason: str) -> Escalation:
    """Any worker may raise a case to the unit above their own, saying why."""
    if not can(user, "escalations.raise"):
        raise NotAllowed(_("Your role does not escalate cases."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [_("Say why the case is escalated.")]})
    if len(reason) > 5000:
        raise Invalid({"reason": [_("At most %(count)d characters.", count=5000)]})
    if case.status == "closed":
        raise WrongState(_("Case %(reference)s is closed.", reference=case.reference))
    target = above(user.unit)
    if target is None:
        raise WrongState(_("There is no unit above yours to escalate to."))
    escalation = Escalation(case=case, from_unit=user.unit, to_unit=target, reason=reason, automatic=False,
                            raised_by_id=user.id, raised_at=utcnow())
    db.session.add(escalation)
    mail.announce_escalation(escalation)
    db.session.commit()
    return escalation


def acknowledge(escalation: Escalation, user: User, note: str | None = None) -> Escalation:
    """A named person of the unit it was raised to takes it off the open list."""
    db.session.execute(sa.select(Escalation.id).where(Escalation.id == escalation.id).with_for_update())
    db.session.refresh(escalation)
    if not may_acknowledge(user, escalation):
        raise NotAllowed(_("Only someone of %(unit)s can acknowledge this escalation.",
                           unit=escalation.to_unit.name))
    if escalation.acknowledged_at is not None:
        raise WrongState(_("This escalation was already acknowledged by %(name)s.",
                           name=escalation.acknowledged_by.full_name))
    if len(note or "") > 5000:
        raise Invalid({"note": [_("At most %(count)d characters.", count=5000)]})
    escalation.acknowledged_at, escalation.acknowledged_by_id = utcnow(), user.id
    escalation.acknowledgement_note = (note or "").strip() or None
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise WrongState(_("Someone else acknowledged this escalation at the same moment.")) from None
    return escalation


@dataclass
class Missed:
    """Something late: the case, the unit that had to act, and the key that names what was missed, once."""

    case_id: int
    late_unit_id: int
    trigger: str
    reference: str


@dataclass
class SweepResult:
    raised: list[int] = field(default_factory=list)
    # Found raised by another sweep running at the same moment.
    already: int = 0
    # Reports not sent in time, raised like a case's missed deadline (app/reporting).
    reports: list[int] = field(default_factory=list)
    # Care facilities' corrections past their deadline, raised to the level above (issue 19, point 6).
    corrections: list[int] = field(default_factory=list)
    # Report rounds set as the next of a recurring round, on their first day (issue 19, point 1).
    rounds: list[int] = field(default_factory=list)
    # Reviews of registered children long overdue, raised above the commune (issue 18, point 5).
    reviews: list[int] = field(default_factory=list)


def _deadlines_missed(now: datetime) -> list[Missed]:
    rows = db.session.execute(
        sa.select(Deadline.name, Deadline.due_at, Case.id, Case.unit_id, Case.reference)
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.met_at.is_(None), Deadline.due_at < now, Deadline.name.in_(ESCALATING_DEADLINES),
               Case.status != "closed", _not_raised(Case.id, deadline_trigger_in_sql(Deadline.name, Deadline.due_at))))
    return [Missed(case_id, unit_id, deadline_trigger(name, due_at), reference)
            for name, due_at, case_id, unit_id, reference in rows]


def _referrals_late(now: datetime) -> list[Missed]:
    missed = []
    # The case is read in the same statement: each late referral's reference, without a query per referral.
    of_open_cases = (sa.select(Referral).join(Case, Case.id == Referral.case_id).where(Case.status != "closed")
                     .options(contains_eager(Referral.case)))
    unapproved = db.session.scalars(of_open_cases.where(
        Referral.approval_needed, Referral.approved_at.is_(None),
        Referral.status.in_(("pending_approval", "sent", "accepted")), Referral.approval_due_at < now,
        _not_raised(Referral.case_id, referral_trigger_in_sql(Referral.id, "approval"))))
    for referral in unapproved:
        # The approver sits above the sender; the escalation goes above the approver.
        approver_unit = above(referral.from_unit) or referral.from_unit
        missed.append(Missed(referral.case_id, approver_unit.id, referral_trigger(referral.id, "approval"),
                             referral.case.reference))
    unanswered = db.session.scalars(of_open_cases.where(
        Referral.status == "sent", Referral.answer_due_at < now,
        _not_raised(Referral.case_id, referral_trigger_in_sql(Referral.id, "answer"))))
    for referral in unanswered:
        missed.append(Missed(referral.case_id, referral.receiving_unit_id, referral_trigger(referral.id, "answer"),
                             referral.case.reference))
    return missed


def _not_raised(case_id, trigger) -> sa.ColumnElement:
    """No automatic escalation of the case names `trigger` yet. Asked in the database, so that each sweep reads
    only what is late since the last one, not everything late."""
    return ~sa.exists().where(Escalation.case_id == case_id, Escalation.automatic, Escalation.trigger == trigger)


def _raise(make) -> int | None:
    """Insert one escalation in its own transaction; None when another sweep already raised it."""
    try:
        escalation = make()
        db.session.add(escalation)
        db.session.flush()  # a copy another sweep raised fails here, before its notice is queued
        mail.announce_escalation(escalation)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return escalation.id


def sweep(now: datetime | None = None) -> SweepResult:
    """Raise every missed deadline once, and raise again, a level higher, what nobody acknowledged in time; set the
    next round of a recurring report round when its period starts."""
    now = now or utcnow()
    result = SweepResult()
    for missed in _deadlines_missed(now) + _referrals_late(now):
        late_unit = db.session.get(Unit, missed.late_unit_id)
        target = above(late_unit) or late_unit

        def first(missed=missed, late_unit=late_unit, target=target):
            # The case itself, not only its id: the trail files the entry under the case's reference and unit.
            return Escalation(case=db.session.get(Case, missed.case_id), from_unit=late_unit, to_unit=target,
                              reason=explain(missed.trigger, missed.reference), automatic=True,
                              trigger=missed.trigger, level=1, raised_at=now)

        _record(result, _raise(first))
    for escalation in _unanswered(now):
        target = above(escalation.to_unit)
        if _acknowledged_meanwhile(escalation):
            continue

        def higher(escalation=escalation, target=target):
            return Escalation(case=escalation.case, from_unit=escalation.to_unit, to_unit=target,
                              reason=unacknowledged(escalation.explanation),
                              automatic=True, trigger=escalation.trigger or f"manual:{escalation.id}",
                              level=escalation.level + 1, previous_id=escalation.id, raised_at=now)

        _record(result, _raise(higher))
    result.rounds = reporting.recur(now)
    result.reports = reporting.sweep_late(now)
    result.corrections = escalate_overdue(now)
    result.reviews = register_escalations.sweep_overdue(now)
    return result


def _acknowledged_meanwhile(escalation: Escalation) -> bool:
    """Lock the escalation as `acknowledge` does, so that one acknowledged while the sweep ran is not raised."""
    acknowledged = db.session.scalar(sa.select(Escalation.acknowledged_at).where(Escalation.id == escalation.id)
                                     .with_for_update())
    if acknowledged is not None:
        db.session.rollback()
    return acknowledged is not None


def _record(result: SweepResult, escalation_id: int | None) -> None:
    if escalation_id is None:
        result.already += 1
    else:
        result.raised.append(escalation_id)


def _unanswered(now: datetime) -> list[Escalation]:
    """Open escalations older than a working day, below the top unit, not yet raised higher."""
    higher = aliased(Escalation)
    candidates = db.session.scalars(sa.select(Escalation).join(Unit, Unit.id == Escalation.to_unit_id)
                                    .join(Case, Case.id == Escalation.case_id).where(
        Escalation.acknowledged_at.is_(None), Unit.parent_id.is_not(None), Case.status != "closed",
        ~sa.exists().where(higher.previous_id == Escalation.id)))
    return [escalation for escalation in candidates
            if add_working_days(escalation.raised_at, UNANSWERED_WORKING_DAYS) < now]
