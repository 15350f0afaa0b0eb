"""No administrator alone gives an account access to cases: a second person approves each grant.

An administrator who creates an account with a role that reads cases, moves an account to such a role or to
another unit, or issues an activation code to such an account, opens an `AccessGrant`. Until a second person
approves it (`app.access.may_approve`: another administrator of the same or a higher unit, or the province
officer):
- a new account, or one whose password was reset, cannot sign in (`User.awaiting_approval`): its owner may choose
  a password with the activation code, and is told at sign-in that the approval is still missing;
- a moved account keeps its current role and unit, and moves when the move is approved.
Every request, approval and refusal is a row change of `access_grants`, so the trail shows who asked and who
approved, under the unit granted.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.access import may_approve, scoped_grants
from app.extensions import db
from app.orm import utcnow
from app.users.models import AccessGrant, User


class DecisionRefused(Exception):
    """The grant was decided already (by someone else, meanwhile)."""


def open_grant(user: User) -> AccessGrant | None:
    return db.session.scalar(sa.select(AccessGrant).where(AccessGrant.user_id == user.id,
                                                          AccessGrant.decision.is_(None)))


def withdraw_open_grant(user: User, by: User | None) -> None:
    """A newer change of the account (or its deactivation) replaces what was asked for it; the caller commits."""
    grant = open_grant(user)
    if grant is not None:
        _decide(grant, "withdrawn", by)
        db.session.flush()


def request_access(user: User, kind: str, role: str, unit, by: User) -> AccessGrant:
    """Ask that `user` hold `role` in `unit` (`kind`: new_account, placement or password_reset); the caller
    commits."""
    withdraw_open_grant(user, by)
    grant = AccessGrant(user=user, kind=kind, role=role, unit=unit, requested_by=by)
    db.session.add(grant)
    if kind != "placement":
        user.awaiting_approval = True
    return grant


def waiting_for(approver: User) -> list[AccessGrant]:
    return list(db.session.scalars(scoped_grants(approver).order_by(AccessGrant.requested_at)))


def grant_to_decide(grant_id: int, approver: User) -> AccessGrant | None:
    """The grant, locked, if `approver` may decide it; None otherwise (as if it did not exist)."""
    grant = db.session.scalar(sa.select(AccessGrant).where(AccessGrant.id == grant_id)
                              .with_for_update(of=AccessGrant))
    return grant if grant is not None and may_approve(approver, grant) else None


def approve(grant: AccessGrant, by: User) -> None:
    """The grant takes effect: the account may sign in, or moves to the role and unit asked for (which ends its
    sessions and tokens)."""
    from app.auth.services import end_sessions_and_tokens
    from app.users.services import check_role_fits_unit

    _check_open(grant)
    user = grant.user
    if grant.kind == "placement":
        check_role_fits_unit(grant.role, grant.unit)
        user.role, user.unit = grant.role, grant.unit
        end_sessions_and_tokens(user)
    else:
        user.awaiting_approval = False
    _decide(grant, "approved", by)
    db.session.commit()


def refuse(grant: AccessGrant, by: User) -> None:
    """Nothing is granted: a new or reset account still cannot sign in; a moved one stays where it is."""
    _check_open(grant)
    _decide(grant, "refused", by)
    db.session.commit()


def _check_open(grant: AccessGrant) -> None:
    if grant.decision is not None:
        db.session.rollback()
        raise DecisionRefused(_("This request was already decided meanwhile."))


def _decide(grant: AccessGrant, decision: str, by: User | None) -> None:
    grant.decision, grant.decided_by, grant.decided_at = decision, by, utcnow()
