"""Finding referrals: the boxes of a unit, and what waits for the signed-in person."""
from __future__ import annotations

import sqlalchemy as sa

from app.access import Role, can, scoped_referrals, subtree_unit_ids
from app.extensions import db
from app.referrals.models import Referral

BOXES = ("in", "out", "approval")


def waiting_for(user) -> sa.ColumnElement:
    """Whether a referral waits for this person: to be approved (a supervisor above the sender) or answered."""
    if not can(user, "referrals.send"):  # inspectors read referrals but never act on them
        return sa.false()
    conditions = [sa.and_(Referral.receiving_unit_id == user.unit_id, Referral.status == "sent")]
    if user.role == Role.SUPERVISOR:
        conditions.append(_awaiting_approval_below(user))
    return sa.or_(*conditions)


def _awaiting_approval_below(user) -> sa.ColumnElement:
    return sa.and_(Referral.approval_needed, Referral.approved_at.is_(None),
                   Referral.status.in_(("pending_approval", "sent", "accepted")),
                   Referral.from_unit_id.in_(subtree_unit_ids(user.unit)), Referral.from_unit_id != user.unit_id)


def box(user, name: str, status: str | None = None, limit: int = 200, offset: int = 0) -> list[Referral]:
    """A box of referrals, those waiting for this person first, then the newest."""
    return [referral for referral, _ in box_with_waiting(user, name, status, limit, offset)]


def _box(user, name: str, status: str | None) -> sa.Select:
    query = scoped_referrals(user)
    ids = subtree_unit_ids(user.unit)
    if name == "in":
        query = query.where(Referral.receiving_unit_id.in_(ids))
    elif name == "out":
        query = query.where(Referral.from_unit_id.in_(ids))
    else:
        query = query.where(_awaiting_approval_below(user) if user.role == Role.SUPERVISOR else sa.false())
    return query.where(Referral.status == status) if status else query


def box_count(user, name: str, status: str | None = None) -> int:
    """How many referrals the box shows, for a figure that links to it."""
    return db.session.scalar(_box(user, name, status).with_only_columns(sa.func.count()))


def box_with_waiting(user, name: str, status: str | None = None, limit: int = 200,
                     offset: int = 0) -> list[tuple[Referral, bool]]:
    """The box, each referral with whether it waits for this person."""
    query = _box(user, name, status)
    waiting = waiting_for(user)
    query = query.add_columns(sa.case((waiting, True), else_=False))
    order = sa.case((waiting, 0), else_=1)
    return [(referral, bool(flag)) for referral, flag in db.session.execute(
        query.order_by(order, Referral.created_at.desc(), Referral.id.desc()).offset(offset).limit(limit))]


def get_referral(user, number: int) -> Referral | None:
    return db.session.scalar(scoped_referrals(user).where(Referral.id == number))
