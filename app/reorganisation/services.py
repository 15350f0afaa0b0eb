"""A reorganisation of the unit lists, previewed, then carried out one old unit at a time (issue 16).

Each old unit of the earlier list gets an heir in the later one: its whole successor commune, else the successor
province (a divided commune, or one the official succession does not name: only a person who knows where the child
lives can place its cases, and the system never guesses). Carrying out a unit, in one transaction: its open cases,
accounts, providers, open referrals and escalations move to the heir, each move a `Move` in the trail; cases the
heir province holds wait for a person (`place`). Closed cases stay where they were: scope follows the heirs
(app/access.py). A unit already carried out is skipped, so a second run moves nothing twice.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from flask_babel import gettext as _

from app.access import Role, forget_scope, may_place_waiting_case
from app.auth.services import end_sessions_and_tokens
from app.cases.models import Case, Deadline
from app.cases.services import Invalid, NotAllowed
from app.cases.workflow import OPEN_STATUSES
from app.children.models import Child
from app.escalations.models import Escalation
from app.extensions import db
from app.notifications import mail
from app.orm import utcnow
from app.referrals.models import Provider, Referral
from app.reorganisation.models import Move, Reorganisation
from app.units.models import Succession, Unit, UnitEnding
from app.users.approvals import withdraw_open_grant
from app.users.models import User

# The day the two-level structure began (Resolution 202/2025/QH15; Law on the Organisation of Local Government 2025).
EFFECTIVE_DATES = {("2024", "2025"): date(2025, 7, 1)}
OPEN_REFERRALS = ("draft", "pending_approval", "sent", "accepted")
# Accounts of an abolished district that move to the province: the supervisor sits there in two levels (issue 16
# point 4), and so gains the province's reach, as every supervisor of 2025 has it. No other role of a district has a
# place in the new structure that its holder was given: they are closed for an admin to place anew.
MOVING_FROM_DISTRICT = (Role.SUPERVISOR.value,)
LEVEL_ORDER = {"commune": 0, "district": 1, "province": 2}


class CannotReorganise(Exception):
    """Nothing can be carried out: the province's successor is not loaded, or people of other provinces still work
    in the earlier list."""


@dataclass
class UnitPlan:
    """What carrying out one old unit will do, counted before it is done."""

    unit: Unit
    heir: Unit
    rule: str  # full, partial, unknown (see Move.RULES)
    successors: list[Unit] = field(default_factory=list)
    open_cases: int = 0
    closed_cases: int = 0
    accounts: int = 0
    accounts_closed: int = 0
    providers: int = 0
    open_deadlines: int = 0
    referrals: int = 0
    escalations: int = 0

    @property
    def moving(self) -> int:
        """Open cases that go to a commune by themselves."""
        return self.open_cases if self.rule == "full" and self.unit.level == "commune" else 0

    @property
    def waiting(self) -> int:
        """Open cases that wait for a person to choose their commune."""
        return self.open_cases - self.moving


@dataclass
class Preview:
    from_edition: str
    to_edition: str
    effective_on: date
    units: list[UnitPlan]

    def total(self, name: str) -> int:
        return sum(getattr(plan, name) for plan in self.units)


@dataclass
class RunResult:
    run: Reorganisation | None
    units: int = 0
    moved: Counter = field(default_factory=Counter)
    waiting: int = 0


def effective_date(from_edition: str, to_edition: str) -> date:
    if (from_edition, to_edition) not in EFFECTIVE_DATES:
        raise CannotReorganise(_("No date is known for the change from list %(old)s to list %(new)s.",
                             old=from_edition, new=to_edition))
    return EFFECTIVE_DATES[from_edition, to_edition]


def _old_units(from_edition: str, province_code: str | None) -> list[Unit]:
    """The units of the earlier list not yet carried out, communes first, the province last."""
    ended = sa.exists().where(UnitEnding.unit_id == Unit.id)
    query = sa.select(Unit).where(Unit.edition == from_edition, ~ended)
    if province_code:
        query = query.where(Unit.path.startswith(f"{from_edition}/{province_code}/"))
    return sorted(db.session.scalars(query), key=lambda unit: (LEVEL_ORDER[unit.level], unit.path))


def _successors(unit_ids: list[int], to_edition: str) -> dict[int, list[tuple[Unit, str]]]:
    rows = db.session.execute(sa.select(Succession.old_unit_id, Unit, Succession.kind)
                              .join(Unit, Unit.id == Succession.new_unit_id)
                              .where(Succession.old_unit_id.in_(unit_ids), Unit.edition == to_edition)
                              .order_by(Unit.path))
    found: dict[int, list[tuple[Unit, str]]] = {}
    for old_id, new, kind in rows:
        found.setdefault(old_id, []).append((new, kind))
    return found


def _plans(units: list[Unit], to_edition: str) -> list[UnitPlan]:
    successors = _successors([unit.id for unit in units], to_edition)
    provinces = {unit.code: unit for unit in units if unit.level == "province"}
    heirs_of_provinces = {}
    for code, province in provinces.items():
        links = successors.get(province.id, [])
        if not links:
            raise CannotReorganise(_("The successor of %(unit)s is not loaded: load the successions first "
                                 "(flask units succeed).", unit=province.label))
        heirs_of_provinces[code] = links[0][0]
    plans = []
    for unit in units:
        province_code = unit.path.split("/")[1]
        if province_code not in heirs_of_provinces:
            continue  # its province was carried out already, or lies outside the run
        new_province = heirs_of_provinces[province_code]
        links = successors.get(unit.id, [])
        whole = len(links) == 1 and links[0][1] == "full"
        if unit.level == "district" and whole:
            plans.append(UnitPlan(unit=unit, heir=links[0][0], rule="full"))  # an island district: a special zone
        elif unit.level != "commune":
            plans.append(UnitPlan(unit=unit, heir=new_province, rule="full"))
        elif whole:
            plans.append(UnitPlan(unit=unit, heir=links[0][0], rule="full"))
        else:
            plans.append(UnitPlan(unit=unit, heir=new_province, rule="partial" if links else "unknown",
                                  successors=[new for new, _kind in links]))
    return plans


def _count(plans: list[UnitPlan]) -> None:
    """Fill each plan's counts with a few grouped queries, not one per unit."""
    by_id = {plan.unit.id: plan for plan in plans}
    ids = list(by_id)
    is_open = Case.status.in_(OPEN_STATUSES)

    def grouped(column, *criteria):
        query = sa.select(column, sa.func.count()).where(column.in_(ids), *criteria).group_by(column)
        return db.session.execute(query).all()

    for unit_id, count in grouped(Case.unit_id, is_open):
        by_id[unit_id].open_cases = count
    for unit_id, count in grouped(Case.unit_id, Case.status == "closed"):
        by_id[unit_id].closed_cases = count
    for unit_id, role, count in db.session.execute(
            sa.select(User.unit_id, User.role, sa.func.count()).where(User.unit_id.in_(ids), User.active)
            .group_by(User.unit_id, User.role)):
        plan = by_id[unit_id]
        plan.accounts += count
        if _account_rule(plan.unit.level, plan.rule, role) == "closed":
            plan.accounts_closed += count
    for unit_id, count in grouped(Provider.unit_id, Provider.active):
        by_id[unit_id].providers = count
    for unit_id, count in db.session.execute(
            sa.select(Case.unit_id, sa.func.count()).join(Deadline, Deadline.case_id == Case.id)
            .where(Case.unit_id.in_(ids), is_open, Deadline.met_at.is_(None)).group_by(Case.unit_id)):
        by_id[unit_id].open_deadlines = count
    for unit_id, count in _touching(Referral, ids, Referral.status.in_(OPEN_REFERRALS),
                                    Referral.from_unit_id, Referral.receiving_unit_id, Referral.to_unit_id):
        by_id[unit_id].referrals = count
    for unit_id, count in _touching(Escalation, ids, Escalation.acknowledged_at.is_(None),
                                    Escalation.from_unit_id, Escalation.to_unit_id):
        by_id[unit_id].escalations = count


