"""The rules of the facilities' register, inspections and corrections, which the pages call."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from app.access import (can, facilities_for_statistics, held_unit_ids, may_acknowledge_correction_escalation,
                        may_manage_facility, may_place_at, may_register_facility_in, scoped_children,
                        scoped_facilities)
from app.audit.recorder import record
from app.cases.models import Case, EmergencyMeasure
from app.cases.services import NotAllowed, WrongState
from app.children.models import Child
from app.deadlines.services import add_working_days, local_zone
from app.extensions import db
from app.facilities.checklist import CHECKLIST, KINDS, PLACEMENT_KINDS, RESULTS
from app.facilities.models import Correction, CorrectionEscalation, Facility, Inspection, Placement
from app.orm import insert_once, utcnow
from app.units.models import Unit

TEXT_LIMIT = 5000


class FacilityRefused(Exception):
    """What is wrong, by field; nothing was changed."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("facility change refused")
        self.fields = fields


class FacilityChanged(Exception):
    def __init__(self):
        super().__init__(_("Someone else changed this record after you opened it. Nothing was saved; look at it "
                           "now, then make your change again."))


@dataclass
class Problems:
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.fields:
            raise FacilityRefused(self.fields)


@dataclass
class Details:
    kind: str = ""
    name: str = ""
    address: str = ""
    capacity: int | None = None
    licence_number: str | None = None
    licence_issuer: str | None = None
    licence_issued_on: date | None = None
    licence_expires_on: date | None = None


def today() -> date:
    return utcnow().astimezone(local_zone()).date()


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _check_details(details: Details) -> Problems:
    problems = Problems()
    if details.kind not in KINDS:
        problems.add("kind", _("Choose the kind of facility."))
    if not _clean(details.name):
        problems.add("name", _("Give the facility's name."))
    if not _clean(details.address):
        problems.add("address", _("Give the facility's address."))
    if details.capacity is None or details.capacity < 1:
        problems.add("capacity", _("Give how many children the facility may care for: a whole number above 0."))
    issued, expires = details.licence_issued_on, details.licence_expires_on
    if issued and expires and expires <= issued:
        problems.add("licence_expires_on", _("The licence expires after the day it was issued."))
    if issued and issued > today():
        problems.add("licence_issued_on", _("The licence cannot be issued in the future."))
    if (issued or expires or _clean(details.licence_issuer)) and not _clean(details.licence_number):
        problems.add("licence_number", _("Give the licence's number."))
    return problems


def _apply(facility: Facility, details: Details) -> None:
    facility.kind, facility.name = details.kind, _clean(details.name)
    facility.address, facility.capacity = _clean(details.address), details.capacity
    facility.licence_number, facility.licence_issuer = _clean(details.licence_number), _clean(details.licence_issuer)
    facility.licence_issued_on, facility.licence_expires_on = details.licence_issued_on, details.licence_expires_on


def register_facility(user, unit: Unit | None, details: Details) -> Facility:
    """A facility filed under the unit where it stands (a commune of the person's area)."""
    problems = _check_details(details)
    if unit is None or unit.level != "commune":
        problems.add("unit", _("Choose the commune where the facility stands."))
    elif not may_register_facility_in(user, unit):
        raise NotAllowed(_("Facilities of this commune are registered by its district or province."))
    problems.raise_any()
    facility = Facility(unit=unit)
    _apply(facility, details)
    db.session.add(facility)
    db.session.commit()
    return facility


def update_facility(user, facility: Facility, details: Details, version: int | None) -> Facility:
    if not may_manage_facility(user, facility):
        raise NotAllowed(_("This facility is kept by another district or province."))
    if version != facility.version:
        raise FacilityChanged()
    _check_details(details).raise_any()
    _apply(facility, details)
    _commit()
    return facility


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise FacilityChanged() from None


def get_facility(user, facility_id: int) -> Facility | None:
    return db.session.scalar(scoped_facilities(user).where(Facility.id == facility_id))


def listing(user, kind: str | None = None) -> list[Facility]:
    query = scoped_facilities(user)
    if kind in KINDS:
        query = query.where(Facility.kind == kind)
    return list(db.session.scalars(query.order_by(Facility.name, Facility.id)))


def record_views(facilities: list[Facility]) -> None:
    """Each facility page read is in the trail (it names the children placed there), committed on its own."""
    for facility in facilities:
        record(db.session, "facility_viewed", entity="facilities", entity_id=facility.id,
               unit_path=facility.unit.path)
    db.session.commit()


# Placements

