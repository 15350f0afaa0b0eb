"""The rules of a referral, from the draft to its answer: what the pages and the API both call.

Every action locks the referral's row, reads it afresh and checks the state machine
(`workflow.TRANSITIONS`) and the person's side of it; so of two people acting at once,
the second sees what the first did and is told so. A refusal changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app.access import Role, can, forget_scope, referral_parties, units_under
from app.cases.models import Case
from app.cases.services import (CONSENT_AGE, CaseRefused, Invalid, NotAllowed, NotInThisStatus, RoleNotAllowed,
                                WrongState, province_of)
from app.deadlines.services import add_working_days
from app.extensions import db
from app.notifications import mail
from app.orm import utcnow
from app.referrals import workflow
from app.referrals.models import CONSENTS, Provider, Referral
from app.units.models import Unit
from app.users.models import User

APPROVAL_WORKING_DAYS = 1
URGENT_APPROVAL_HOURS = 2
ANSWER_WORKING_DAYS = 3
# Sharing the child's file takes the consent of the carer and, from 7, of the child (Law on Children 2016 arts. 6.11
# and 21 on the child's private life and views; Personal Data Protection Law 2025 art. 9 on consent): CONSENT_AGE.


@dataclass
class Request:
    """What the sender asks: of whom (a unit or a provider), why, and on what ground the file is shared."""

    to_unit: Unit | None = None
    provider: Provider | None = None
    reason: str = ""
    service: str | None = None
    urgent: bool = False
    transfer: bool = False
    consent: str = "not_recorded"


def offered_receivers(user: User) -> tuple[list[Unit], list[Provider]]:
    """What the referral page offers: the other units of the person's province and its providers' registers.
    (The API takes any unit of the list, for cases that cross provinces.)"""
    province = units_under(province_of(user.unit))
    units = db.session.scalars(sa.select(Unit).where(Unit.id.in_(province), Unit.id != user.unit_id)
                               .order_by(Unit.path))
    providers = db.session.scalars(sa.select(Provider).where(Provider.active, Provider.unit_id.in_(province))
                                   .order_by(Provider.name))
    return list(units), list(providers)


def needs_approval(from_unit: Unit, receiving_unit: Unit) -> bool:
    """A referral that leaves a commune needs a supervisor's approval (DESIGN.md section 4)."""
    return from_unit.level == "commune" and receiving_unit.id != from_unit.id


def approving_level(unit: Unit) -> str:
    """The level of the supervisors who approve what leaves the commune `unit`: its district, or its province where
    the list has no districts (since 1 July 2025)."""
    return unit.parent.level if unit.parent is not None else unit.level


OPEN = ("draft", "pending_approval", "sent", "accepted")


def _problems(case: Case, user: User, request: Request) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if (request.to_unit is None) == (request.provider is None):
        problems["to_unit"] = [_("Choose one unit or one service provider to refer to.")]
    elif request.to_unit is not None:
        if request.to_unit.id == user.unit_id:
            problems["to_unit"] = [_("This is your own unit; choose another.")]
        elif request.to_unit.edition != user.unit.edition:
            problems["to_unit"] = [_("There is no such unit.")]
    elif not request.provider.active or request.provider.unit.edition != user.unit.edition:
        problems["provider"] = [_("This provider is no longer in the register.")]
    elif request.provider.unit_id == user.unit_id and not user.unit.contains(case.unit):
        # Answering one's own referral would turn access borrowed for a service into lasting access.
        problems["provider"] = [_("Your unit does not hold this case: refer it to a provider of another unit.")]
    if "to_unit" not in problems and "provider" not in problems:
        problems.update(_transfer_problems(case, user, request))
        if _already_open(case, request):
            problems["to_unit"] = [_("An open referral of this case to the same receiver already exists.")]
    if not (request.reason or "").strip():
        problems["reason"] = [_("Say why the child is referred.")]
    elif len(request.reason) > 5000:
        problems["reason"] = [_("At most %(count)d characters.", count=5000)]
    if len(request.service or "") > 300:
        problems["service"] = [_("At most %(count)d characters.", count=300)]
    if request.consent not in CONSENTS:
        problems["consent"] = [_("Choose how the sharing was agreed.")]
    elif request.consent == "carer" and _age(case) is not None and _age(case) >= CONSENT_AGE:
        problems["consent"] = [_("The child is 7 or older: the child must agree too, or name the legal ground.")]
    elif request.consent == "emergency_protection" and not request.urgent:
        problems["consent"] = [_("Sharing without consent is allowed only for emergency protection: mark the "
                                 "referral urgent.")]
    return problems