def _touching(model, ids: list[int], is_open, *unit_columns) -> list[tuple[int, int]]:
    """For each unit of `ids`, how many open records of `model` name it in any of `unit_columns` (a record naming it
    twice counts once): what `_open_referrals` and `_open_escalations` would find, counted in one query."""
    named = sa.union(*(sa.select(model.id.label("record_id"), column.label("unit_id")).where(is_open, column.in_(ids))
                       for column in unit_columns)).subquery()
    return db.session.execute(sa.select(named.c.unit_id, sa.func.count()).group_by(named.c.unit_id)).all()


def preview(from_edition: str, to_edition: str, province_code: str | None = None) -> Preview:
    """What a run would do, per old unit, changing nothing."""
    plans = _plans(_old_units(from_edition, province_code), to_edition)
    _count(plans)
    return Preview(from_edition, to_edition, effective_date(from_edition, to_edition), plans)


def _account_rule(level: str, rule: str, role: str) -> str:
    if level == "district" and role not in MOVING_FROM_DISTRICT:
        return "closed"
    if level == "commune" and rule != "full":
        return "closed"
    return "full"


def _open_referrals(unit_id: int) -> list[Referral]:
    return list(db.session.scalars(sa.select(Referral).where(
        Referral.status.in_(OPEN_REFERRALS),
        sa.or_(Referral.from_unit_id == unit_id, Referral.receiving_unit_id == unit_id,
               Referral.to_unit_id == unit_id)).order_by(Referral.id)))


