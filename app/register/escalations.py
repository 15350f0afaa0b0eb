"""Long-overdue reviews of registered children, raised by the deadline sweep (issue 18, point 5) as a late report
is (app/reporting/services.py): to the unit above the commune, and a level higher while nobody there acknowledges
it. Each escalation is its own transaction; the table's unique constraints refuse a second copy, so the sweep is
safe to run twice, or on two machines at once."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, selectinload

from app.access import can, may_acknowledge_review_escalation, review_escalations_received
from app.cases.services import NotAllowed, WrongState
from app.deadlines.services import add_working_days, local_zone
from app.extensions import db
from app.orm import insert_once, utcnow
from app.register.models import CONFIRMED, RegisterEntry, RegisterReviewEscalation
from app.register.services import REVIEW_RAISED_AFTER
from app.units.models import Unit

# As a case's escalation and a late report's: raised higher after a working day without acknowledgement.
UNACKNOWLEDGED_WORKING_DAYS = 1


def _today(now: datetime) -> date:
    return now.astimezone(local_zone()).date()


def open_escalations(user) -> sa.Select:
    """The escalations waiting for `user`'s unit: unacknowledged, and the review still not recorded (recording it,
    or confirming a collaborator's, closes them)."""
    if not can(user, "register.escalations"):
        return sa.select(RegisterReviewEscalation).where(sa.false())
    return (sa.select(RegisterReviewEscalation)
            .join(RegisterEntry, RegisterEntry.id == RegisterReviewEscalation.entry_id)
            .where(review_escalations_received(user),
                   RegisterReviewEscalation.acknowledged_at.is_(None),
                   RegisterEntry.next_review_on == RegisterReviewEscalation.due_on))


def waiting_for(user, limit: int = 50) -> list[RegisterReviewEscalation]:
    shown = (selectinload(RegisterReviewEscalation.entry).selectinload(RegisterEntry.child),
             selectinload(RegisterReviewEscalation.entry).selectinload(RegisterEntry.unit),
             selectinload(RegisterReviewEscalation.entry).selectinload(RegisterEntry.reviews))
    return list(db.session.scalars(open_escalations(user).options(*shown)
                                   .order_by(RegisterReviewEscalation.due_on, RegisterReviewEscalation.id)
                                   .limit(limit)))


def get_escalation(user, number: int) -> RegisterReviewEscalation | None:
    return db.session.scalar(sa.select(RegisterReviewEscalation).where(
        RegisterReviewEscalation.id == number, review_escalations_received(user)))


def acknowledge(user, escalation: RegisterReviewEscalation, now: datetime | None = None) -> None:
    """A named person of the unit it was raised to takes it: it leaves their list and is raised no higher."""
    if not may_acknowledge_review_escalation(user, escalation):
        raise NotAllowed(_("Only someone of %(unit)s can acknowledge this escalation.", unit=escalation.to_unit.name))
    if escalation.acknowledged_at is not None:
        raise WrongState(_("This escalation was already acknowledged by %(name)s.",
                           name=escalation.acknowledged_by.full_name))
    escalation.acknowledged_at, escalation.acknowledged_by_id = now or utcnow(), user.id
    db.session.commit()


def in_force(unit: Unit) -> Unit:
    """The unit that holds `unit`'s records now: itself, or the successor of a unit a reorganisation ended."""
    while unit.ending is not None:
        unit = unit.ending.heir
    return unit


def above(unit: Unit) -> Unit:
    """The unit in force above `unit` (or above its successor, for a commune a reorganisation ended): an entry keeps
    its 2024 commune's id, whose district ended on 1 July 2025. The province itself when nothing is above."""
    unit = in_force(unit)
    return in_force(unit.parent) if unit.parent is not None else unit




def sweep_overdue(now: datetime) -> list[int]:
    """Raise each confirmed entry's review overdue by REVIEW_RAISED_AFTER to the unit in force above its commune,
    once; and a level higher each open escalation nobody acknowledged within a working day."""
    raised = []
    first = aliased(RegisterReviewEscalation)
    overdue = db.session.execute(
        sa.select(RegisterEntry.id, RegisterEntry.next_review_on, RegisterEntry.unit_id)
        .join(Unit, Unit.id == RegisterEntry.unit_id)
        .where(RegisterEntry.confirmation == CONFIRMED, Unit.parent_id.isnot(None),
               RegisterEntry.next_review_on < _today(now) - REVIEW_RAISED_AFTER,
               ~sa.exists().where(first.entry_id == RegisterEntry.id, first.due_on == RegisterEntry.next_review_on,
                                  first.level == 1))).all()
    for entry_id, due_on, unit_id in overdue:
        target = above(db.session.get(Unit, unit_id))
        escalation_id = insert_once(db.session, RegisterReviewEscalation(
            entry=db.session.get(RegisterEntry, entry_id), due_on=due_on, from_unit_id=unit_id, to_unit_id=target.id,
            level=1, raised_at=now))
        if escalation_id is not None:
            raised.append(escalation_id)
    higher = aliased(RegisterReviewEscalation)
    waiting = db.session.scalars(
        sa.select(RegisterReviewEscalation).join(Unit, Unit.id == RegisterReviewEscalation.to_unit_id)
        .join(RegisterEntry, RegisterEntry.id == RegisterReviewEscalation.entry_id)
        .where(RegisterReviewEscalation.acknowledged_at.is_(None), Unit.parent_id.isnot(None),
               RegisterEntry.next_review_on == RegisterReviewEscalation.due_on,
               ~sa.exists().where(higher.previous_id == RegisterReviewEscalation.id))).all()
    for escalation in waiting:
        if add_working_days(escalation.raised_at, UNACKNOWLEDGED_WORKING_DAYS) >= now:
            continue
        target = above(escalation.to_unit)
        if target.id == in_force(escalation.to_unit).id:
            continue  # raised to the province (or to a unit it now holds): nobody is higher
        escalation_id = insert_once(db.session, RegisterReviewEscalation(
            entry=escalation.entry, due_on=escalation.due_on, from_unit_id=escalation.to_unit_id,
            to_unit_id=target.id, level=escalation.level + 1, previous_id=escalation.id,
            raised_at=now))
        if escalation_id is not None:
            raised.append(escalation_id)
    return raised