def _transfer_problems(case: Case, user: User, request: Request) -> dict[str, list[str]]:
    """A transfer hands the case over for good: only its holder may make one, one at a time, once approved."""
    if not request.transfer:
        return {}
    if request.provider is not None or request.to_unit.level != "commune":
        return {"transfer": [_("A case is transferred to a commune.")]}
    if request.urgent:
        return {"transfer": [_("A transfer is not urgent: refer the child urgently for the service they need, "
                               "and transfer the case afterwards.")]}
    if not user.unit.contains(case.unit):
        return {"transfer": [_("Only the unit that holds the case can transfer it.")]}
    pending = sa.select(Referral.id).where(Referral.case_id == case.id, Referral.transfer,
                                           Referral.status.in_(OPEN[:-1]))
    if db.session.scalar(pending.limit(1)) is not None:
        return {"transfer": [_("A transfer of this case is already under way.")]}
    return {}


def _already_open(case: Case, request: Request) -> bool:
    receiver = (Referral.to_unit_id == request.to_unit.id if request.to_unit is not None
                else Referral.provider_id == request.provider.id)
    return db.session.scalar(sa.select(Referral.id).where(Referral.case_id == case.id, receiver,
                                                          Referral.status.in_(OPEN)).limit(1)) is not None


def _age(case: Case) -> int | None:
    child, today = case.child, utcnow().date()
    if child.date_of_birth:
        born = child.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return today.year - child.birth_year if child.birth_year else None


def refer(case: Case, user: User, request: Request, *, send: bool = True) -> Referral:
    """A new referral from the person's unit; sent at once unless kept as a draft."""
    if not can(user, "referrals.send"):
        raise NotAllowed(_("Your role does not refer cases."))
    if case.status == "closed":
        raise WrongState(_("Case %(reference)s is closed; reopen it before referring it.", reference=case.reference))
    problems = _problems(case, user, request)
    if problems:
        raise Invalid(problems)
    receiving_unit = request.to_unit or request.provider.unit
    with db.session.no_autoflush:  # one insert, its deadlines included, not an insert and an update
        referral = _new_referral(case, user, request, receiving_unit)
        if send:
            _send(referral)
    db.session.add(referral)
    if send:
        db.session.flush()  # the notice names the referral's number
        mail.announce_referral(referral)
    db.session.commit()
    return referral


def _new_referral(case: Case, user: User, request: Request, receiving_unit: Unit) -> Referral:
    return Referral(case=case, from_unit=user.unit, to_unit=request.to_unit, provider=request.provider,
                    receiving_unit=receiving_unit, reason=request.reason.strip(),
                    service=(request.service or "").strip() or None, urgent=request.urgent,
                    transfer=request.transfer, consent=request.consent, status="draft",
                    approval_needed=needs_approval(user.unit, receiving_unit), created_by_id=user.id)


def _send(referral: Referral) -> None:
    now = utcnow()
    if referral.approval_needed and not referral.urgent:
        referral.status = "pending_approval"
        referral.approval_due_at = add_working_days(now, APPROVAL_WORKING_DAYS)
        return
    if referral.approval_needed:
        referral.approval_due_at = now + timedelta(hours=URGENT_APPROVAL_HOURS)
    _go_out(referral, now)


def _go_out(referral: Referral, now) -> None:
    referral.status, referral.sent_at = "sent", now
    referral.answer_due_at = add_working_days(now, ANSWER_WORKING_DAYS)