def place_child(user, facility: Facility, child: Child, kind: str, since: date | None, case: Case | None = None,
                measure: EmergencyMeasure | None = None) -> Placement:
    """A child living at the facility from `since`; a case's alternative care or isolation names the case (and the
    isolation its measure, Decree 56/2017 art. 32)."""
    if not may_place_at(user, facility, child):
        raise NotAllowed(_("You cannot record this child's placement."))
    problems = Problems()
    if kind not in PLACEMENT_KINDS:
        problems.add("kind", _("Choose why the child lives there."))
    if since is None:
        problems.add("since", _("Give the day the child came."))
    elif since > today():
        problems.add("since", _("The day the child came cannot be in the future."))
    if case is not None and case.child_id != child.id:
        problems.add("case", _("That case is about another child."))
    if measure is not None and (case is None or measure.case_id != case.id or not measure.isolation):
        problems.add("case", _("That isolation belongs to another case."))
    if kind == "isolation" and measure is None:
        problems.add("case", _("A temporary isolation is recorded with the case's isolation decision."))
    if _living_at(child, facility):
        problems.add("child", _("The child already lives at this facility."))
    problems.raise_any()
    placement = Placement(facility=facility, child=child, case=case, measure=measure, kind=kind, since=since,
                          recorded_by_id=user.id)
    db.session.add(placement)
    try:
        db.session.commit()
    except IntegrityError:
        # The check above passed, but another request (a double submit) recorded a stay in between.
        db.session.rollback()
        raise FacilityRefused({"child": [_("The child already lives at a facility: record the day they left it "
                                           "before recording a new stay.")]}) from None
    return placement


def _living_at(child: Child, facility: Facility) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Placement.child_id == child.id,
                                                         Placement.facility_id == facility.id,
                                                         Placement.until.is_(None))))


def end_placement(user, placement: Placement, until: date | None) -> Placement:
    if not may_place_at(user, placement.facility, placement.child):
        raise NotAllowed(_("You cannot record this child's placement."))
    problems = Problems()
    if placement.until is not None:
        problems.add("until", _("This stay has already ended."))
    elif until is None or until < placement.since or until > today():
        problems.add("until", _("Give the day the child left: not before they came, not in the future."))
    problems.raise_any()
    placement.until = until
    db.session.commit()
    return placement


def current_placements(user, facility: Facility) -> tuple[list[Placement], int]:
    """The children living at the facility now that `user` may read, and how many live there in all (others are
    counted, not named)."""
    current = sa.select(Placement).where(Placement.facility_id == facility.id, Placement.until.is_(None))
    total = db.session.scalar(current.with_only_columns(sa.func.count()))
    readable = scoped_children(user).with_only_columns(Child.id)
    shown = list(db.session.scalars(current.where(Placement.child_id.in_(readable)).order_by(Placement.since)))
    return shown, total


# Inspections

def plan_inspection(user, facility: Facility, inspected_on: date | None, team: str,
                    follows_up: Inspection | None = None) -> Inspection:
    if not may_manage_facility(user, facility):
        raise NotAllowed(_("This facility is inspected by another district or province."))
    problems = Problems()
    if inspected_on is None:
        problems.add("inspected_on", _("Give the day of the inspection."))
    if not _clean(team):
        problems.add("team", _("Name the inspection team."))
    elif len(team) > 500:
        problems.add("team", _("At most %(count)d characters.", count=500))
    if follows_up is not None and follows_up.facility_id != facility.id:
        problems.add("follows_up", _("A follow-up visit follows an inspection of the same facility."))
    problems.raise_any()
    inspection = Inspection(facility=facility, unit_id=user.unit_id, inspected_on=inspected_on, team=_clean(team),
                            follows_up=follows_up, planned_by_id=user.id)
    db.session.add(inspection)
    db.session.commit()
    return inspection


@dataclass
class NewCorrection:
    description: str = ""
    due_on: date | None = None