def _open_escalations(unit_id: int) -> list[Escalation]:
    return list(db.session.scalars(sa.select(Escalation).where(
        Escalation.acknowledged_at.is_(None),
        sa.or_(Escalation.from_unit_id == unit_id, Escalation.to_unit_id == unit_id)).order_by(Escalation.id)))


def _refuse_to_strand_other_provinces(from_edition: str, province_code: str | None) -> None:
    """The list in force is one for the installation (`active_edition`): a run puts the later list in force for
    everyone, so one province alone is carried out only where no one of another province still works in the earlier
    list."""
    if province_code is None:
        return
    ended = sa.exists().where(UnitEnding.unit_id == Unit.id)
    elsewhere = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).join(Unit, Unit.id == User.unit_id)
        .where(User.active, Unit.edition == from_edition, ~ended,
               ~Unit.path.startswith(f"{from_edition}/{province_code}/")))
    if elsewhere:
        raise CannotReorganise(_("%(count)d accounts of other provinces still work in list %(old)s: carry out every "
                                 "province together (without --province).", count=elsewhere, old=from_edition))


def reorganise(from_edition: str, to_edition: str, province_code: str | None = None, *, by: User | None = None,
               progress=None) -> RunResult:
    """Carry out every old unit not yet carried out, one transaction each; answer what moved.

    A run that stops halfway (a crash, a lost connection) leaves whole units done and the rest as they were:
    running again finishes it."""
    plans = _plans(_old_units(from_edition, province_code), to_edition)
    if not plans:
        return RunResult(run=None)
    _refuse_to_strand_other_provinces(from_edition, province_code)
    run = Reorganisation(from_edition=from_edition, to_edition=to_edition, province_code=province_code,
                         effective_on=effective_date(from_edition, to_edition), started_by=by)
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    result = RunResult(run=run)
    # Ids, not objects: each unit's commit expires what the session holds.
    steps = [(plan.unit.id, plan.heir.id, plan.unit.level, plan.rule) for plan in plans]
    for step in steps:
        result.units += 1
        try:
            moved = _carry_out(run, *step)
            if result.units == len(steps):
                # With the last unit, not after it: a run lost in between would leave no unit to carry out, and the
                # new list never in force (`active_edition`).
                run.finished_at = utcnow()
            db.session.commit()
        except IntegrityError:
            # Another run carried this unit out meanwhile (a second click): its ending is unique, nothing moves twice.
            db.session.rollback()
            run = db.session.get(Reorganisation, run_id)
            continue
        result.moved.update(moved)
        result.waiting += moved["waiting"]
        if progress:
            progress(result.units, len(steps))
        # The session holds its objects weakly: the units done are let go, so memory stays flat over a province.
        run = db.session.get(Reorganisation, run_id)
    result.run = run
    forget_scope()
    return result