def check(referral: Referral, user: User, action: str) -> workflow.Rule:
    """The rule that lets this person take `action` now, or the refusal that says why not."""
    rule = workflow.TRANSITIONS.get((referral.status, action))
    if rule is None:
        raise NotInThisStatus(_("Referral %(number)d is “%(status)s”: “%(action)s” is not possible now.",
                                number=referral.id, status=workflow.STATUSES[referral.status],
                                action=workflow.ACTIONS[action]))
    if rule.party not in referral_parties(user, referral):
        raise NotAllowed(_("Only %(party)s can “%(action)s” this referral.", party=workflow.PARTIES[rule.party],
                           action=workflow.ACTIONS[action]))
    if Role(user.role) not in rule.roles:
        raise RoleNotAllowed(_("Your role cannot “%(action)s” a referral.", action=workflow.ACTIONS[action]))
    if action in ("accept", "complete") and referral.case.status == "closed":
        raise WrongState(_("Case %(reference)s is closed.", reference=referral.case.reference))
    if action == "complete" and referral.awaiting_approval:
        raise WrongState(_("Referral %(number)d must be approved before it is completed.", number=referral.id))
    if action == "accept" and referral.transfer and not referral.from_unit.contains(referral.case.unit):
        raise WrongState(_("Case %(reference)s has moved since this transfer was sent; it cannot be accepted.",
                           reference=referral.case.reference))
    if action in ("approve", "reject") and not referral.awaiting_approval:
        if referral.approved_by is not None:
            raise WrongState(_("Referral %(number)d was already approved by %(name)s.", number=referral.id,
                               name=referral.approved_by.full_name))
        raise WrongState(_("Referral %(number)d does not wait for approval.", number=referral.id))
    return rule


def allowed_actions(referral: Referral, user: User) -> list[str]:
    actions = []
    for action in workflow.ACTIONS:
        try:
            check(referral, user, action)
        except CaseRefused:
            continue
        actions.append(action)
    return actions


def act(referral: Referral, user: User, action: str, reason: str | None = None) -> Referral:
    """Take `action` on the referral, after reading it afresh under a row lock."""
    if action not in workflow.ACTIONS:
        raise NotInThisStatus(_("There is no such action."))
    db.session.execute(sa.select(Referral.id).where(Referral.id == referral.id).with_for_update())
    db.session.refresh(referral)
    rule = check(referral, user, action)
    reason = (reason or "").strip()
    if action in workflow.NEEDS_REASON and not reason:
        raise Invalid({"reason": [_("Give the reason.")]})
    if len(reason) > 5000:
        raise Invalid({"reason": [_("At most %(count)d characters.", count=5000)]})
    with db.session.no_autoflush:  # one update per action in the trail
        _apply(referral, user, action, rule, reason)
        if action in ("send", "approve"):
            mail.announce_referral(referral)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise WrongState(_("Someone else acted on referral %(number)d at the same moment; nothing was changed. "
                           "Look at it again.", number=referral.id)) from None
    forget_scope()
    return referral


def _apply(referral: Referral, user: User, action: str, rule: workflow.Rule, reason: str) -> None:
    now = utcnow()
    if action == "send":
        _send(referral)
    elif action == "approve":
        referral.approved_by_id, referral.approved_at = user.id, now
        if referral.status == "pending_approval":
            _go_out(referral, now)
    else:
        referral.status = rule.next_status
        if action in ("accept", "decline"):
            referral.answered_by_id, referral.answered_at = user.id, now
        if action == "complete":
            referral.completed_at = now
        if action in ("reject", "decline", "withdraw"):
            referral.closing_reason, referral.closed_by_id = reason or None, user.id
        if action == "accept" and referral.transfer:
            _transfer(referral.case, referral.receiving_unit)


def _transfer(case: Case, unit: Unit) -> None:
    """The family moved for good: the case now belongs to the receiving commune, which assigns its own worker."""
    case.unit, case.assigned_worker_id, case.updated_at = unit, None, utcnow()


def register_provider(unit: Unit, kind: str, name: str, contact: str | None) -> Provider:
    """A provider joins a unit's register (the caller chose `unit` within their own subtree)."""
    if not (name or "").strip():
        raise Invalid({"name": [_("This field is required.")]})
    provider = Provider(unit=unit, kind=kind, name=name.strip(), contact=(contact or "").strip() or None)
    db.session.add(provider)
    db.session.commit()
    return provider


def offer_provider(provider: Provider, active: bool) -> None:
    """Withdrawn providers stay in the register, for the referrals that name them, but are no longer offered."""
    provider.active = active
    db.session.commit()