def record_inspection(user, inspection: Inspection, findings: dict[str, str], violations: str | None,
                      corrections: list[NewCorrection], resolved: list[int] | None = None,
                      version: int | None = None) -> Inspection:
    """What the visit found: every checklist item's result; the violations, described when an item is not met;
    the corrections required, each by a day after the visit; on a follow-up visit, which of the followed-up
    inspection's corrections it found done."""
    if not may_manage_facility(user, inspection.facility):
        raise NotAllowed(_("This facility is inspected by another district or province."))
    if version is not None and version != inspection.version:
        raise FacilityChanged()
    problems = Problems()
    if inspection.is_recorded:
        problems.add("findings", _("This inspection is already recorded."))
    if inspection.inspected_on > today():
        problems.add("findings", _("An inspection is recorded on or after its day."))
    missing = [key for key in CHECKLIST if findings.get(key) not in RESULTS]
    if missing:
        problems.add("findings", _("Give a result for every item of the checklist."))
    violations = _clean(violations)
    if any(findings.get(key) == "not_met" for key in CHECKLIST) and not violations:
        problems.add("violations", _("Describe the violations found: some items are not met."))
    if violations and len(violations) > TEXT_LIMIT:
        problems.add("violations", _("At most %(count)d characters.", count=TEXT_LIMIT))
    for number, correction in enumerate(corrections, start=1):
        if not _clean(correction.description):
            problems.add("corrections", _("Correction %(number)d: say what must be put right.", number=number))
        if correction.due_on is None or correction.due_on <= inspection.inspected_on:
            problems.add("corrections", _("Correction %(number)d: give a deadline after the day of the inspection.",
                                          number=number))
    followed = {correction.id: correction for correction in
                (inspection.follows_up.corrections if inspection.follows_up else []) if correction.done_on is None}
    if any(number not in followed for number in resolved or []):
        problems.add("resolved", _("Only an open correction of the inspection followed up can be found done."))
    problems.raise_any()
    inspection.findings = {key: findings[key] for key in CHECKLIST}
    inspection.violations = violations
    inspection.recorded_at, inspection.recorded_by_id = utcnow(), user.id
    for correction in corrections:
        inspection.corrections.append(Correction(description=_clean(correction.description),
                                                 due_on=correction.due_on))
    for number in resolved or []:
        followed[number].done_on = inspection.inspected_on
        followed[number].done_note = _("Found done at the follow-up visit of %(day)s.",
                                       day=inspection.inspected_on.strftime("%d/%m/%Y"))
    _commit()
    return inspection


def open_corrections(facility: Facility) -> list[Correction]:
    return list(db.session.scalars(sa.select(Correction).join(Inspection).where(
        Inspection.facility_id == facility.id, Correction.done_on.is_(None)).order_by(Correction.due_on)))


# Overdue corrections: waiting for the inspecting unit, then raised by the sweep

# A raised correction nobody acknowledged within this goes a level higher, as a late report does.
UNANSWERED_WORKING_DAYS = 1




def escalate_overdue(now: datetime | None = None) -> list[int]:
    """Raise each correction past its day and not found done, once, to the unit above the inspecting one (the
    province itself when it inspected); and a level higher what nobody there acknowledged within a working day.
    Safe to run twice, or twice at once: the table's constraints refuse a second copy."""
    now = now or utcnow()
    day = now.astimezone(local_zone()).date()
    raised = []
    first = aliased(CorrectionEscalation)
    inspecting = aliased(Unit)
    overdue = db.session.execute(
        sa.select(Correction.id, Inspection.unit_id, inspecting.parent_id).select_from(Correction)
        .join(Inspection, Inspection.id == Correction.inspection_id)
        .join(inspecting, inspecting.id == Inspection.unit_id)
        .where(Correction.done_on.is_(None), Correction.due_on < day,
               ~sa.exists().where(first.correction_id == Correction.id, first.level == 1))).all()
    for correction_id, unit_id, parent_id in overdue:
        raised.append(insert_once(db.session, CorrectionEscalation(
            correction_id=correction_id, from_unit_id=unit_id, to_unit_id=parent_id or unit_id, level=1,
            raised_at=now)))
    higher = aliased(CorrectionEscalation)
    waiting = db.session.scalars(
        sa.select(CorrectionEscalation).join(Unit, Unit.id == CorrectionEscalation.to_unit_id)
        .join(Correction, Correction.id == CorrectionEscalation.correction_id)
        .where(CorrectionEscalation.acknowledged_at.is_(None), Unit.parent_id.is_not(None),
               Correction.done_on.is_(None), ~sa.exists().where(higher.previous_id == CorrectionEscalation.id))).all()
    for escalation in waiting:
        if add_working_days(escalation.raised_at, UNANSWERED_WORKING_DAYS) >= now:
            continue
        raised.append(insert_once(db.session, CorrectionEscalation(
            correction_id=escalation.correction_id, from_unit_id=escalation.to_unit_id,
            to_unit_id=escalation.to_unit.parent_id, level=escalation.level + 1, previous_id=escalation.id,
            raised_at=now)))
    return [number for number in raised if number is not None]