def _carry_out(run: Reorganisation, unit_id: int, heir_id: int, level: str, rule: str) -> Counter:
    unit = db.session.get(Unit, unit_id)
    heir = db.session.get(Unit, heir_id)
    moved: Counter = Counter()
    db.session.add(UnitEnding(unit=unit, heir=heir, ended_on=run.effective_on, run_id=run.id))

    def move(entity: str, record_id: int, rule: str, *, case=None, to_unit=heir):
        db.session.add(Move(run=run, entity=entity, entity_id=record_id, case=case, from_unit=unit, held_by=heir,
                            to_unit=to_unit, rule=rule))

    open_cases = sa.select(Case).where(Case.unit_id == unit.id, Case.status.in_(OPEN_STATUSES))
    placed = rule == "full" and level == "commune"
    newest_case_units = _newest_case_units(open_cases, heir) if placed else {}
    for case in db.session.scalars(open_cases):
        move("cases", case.id, rule, case=case, to_unit=heir if placed else None)
        case.unit = heir
        if placed and case.child.address_unit_id == unit.id:
            case.child.address_unit = heir
        moved["cases" if placed else "waiting"] += 1
    if placed:
        # Children whose address follows are filed under their newest case's unit: known here in one query, not
        # asked for child by child as the flush files each one (a province's run moves tens of thousands).
        Child.remember_newest_case_units(db.session, newest_case_units)
        db.session.flush()
    for user in db.session.scalars(sa.select(User).where(User.unit_id == unit.id, User.active)):
        account_rule = _account_rule(level, rule, user.role)
        # Closed or moved (a district's supervisor then reads the whole province), what the account signed in
        # with ends, as when an administrator places it (app/users/services.py).
        end_sessions_and_tokens(user)
        if account_rule == "closed":
            # The account stays at its old unit, closed, for an admin of the new province to place anew.
            user.active = False
            withdraw_open_grant(user, None)
            move("users", user.id, "closed", to_unit=None)
        else:
            user.unit = heir
            move("users", user.id, "full")
        moved[f"users_{account_rule}"] += 1
    for provider in db.session.scalars(sa.select(Provider).where(Provider.unit_id == unit.id)):
        provider.unit = heir
        move("providers", provider.id, rule)
        moved["providers"] += 1
    for referral in _open_referrals(unit.id):
        for name in ("from_unit_id", "receiving_unit_id", "to_unit_id"):
            if getattr(referral, name) == unit.id:
                setattr(referral, name, heir.id)
        move("referrals", referral.id, rule, case=referral.case)
        moved["referrals"] += 1
    for escalation in _open_escalations(unit.id):
        for name in ("from_unit_id", "to_unit_id"):
            if getattr(escalation, name) == unit.id:
                setattr(escalation, name, heir.id)
        move("escalations", escalation.id, rule, case=escalation.case)
        moved["escalations"] += 1
    db.session.flush()
    _tell_those_involved(unit)
    return moved


def _newest_case_units(moving: sa.Select, heir: Unit) -> dict[int, str]:
    """The unit path of the newest case of each child with a case in `moving`, once those cases are at `heir`."""
    moving_ids = moving.with_only_columns(Case.id)
    rows = db.session.execute(
        sa.select(Case.child_id, Case.id.in_(moving_ids), Unit.path).join(Unit, Unit.id == Case.unit_id)
        .where(Case.child_id.in_(moving.with_only_columns(Case.child_id)))
        .order_by(Case.child_id, Case.received_at.desc()))
    newest: dict[int, str] = {}
    for child_id, moves, path in rows:
        newest.setdefault(child_id, heir.path if moves else path)
    return newest


def _tell_those_involved(old_unit: Unit) -> None:
    """The people who must now act on a re-addressed referral or escalation hear of it, as when it was sent."""
    moved = sa.select(Move.entity_id).where(Move.from_unit_id == old_unit.id)
    for referral in db.session.scalars(sa.select(Referral).where(Referral.id.in_(moved.where(
            Move.entity == "referrals")))):
        db.session.expire(referral)
        mail.announce_referral(referral)
    for escalation in db.session.scalars(sa.select(Escalation).where(Escalation.id.in_(moved.where(
            Move.entity == "escalations")))):
        db.session.expire(escalation)
        mail.announce_escalation(escalation)


def waiting_cases(user, limit: int = 200) -> list[Move]:
    """The cases held by `user`'s province until someone chooses their commune, the oldest move first."""
    from app.access import scoped_waiting_moves

    return list(db.session.scalars(scoped_waiting_moves(user).order_by(Move.moved_at, Move.id).limit(limit)))


def communes_for(move: Move) -> tuple[list[Unit], list[Unit]]:
    """The communes a waiting case may go to: the divided commune's successors first, then the rest of the
    province that holds it."""
    suggested = [link.new_unit for link in db.session.scalars(
        sa.select(Succession).join(Unit, Unit.id == Succession.new_unit_id)
        .where(Succession.old_unit_id == move.from_unit_id, Unit.edition == move.held_by.edition)
        .order_by(Unit.name))]
    others = [unit for unit in db.session.scalars(
        sa.select(Unit).where(Unit.path.startswith(move.held_by.path), Unit.level == "commune")
        .order_by(Unit.name)) if unit not in suggested]
    return suggested, others


def place(move: Move, commune: Unit | None, user: User) -> Case:
    """A person who knows where the child lives gives a waiting case its commune."""
    if not may_place_waiting_case(user, move):
        raise NotAllowed(_("Only an officer or supervisor of the province that holds the case chooses its commune."))
    if not move.waiting:
        raise Invalid({"commune": [_("Case %(reference)s already went to %(unit)s.", reference=move.case.reference,
                                     unit=move.to_unit.name)]})
    if commune is None or commune.level != "commune" or not move.held_by.contains(commune):
        raise Invalid({"commune": [_("Choose a commune of %(province)s.", province=move.held_by.name)]})
    case = move.case
    move.to_unit, move.decided_by, move.decided_at = commune, user, utcnow()
    case.unit = commune
    if case.child.address_unit_id == move.from_unit_id:
        case.child.address_unit = commune
    for referral in db.session.scalars(sa.select(Referral).where(Referral.case_id == case.id,
                                                                 Referral.status.in_(OPEN_REFERRALS),
                                                                 Referral.from_unit_id == move.held_by_id)):
        referral.from_unit_id = commune.id
    db.session.commit()
    forget_scope()
    return case


def _next_edition(province: Unit) -> str | None:
    """The list the province's loaded succession leads to."""
    return db.session.scalar(sa.select(Unit.edition).join(Succession, Succession.new_unit_id == Unit.id)
                             .where(Succession.old_unit_id == province.id).limit(1))


def _province(unit: Unit) -> Unit:
    while unit.parent is not None:
        unit = unit.parent
    return unit


def preview_for(unit: Unit) -> Preview | None:
    """The preview for the province of `unit`, while it has units to carry out; None once done or before the
    successions are loaded."""
    province = _province(unit)
    to_edition = _next_edition(province)
    if to_edition is None or (province.edition, to_edition) not in EFFECTIVE_DATES:
        return None
    plan = preview(province.edition, to_edition, province.code)
    return plan if plan.units else None


def reorganise_province_of(user: User) -> RunResult:
    province = _province(user.unit)
    to_edition = _next_edition(province)
    if to_edition is None:
        return RunResult(run=None)
    return reorganise(province.edition, to_edition, province.code, by=user)


def runs_for(unit: Unit) -> list[Reorganisation]:
    """The runs that ended units whose records `unit`'s province now holds, the latest first."""
    province = _province(unit)
    heirs = sa.select(Unit.id).where(Unit.path.startswith(province.path))
    return list(db.session.scalars(sa.select(Reorganisation).where(Reorganisation.id.in_(
        sa.select(UnitEnding.run_id).where(UnitEnding.heir_id.in_(heirs)))).order_by(Reorganisation.id.desc())))



def accounts_to_place(manager: User) -> int:
    """The accounts a reorganisation closed at an ended unit, which `manager` may place in a unit of the new list."""
    from app.access import scoped_users

    return db.session.scalar(scoped_users(manager).join(UnitEnding, UnitEnding.unit_id == User.unit_id)
                             .where(User.active.is_(False)).with_only_columns(sa.func.count()))