def waiting_for(user, now: datetime) -> sa.Select:
    """The overdue corrections the person's unit required at an inspection; after a reorganisation, also those of
    the units it succeeded (a 2024 district's correction waits for the new province)."""
    if not can(user, "facilities.manage"):
        return sa.select(Correction).where(sa.false())
    day = now.astimezone(local_zone()).date()
    held = held_unit_ids(user.unit)
    query = sa.select(Correction).join(Inspection).where(
        Correction.done_on.is_(None), Correction.due_on < day, Inspection.unit_id.in_(held))
    if not can(user, "facilities.escalations"):
        return query
    # One raised to the officer's own unit (the province that inspected) waits once, in the list to acknowledge.
    return query.where(~sa.exists().where(CorrectionEscalation.correction_id == Correction.id,
                                          CorrectionEscalation.to_unit_id.in_(held),
                                          CorrectionEscalation.acknowledged_at.is_(None)))


def escalations_waiting_for(user) -> sa.Select:
    """The corrections raised to the person's unit (or to a unit it succeeded) that nobody acknowledged yet, while
    they are not done: a follow-up visit that finds one done takes it off every list."""
    if not can(user, "facilities.escalations"):
        return sa.select(CorrectionEscalation).where(sa.false())
    return (sa.select(CorrectionEscalation).join(Correction, Correction.id == CorrectionEscalation.correction_id)
            .where(CorrectionEscalation.to_unit_id.in_(held_unit_ids(user.unit)),
                   CorrectionEscalation.acknowledged_at.is_(None), Correction.done_on.is_(None)))


def get_escalation(user, number: int) -> CorrectionEscalation | None:
    escalation = db.session.get(CorrectionEscalation, number)
    if escalation is None or not may_acknowledge_correction_escalation(user, escalation):
        return None
    return escalation


def acknowledge(user, escalation: CorrectionEscalation, now: datetime | None = None) -> CorrectionEscalation:
    """A named officer of the unit it was raised to takes it: it stops rising, and is theirs to follow up."""
    db.session.execute(sa.select(CorrectionEscalation.id).where(CorrectionEscalation.id == escalation.id)
                       .with_for_update())
    db.session.refresh(escalation)
    if not may_acknowledge_correction_escalation(user, escalation):
        raise NotAllowed(_("Only an officer of %(unit)s can acknowledge this escalation.",
                           unit=escalation.to_unit.name))
    if escalation.acknowledged_at is not None:
        raise WrongState(_("This escalation was already acknowledged by %(name)s.",
                           name=escalation.acknowledged_by.full_name))
    if escalation.correction.done_on is not None:
        raise WrongState(_("This correction was found done; there is nothing left to acknowledge."))
    escalation.acknowledged_at, escalation.acknowledged_by_id = now or utcnow(), user.id
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise WrongState(_("Someone else acknowledged this escalation at the same moment.")) from None
    return escalation


# Statistics

@dataclass
class Figures:
    facilities: int = 0
    inspections: int = 0
    violations: int = 0
    corrections: int = 0
    corrections_done: int = 0
    corrections_overdue: int = 0


def figures(user, unit: Unit, start: date, end: date, now: datetime | None = None) -> Figures:
    """For the facilities of `unit`'s subtree: the inspections recorded between `start` and `end` (days of visit),
    the checklist items not met in them, the corrections they required and how many are done, and the corrections
    now past their day."""
    ids = facilities_for_statistics(user, unit)
    result = Figures()
    if not ids:
        return result
    facility_ids = sa.select(Facility.id).where(Facility.unit_id.in_(ids))
    result.facilities = db.session.scalar(sa.select(sa.func.count()).select_from(facility_ids.subquery()))
    inspections = list(db.session.scalars(sa.select(Inspection).where(
        Inspection.facility_id.in_(facility_ids), Inspection.recorded_at.is_not(None),
        Inspection.inspected_on.between(start, end))))
    result.inspections = len(inspections)
    result.violations = sum(inspection.violation_count for inspection in inspections)
    inspected = [inspection.id for inspection in inspections]
    if inspected:
        result.corrections, result.corrections_done = db.session.execute(sa.select(
            sa.func.count(), sa.func.count(Correction.done_on)).where(Correction.inspection_id.in_(inspected))).one()
    result.corrections_overdue = db.session.scalar(sa.select(sa.func.count()).select_from(Correction).join(
        Inspection).where(Inspection.facility_id.in_(facility_ids), Correction.done_on.is_(None),
                          Correction.due_on < (now or utcnow()).astimezone(local_zone()).date()))
    return result
