"""The rules of a case, from the report to closure: what the pages and the API both call.

Each step checks the state machine (`workflow.TRANSITIONS`), the version the person saw,
and its own conditions, then changes the case and commits; the audit trail follows by
itself. A refusal raises a `CaseRefused` and changes nothing.
"""
from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.exc import StaleDataError

from app.access import Role, can, may_open_case_in, scoped_children
from app.audit.models import AuditEntry
from app.audit.recorder import record
from app.cases import checklist, workflow
from app.cases.models import (ABUSE_SETTINGS, CARER_CONSENTS, CATEGORIES, CHILD_CONSENTS, CLOSURE_REASONS, DATA_GROUNDS,
                              HARM_STATUSES, REVIEW_CRITERIA, REVIEW_LEVELS, SOURCES, TIMELINE_KINDS,
                              Assessment, Case, CaseCategory, CaseSequence, CaseStep, Deadline, EmergencyMeasure,
                              Plan, PlanAction, PlanAuthor, Review, TimelineEntry)
from app.children.models import Child
from app.children.services import (CHILD_AGE_LIMIT, ChildDetails, child_problems, new_child, too_old,
                                   too_old_message, youngest_age)
from app.deadlines.services import add_working_days, initial_assessment_working_days, local_zone, province_of
from app.extensions import db
from app.i18n import display_date
from app.orm import utcnow
from app.text import initials
from app.units.models import Unit
from app.users.models import User

# Decree 56/2017 art. 26.3: a child in, or at risk of, serious harm to life, health or dignity gets emergency
# measures or a temporary isolation within 12 hours of the report, or of the moment the danger is found. Without
# danger the law sets no 12 hours: the initial assessment is due by the province's service standard (art. 26.2;
# deadlines.services.initial_assessment_working_days).
EMERGENCY_HOURS = 12
PLAN_DRAFT_WORKING_DAYS = 5
PLAN_APPROVAL_WORKING_DAYS = 7
ISOLATION_MAX_DAYS = 15  # Decree 56/2017 art. 32: extensions included, unless a competent authority asks for longer
CLOCK_SKEW = timedelta(minutes=5)
# The review of Mẫu 06 (Decree 56/2017 art. 31), unless the plan sets its day: this many months after approval.
REVIEW_MONTHS = 3


class CaseRefused(Exception):
    """A step that cannot be taken. `status` says how the API answers it."""

    status = 409

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class NotAllowed(CaseRefused):
    status = 403


class WrongState(CaseRefused):
    status = 409


class NotInThisStatus(WrongState):
    """Refused by the state machine's table: this action does not exist at this status."""


class RoleNotAllowed(NotAllowed):
    """Refused by the state machine's table: this role may not take this action."""


class Invalid(CaseRefused):
    status = 422

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(_("Some fields are missing or invalid."), fields)


class StaleVersion(CaseRefused):
    """Someone saved the case after this person loaded it; `changes` says what they changed."""

    status = 412

    def __init__(self, case: Case, seen: int):
        super().__init__(_("Case %(reference)s was changed by someone else after you opened it. Nothing was "
                           "saved; look at their changes, then make yours again.", reference=case.reference))
        self.changes = changes_since(case, seen)


class VersionMissing(CaseRefused):
    """A change that does not say which version of the case it was made on: it could undo a save it never saw."""

    status = 428

    def __init__(self, case: Case):
        super().__init__(_("The change did not say which version of case %(reference)s it was made on. Nothing was "
                           "saved; open the case again, then make your change.", reference=case.reference))


def record_view(case: Case) -> None:
    """Every reading of a child's file is in the trail (DESIGN.md section 6), committed on its own."""
    record_views([case])


def record_views(cases: list[Case]) -> None:
    """One entry per case read, as an API list hands out each case whole."""
    for case in cases:
        record(db.session, "case_viewed", entity="cases", entity_id=case.id, case_ref=case.reference,
               unit_path=case.unit.path)
    db.session.commit()


def changes_since(case: Case, seen: int) -> list[dict]:
    """What moved the case past version `seen`: who, when, which fields, oldest first.

    Each save of the case row raises its version by one and writes one "update" entry, so the
    last `case.version - seen` of those entries are the saves this person did not see.
    """
    missed = max(case.version - seen, 0)
    entries = list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.entity == "cases", AuditEntry.entity_id == str(case.id), AuditEntry.action == "update")
        .order_by(AuditEntry.id.desc()).limit(missed)))
    return [{"at": entry.at, "actor": entry.actor,
             "fields": sorted(name for name in json.loads(entry.changes or "{}") if name != "updated_at")}
            for entry in reversed(entries)]


def _require(case: Case, action: str, user: User, version: int | None) -> None:
    """A change of the case: made on its current version, allowed at its status and for this role."""
    if version is None:
        raise VersionMissing(case)
    if version != case.version:
        raise StaleVersion(case, version)
    _allow(case, action, user)


def _allow(case: Case, action: str, user: User) -> None:
    rule = workflow.TRANSITIONS.get((case.status, action))
    if rule is None:
        raise NotInThisStatus(_("Case %(reference)s is at “%(status)s”: “%(action)s” is not possible now.",
                           reference=case.reference, status=workflow.STATUSES[case.status],
                           action=workflow.ACTIONS[action]))
    if Role(user.role) not in rule[1]:
        raise RoleNotAllowed(_("Your role cannot “%(action)s”.", action=workflow.ACTIONS[action]))


# Steps whose own record tells the story already: corrections (in the History tab), notes, and reopenings
# (whose reason goes on the timeline).
UNLOGGED_STEPS = frozenset({"edit", "log", "reopen"})


def _take(case: Case, action: str, user: User, detail: str | None = None, note: str | None = None) -> None:
    """Move the case along the table and stamp it, so that every step checks the version; the step itself is kept
    with who took it, for the case's story."""
    case.status = workflow.next_status(case.status, action)
    case.updated_at = utcnow()
    if action not in UNLOGGED_STEPS:
        case.steps.append(CaseStep(action=action, user_id=user.id, taken_at=case.updated_at, detail=detail,
                                   note=note))


def _commit(case: Case, seen: int) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(case)
        raise StaleVersion(case, seen) from None


def _set_deadline(case: Case, name: str, due_at: datetime) -> None:
    deadline = case.deadline(name)
    if deadline is None:
        case.deadlines.append(Deadline(name=name, due_at=due_at))
    else:
        deadline.due_at, deadline.met_at = due_at, None


def _meet(case: Case, name: str, when: datetime) -> None:
    deadline = case.deadline(name)
    if deadline is not None and deadline.met_at is None:
        deadline.met_at = when


def _text_problem(problems: dict, name: str, value: str | None, required: bool, limit: int | None = None) -> None:
    if required and not (value or "").strip():
        problems.setdefault(name, []).append(_("This field is required."))
    elif limit and len(value or "") > limit:
        problems.setdefault(name, []).append(_("At most %(count)d characters.", count=limit))


def _moment_problem(problems: dict, name: str, moment: datetime | None, now: datetime) -> None:
    if moment is None:
        problems.setdefault(name, []).append(_("This field is required."))
    elif moment > now + CLOCK_SKEW:
        problems.setdefault(name, []).append(_("This is in the future."))


# Intake (Mẫu 01)

@dataclass
class Report:
    source: str = ""
    received_at: datetime | None = None
    categories: list[str] = field(default_factory=list)
    description: str = ""
    immediate_danger: bool = False
    reporter_name: str | None = None
    reporter_contact: str | None = None
    reporter_may_be_named: bool = False
    place: str | None = None
    action_taken: str | None = None
    harm_status: str | None = None
    harm_foreseen: str | None = None
    abuse_setting: str | None = None
    child_consent: str | None = None
    carer_consent: str | None = None
    data_ground: str | None = None


# Law on Children 2016 arts. 6.11 and 21: a child of 7 or more agrees, with the carer, to their private life being
# kept or disclosed; the Personal Data Protection Law 2025 (art. 9) asks the consent to be freely given and recorded.
CONSENT_AGE = 7


def report_problems(report: Report, now: datetime) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if report.source not in SOURCES:
        problems["source"] = [_("Choose where the report came from.")]
    _moment_problem(problems, "received_at", report.received_at, now)
    if not report.categories:
        problems["categories"] = [_("Choose at least one category.")]
    elif set(report.categories) - set(CATEGORIES):
        problems["categories"] = [_("Unknown category.")]
    _text_problem(problems, "description", report.description, required=True, limit=20000)
    _text_problem(problems, "reporter_name", report.reporter_name, required=False, limit=200)
    _text_problem(problems, "reporter_contact", report.reporter_contact, required=False, limit=100)
    _text_problem(problems, "place", report.place, required=False, limit=300)
    _text_problem(problems, "action_taken", report.action_taken, required=False, limit=20000)
    if report.harm_status is not None and report.harm_status not in HARM_STATUSES:
        problems["harm_status"] = [_("Choose whether the child is abused or at risk of abuse.")]
    if report.abuse_setting is not None and report.abuse_setting not in ABUSE_SETTINGS:
        problems["abuse_setting"] = [_("Choose where the abuse happened, or leave it not known.")]
    _text_problem(problems, "harm_foreseen", report.harm_foreseen, required=False, limit=20000)
    problems.update(consent_problems(report))
    return problems


def consent_problems(report: Report, child_age: int | None = None) -> dict[str, list[str]]:
    """Consent to the data being kept (Law on Children 2016 arts. 6.11 and 21; Personal Data Protection Law 2025
    art. 9): each answer known, and a legal ground exactly when someone did not agree or could not be asked."""
    problems: dict[str, list[str]] = {}
    if report.child_consent is not None and report.child_consent not in CHILD_CONSENTS:
        problems["child_consent"] = [_("Choose whether the child agreed.")]
    elif report.child_consent == "under_7" and child_age is not None and child_age >= CONSENT_AGE:
        problems["child_consent"] = [_("The child is 7 or older: ask the child too, and record the answer.")]
    if report.carer_consent is not None and report.carer_consent not in CARER_CONSENTS:
        problems["carer_consent"] = [_("Choose whether the carer agreed.")]
    if report.data_ground is not None and report.data_ground not in DATA_GROUNDS:
        problems["data_ground"] = [_("Choose the legal ground for keeping the data.")]
    elif problems:
        return problems
    without = report.child_consent in ("refused", "not_reached") or report.carer_consent in ("refused", "not_reached")
    if without and report.data_ground is None:
        problems["data_ground"] = [_("Someone did not agree or could not be asked: name the legal ground for "
                                     "keeping the data.")]
    elif not without and report.data_ground is not None:
        problems["data_ground"] = [_("Everyone asked agreed: no other legal ground is needed.")]
    return problems


def _province_initials(province: Unit) -> str:
    name = province.name
    for prefix in ("Thành phố ", "Tỉnh "):
        name = name.removeprefix(prefix)
    return initials(name)


def next_reference(unit: Unit, year: int) -> str:
    """`HD-10933-2024-0007`: province, unit, year, and a number the database hands out once."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(CaseSequence).values(unit_id=unit.id, year=year, last=1)
    statement = statement.on_conflict_do_update(index_elements=["unit_id", "year"],
                                                set_={"last": CaseSequence.last + 1})
    number = db.session.scalar(statement.returning(CaseSequence.last))
    return f"{_province_initials(province_of(unit))}-{unit.code}-{year}-{number:04d}"


def open_case(user: User, unit: Unit, report: Report, *, child: Child | None = None,
              child_details: ChildDetails | None = None) -> Case:
    """Intake: the case starts as `reported`, with its first deadlines."""
    if not may_open_case_in(user, unit):
        if not can(user, "cases.create"):
            raise NotAllowed(_("Your role does not open cases."))
        raise Invalid({"unit": [_("Cases are opened at a commune in your area.")]})
    now = utcnow()
    problems = report_problems(report, now)
    reported_on = report.received_at.astimezone(local_zone()).date() if report.received_at else None
    if child is None:
        problems.update(child_problems(child_details or ChildDetails(), now.astimezone(local_zone()).date(),
                                       reported_on))
    elif db.session.scalar(scoped_children(user).where(Child.id == child.id)) is None:
        problems["child_id"] = [_("There is no such child in your area.")]
    elif reported_on and too_old(child, reported_on):
        problems["child_id"] = [too_old_message()]
    if "child_consent" not in problems and reported_on:
        person = child or child_details
        age = youngest_age(person, reported_on) if person is not None else None
        for name, messages in consent_problems(report, age).items():
            problems.setdefault(name, messages)
    if problems:
        raise Invalid(problems)
    child = child or new_child(child_details.with_birth_year_on(reported_on))
    case = Case(reference=next_reference(unit, report.received_at.astimezone(local_zone()).year), unit=unit,
                child=child, status="reported", source=report.source, received_at=report.received_at,
                reporter_name=report.reporter_name or None, reporter_contact=report.reporter_contact or None,
                reporter_may_be_named=report.reporter_may_be_named, place=report.place or None,
                description=report.description.strip(), immediate_danger=report.immediate_danger,
                action_taken=report.action_taken or None, created_by_id=user.id,
                harm_status=report.harm_status, harm_foreseen=(report.harm_foreseen or "").strip() or None,
                abuse_setting=report.abuse_setting,
                child_consent=report.child_consent, carer_consent=report.carer_consent,
                data_ground=report.data_ground,
                assigned_worker_id=user.id if user.role == Role.WORKER else None)
    case.category_rows = [CaseCategory(category=category) for category in sorted(set(report.categories))]
    _set_deadline(case, "initial_assessment",
                  add_working_days(report.received_at, initial_assessment_working_days(unit)))
    if report.immediate_danger:
        _set_deadline(case, "emergency_measures", report.received_at + timedelta(hours=EMERGENCY_HOURS))
    db.session.add(case)
    db.session.commit()
    return case


# The report's own fields, as `Report` names them.
REPORT_FIELDS = ("description", "place", "action_taken", "immediate_danger", "reporter_name", "reporter_contact",
                 "reporter_may_be_named", "harm_status", "harm_foreseen", "abuse_setting", "child_consent",
                 "carer_consent", "data_ground")
EDITABLE = (*REPORT_FIELDS, "categories", "assigned_worker")


def edit_case(case: Case, user: User, changes: dict, version: int | None) -> None:
    """Correct the report's details; `changes` holds only the fields to change."""
    _require(case, "edit", user, version)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    report = Report(source=case.source, received_at=case.received_at, categories=case.categories,
                    **{name: getattr(case, name) for name in REPORT_FIELDS})
    for name, value in changes.items():
        if name != "assigned_worker":
            # A setting left "not known" is stored as not known.
            setattr(report, name, value or None if name == "abuse_setting" else value)
    problems = report_problems(report, utcnow())
    if "child_consent" not in problems:
        age = youngest_age(case.child, case.received_at.astimezone(local_zone()).date())
        for name, messages in consent_problems(report, age).items():
            problems.setdefault(name, messages)
    worker = None
    if changes.get("assigned_worker"):
        worker = db.session.scalar(sa.select(User).where(User.username == changes["assigned_worker"],
                                                         User.unit_id == case.unit_id, User.role == Role.WORKER,
                                                         User.active.is_(True)))
        if worker is None:
            problems["assigned_worker"] = [_("No active worker of this commune has that username.")]
    if problems:
        raise Invalid(problems)
    for name in REPORT_FIELDS:
        if name in changes:
            setattr(case, name, getattr(report, name))
    if "categories" in changes and set(report.categories) != set(case.categories):
        case.category_rows = [CaseCategory(category=category) for category in sorted(set(report.categories))]
    if "assigned_worker" in changes:
        case.assigned_worker = worker
    if case.immediate_danger and case.deadline("emergency_measures") is None:
        _set_deadline(case, "emergency_measures", case.received_at + timedelta(hours=EMERGENCY_HOURS))
    case.updated_at = utcnow()
    _commit(case, version)


# Assessment (Mẫu 02, 03) and emergency measures (Mẫu 07)

def assess(case: Case, user: User, answers: dict[str, bool], summary: str | None, version: int | None) -> Assessment:
    """The initial assessment: the checklist gives the risk; the plan's clock starts."""
    _require(case, "assess", user, version)
    unknown = set(answers) - set(checklist.QUESTIONS)
    if unknown:
        raise Invalid({"answers": [_("Unknown questions: %(names)s.", names=", ".join(sorted(unknown)))]})
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "summary", summary, required=False, limit=20000)
    if problems:
        raise Invalid(problems)
    now = utcnow()
    risk = checklist.risk_level(answers)
    assessment = Assessment(kind="initial", answers={key: bool(answers.get(key)) for key in checklist.QUESTIONS},
                            risk_level=risk, summary=summary or None, created_by_id=user.id)
    case.assessments.append(assessment)
    case.risk_level = risk
    _meet(case, "initial_assessment", now)
    if answers.get("life_in_danger"):
        _start_emergency_clock(case, now)
    plan_clock = case.deadline("plan_draft")
    if plan_clock is None or plan_clock.met_at is not None:  # not yet started, or met before a reopening
        _set_deadline(case, "plan_draft", add_working_days(now, PLAN_DRAFT_WORKING_DAYS))
        _set_deadline(case, "plan_approval", add_working_days(now, PLAN_APPROVAL_WORKING_DAYS))
    _take(case, "assess", user, detail=risk)
    _commit(case, version)
    return assessment


def _start_emergency_clock(case: Case, now: datetime) -> None:
    """Danger found at the assessment rather than at intake: the 12 hours run from this moment (Decree 56/2017
    art. 26.3), unless this episode's clock already runs; measures taken since the report (or the reopening)
    answer it."""
    start = case.episode_start
    clock = case.deadline("emergency_measures")
    if clock is not None and clock.due_at >= start + timedelta(hours=EMERGENCY_HOURS):
        return
    case.immediate_danger = True
    _set_deadline(case, "emergency_measures", now + timedelta(hours=EMERGENCY_HOURS))
    taken = [moment for moment in _emergency_answers(case) if moment >= start]
    if taken:
        _meet(case, "emergency_measures", min(taken))


def _emergency_answers(case: Case) -> list[datetime]:
    """When the emergency measures of the case were taken, or an isolation decided (a proposal answers nothing)."""
    return [measure.decided_at if measure.isolation else measure.taken_at for measure in case.emergency_measures
            if not measure.isolation or measure.isolation_status == "decided"]


def record_detailed_assessment(case: Case, user: User, summary: str, meeting_minutes: str | None,
                               version: int | None) -> Assessment:
    _require(case, "detail", user, version)
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "summary", summary, required=True, limit=20000)
    _text_problem(problems, "meeting_minutes", meeting_minutes, required=False, limit=50000)
    if problems:
        raise Invalid(problems)
    assessment = Assessment(kind="detailed", answers={}, summary=summary, meeting_minutes=meeting_minutes or None,
                            created_by_id=user.id)
    case.assessments.append(assessment)
    _take(case, "detail", user)
    _commit(case, version)
    return assessment


@dataclass
class Emergency:
    description: str = ""
    taken_at: datetime | None = None


def record_emergency(case: Case, user: User, measure: Emergency, version: int | None) -> EmergencyMeasure:
    """Emergency measures (Decree 56/2017 art. 26.3); a temporary isolation is proposed and decided on its own
    (`propose_isolation`, `decide_isolation`)."""
    _require(case, "emergency", user, version)
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "description", measure.description, required=True, limit=20000)
    _moment_problem(problems, "taken_at", measure.taken_at, utcnow())
    if problems:
        raise Invalid(problems)
    record = EmergencyMeasure(description=measure.description.strip(), taken_at=measure.taken_at,
                              created_by_id=user.id)
    case.emergency_measures.append(record)
    _meet(case, "emergency_measures", measure.taken_at)
    _take(case, "emergency", user)
    _commit(case, version)
    return record


@dataclass
class IsolationProposal:
    """What the worker proposes for Mẫu 07: why, where the child goes, with whom, from which day to which; beyond
    15 days, the competent authority's written request that asks for it."""

    reason: str = ""
    place: str = ""
    with_whom: str = ""
    first_day: date | None = None
    last_day: date | None = None
    extension_authority: str | None = None
    extension_number: str | None = None
    extension_date: date | None = None


def propose_isolation(case: Case, user: User, proposal: IsolationProposal, version: int | None) -> EmergencyMeasure:
    """The worker proposes a temporary isolation; a commune leader decides it (Decree 56/2017 art. 32)."""
    _require(case, "propose_isolation", user, version)
    if case.proposed_isolation is not None:
        raise WrongState(_("An isolation proposal already waits for a commune leader's decision."))
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "reason", proposal.reason, required=True, limit=20000)
    _text_problem(problems, "place", proposal.place, required=True, limit=300)
    _text_problem(problems, "with_whom", proposal.with_whom, required=True, limit=300)
    _text_problem(problems, "extension_authority", proposal.extension_authority, required=False, limit=300)
    _text_problem(problems, "extension_number", proposal.extension_number, required=False, limit=60)
    first, last = proposal.first_day, proposal.last_day
    if first is None or last is None:
        problems.setdefault("last_day", []).append(_("Give the first and last day of the isolation."))
    elif last < first:
        problems.setdefault("last_day", []).append(_("The last day comes before the first."))
    elif _isolation_days(case, first, last) > ISOLATION_MAX_DAYS:
        _extension_problems(problems, proposal)
    if proposal.extension_date and proposal.extension_date > utcnow().astimezone(local_zone()).date():
        problems.setdefault("extension_date", []).append(_("This is in the future."))
    if problems:
        raise Invalid(problems)
    extended = _isolation_days(case, first, last) > ISOLATION_MAX_DAYS
    # An isolation proposed for a report not marked as dangerous is danger found now: the leader's 12 hours run
    # from this moment (art. 26.3), unless this episode's clock already runs.
    _start_emergency_clock(case, utcnow())
    record = EmergencyMeasure(
        description=proposal.reason.strip(), taken_at=utcnow(), isolation=True, isolation_status="proposed",
        isolation_place=proposal.place.strip(), isolation_with=proposal.with_whom.strip(), isolation_from=first,
        isolation_until=last, created_by_id=user.id,
        extension_authority=proposal.extension_authority.strip() if extended else None,
        extension_number=proposal.extension_number.strip() if extended else None,
        extension_date=proposal.extension_date if extended else None)
    case.emergency_measures.append(record)
    _take(case, "propose_isolation", user)
    _commit(case, version)
    return record


def _extension_problems(problems: dict, proposal: IsolationProposal) -> None:
    """Beyond 15 days only at the written request of a competent authority (Decree 56/2017 art. 32): its name,
    number and date are required."""
    message = _("A temporary isolation lasts %(days)d days at most; longer only at the written request of a "
                "competent authority: give its name, number and date.", days=ISOLATION_MAX_DAYS)
    if not all(((proposal.extension_authority or "").strip(), (proposal.extension_number or "").strip(),
                proposal.extension_date)):
        problems.setdefault("last_day", []).append(message)
        for name in ("extension_authority", "extension_number", "extension_date"):
            if not getattr(proposal, name) or not str(getattr(proposal, name)).strip():
                problems.setdefault(name, []).append(_("This field is required."))


def _proposal(case: Case) -> EmergencyMeasure:
    measure = case.proposed_isolation
    if measure is None:
        raise WrongState(_("No isolation proposal waits for a decision."))
    return measure


def decide_isolation(case: Case, user: User, version: int | None) -> EmergencyMeasure:
    """A commune leader decides the proposed isolation (Mẫu 07), named on the decision; this answers the 12 hours
    of art. 26.3, and the isolation's last day becomes a deadline."""
    _require(case, "decide_isolation", user, version)
    measure = _proposal(case)
    now = utcnow()
    measure.isolation_status, measure.decided_by_id, measure.decided_at = "decided", user.id, now
    measure.decided_by = user.full_name
    _meet(case, "emergency_measures", now)
    last_day = datetime.combine(measure.isolation_until, datetime.max.time(), tzinfo=local_zone())
    _set_deadline(case, "isolation_end", last_day.replace(microsecond=0))
    _take(case, "decide_isolation", user, detail="isolation")
    _commit(case, version)
    return measure


def decline_isolation(case: Case, user: User, reason: str, version: int | None) -> EmergencyMeasure:
    """A commune leader declines the proposed isolation, saying why."""
    _require(case, "decline_isolation", user, version)
    measure = _proposal(case)
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "reason", reason, required=True, limit=5000)
    if problems:
        raise Invalid(problems)
    measure.isolation_status, measure.decided_by_id, measure.decided_at = "declined", user.id, utcnow()
    measure.decided_by, measure.decision_note = user.full_name, reason.strip()
    _take(case, "decline_isolation", user, note=reason.strip())
    _commit(case, version)
    return measure


def _isolation_days(case: Case, first: date, last: date) -> int:
    start, end = _isolation_span(case, first, last)
    return (end - start).days + 1


def _isolation_span(case: Case, first: date, last: date) -> tuple[date, date]:
    """The first and last day of the isolation that the decision for `first`-`last` belongs to: decisions that
    overlap or follow one another without a day between are one isolation and its extensions."""
    periods = sorted([(m.isolation_from, m.isolation_ended_on or m.isolation_until)
                      for m in case.emergency_measures if m.isolation and m.isolation_status == "decided"]
                     + [(first, last)])
    start, end = periods[0]
    for period_start, period_end in periods[1:]:
        if period_start > end + timedelta(days=1):
            if start <= first <= end:
                break
            start = period_start
        end = max(end, period_end)
    return start, end


def _isolation_term_reached(case: Case) -> bool:
    """Today is the last day of the ongoing isolation, or later: anyone may record its end, not only a leader."""
    measure = case.ongoing_isolation
    _first, last = _isolation_span(case, measure.isolation_from, measure.isolation_until)
    return utcnow().astimezone(local_zone()).date() >= last


def end_isolation(case: Case, user: User, ended_on: date | None, note: str, version: int | None) -> EmergencyMeasure:
    """The temporary isolation ended, at its term or earlier once the danger passed: on which day, and what
    followed for the child (home again, alternative care). This answers the isolation's deadline."""
    _require(case, "end_isolation", user, version)
    measure = case.ongoing_isolation
    if measure is None:
        raise WrongState(_("No temporary isolation is under way."))
    problems: dict[str, list[str]] = {}
    today = utcnow().astimezone(local_zone()).date()
    first_day, last_day = _isolation_span(case, measure.isolation_from, measure.isolation_until)
    if ended_on is None:
        problems["ended_on"] = [_("Give the day the isolation ended.")]
    elif not first_day <= ended_on <= today:
        problems["ended_on"] = [_("The isolation ended between its first day (%(first)s) and today.",
                                  first=display_date(first_day))]
    elif ended_on < last_day and Role(user.role) != Role.COMMUNE_LEADER:
        # Ending it before its term is the chairman's decision, as deciding it was (Decree 56/2017 art. 32).
        raise NotAllowed(_("Only a commune leader may end an isolation before its last day (%(last)s).",
                           last=display_date(last_day)))
    _text_problem(problems, "note", note, required=True, limit=5000)
    if problems:
        raise Invalid(problems)
    measure.isolation_ended_on, measure.isolation_end_note = ended_on, note.strip()
    measure.ended_by_id = user.id
    _meet(case, "isolation_end", utcnow())
    _take(case, "end_isolation", user)
    _commit(case, version)
    return measure


# The plan (Mẫu 04, 05)

@dataclass
class PlannedAction:
    description: str = ""
    responsible: str = ""
    due_date: date | None = None


def action_field(number: int, name: str) -> str:
    """How a problem names a field of the plan's action `number` (from 0): `actions.0.responsible`."""
    return f"actions.{number}.{name}"


def _plan_problems(goals: str, actions: list[PlannedAction]) -> dict[str, list[str]]:
    """The plan's problems, each action's on its own fields, and under `actions` what they amount to."""
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "goals", goals, required=True, limit=20000)
    if not actions:
        problems["actions"] = [_("A plan needs at least one action.")]
    missing = too_long = False
    for number, action in enumerate(actions):
        for name, value, limit, request in (
                ("description", action.description, 2000, _("Say what is to be done.")),
                ("responsible", action.responsible, 200, _("Say who is responsible."))):
            if not (value or "").strip():
                problems[action_field(number, name)], missing = [request], True
            elif len(value) > limit:
                problems[action_field(number, name)] = [_("At most %(count)d characters.", count=limit)]
                too_long = True
        if action.due_date is None:
            problems[action_field(number, "due_date")], missing = [_("Give the day it is due.")], True
    if missing:
        problems["actions"] = [_("Each action needs what is to be done, who is responsible, and by when.")]
    elif too_long:
        problems["actions"] = [_("An action takes at most %(count)d characters, and who is responsible at most "
                                 "%(limit)d.", count=2000, limit=200)]
    return problems


def draft_plan(case: Case, user: User, goals: str, actions: list[PlannedAction], version: int | None,
               review_due_on: date | None = None) -> Plan:
    """Write the plan after the assessment, or rewrite it while it is still a draft or was returned."""
    return _write_plan(case, user, goals, actions, version, "draft_plan", review_due_on)


def new_plan(case: Case, user: User, goals: str, actions: list[PlannedAction], version: int | None,
             review_due_on: date | None = None) -> Plan:
    """After a review finds the child not yet safe: a new plan, with a new clock."""
    return _write_plan(case, user, goals, actions, version, "new_plan", review_due_on)


def _write_plan(case: Case, user: User, goals: str, actions: list[PlannedAction], version: int | None,
                step: str, review_due_on: date | None = None) -> Plan:
    _require(case, step, user, version)
    problems = _plan_problems(goals, actions)
    if review_due_on is not None and review_due_on <= utcnow().astimezone(local_zone()).date():
        problems["review_due_on"] = [_("The review comes after today.")]
    if problems:
        raise Invalid(problems)
    plan = case.current_plan
    if case.status != "planning" or plan is None:
        plan = Plan(drafted_by_id=user.id, goals="")
        case.plans.append(plan)
        if step == "new_plan":
            # A new plan answers a review that found the child not yet safe: an earlier closure proposal is void.
            case.closure_reason = case.closure_note = case.closure_proposed_by_id = None
            # The earlier plan's actions give way to the new plan's, whose clock starts at its approval.
            for deadline in [d for d in case.deadlines if d.name == "plan_action"]:
                case.deadlines.remove(deadline)
            now = utcnow()
            _set_deadline(case, "plan_draft", add_working_days(now, PLAN_DRAFT_WORKING_DAYS))
            _set_deadline(case, "plan_approval", add_working_days(now, PLAN_APPROVAL_WORKING_DAYS))
    elif plan.status == "submitted":
        raise WrongState(_("The plan is waiting for approval; it can be changed once it is returned."))
    plan.goals, plan.status, plan.drafted_by_id = goals.strip(), "draft", user.id
    plan.review_due_on = review_due_on
    plan.add_author(user)
    plan.actions = [PlanAction(description=a.description.strip(), responsible=a.responsible.strip(),
                               due_date=a.due_date) for a in actions]
    _take(case, step, user)
    _commit(case, version)
    return plan


def submit_plan(case: Case, user: User, version: int | None) -> Plan:
    _require(case, "submit_plan", user, version)
    plan = case.current_plan
    if plan is None or plan.status not in ("draft", "returned"):
        raise WrongState(_("There is no draft plan to submit."))
    plan.status, plan.submitted_at = "submitted", utcnow()
    _meet(case, "plan_draft", plan.submitted_at)
    _take(case, "submit_plan", user)
    _commit(case, version)
    return plan


def _submitted_plan(case: Case) -> Plan:
    plan = case.current_plan
    if plan is None or plan.status != "submitted":
        raise WrongState(_("No plan is waiting for approval."))
    return plan


def approve_plan(case: Case, user: User, version: int | None) -> Plan:
    """A commune leader approves the submitted plan; whoever wrote a version of it may not (Decree 56/2017 arts.
    25-32: drafting and approving are acts of distinct people). `may_approve_plan` says the same beforehand."""
    _require(case, "approve_plan", user, version)
    plan = _submitted_plan(case)
    if plan.written_by(user):
        raise NotAllowed(_("You drafted this plan; another commune leader must approve it."))
    plan.status, plan.decided_by_id, plan.decided_at = "approved", user.id, utcnow()
    _meet(case, "plan_approval", plan.decided_at)
    if plan.review_due_on is None:
        plan.review_due_on = months_after(plan.decided_at.astimezone(local_zone()).date(), REVIEW_MONTHS)
    _set_deadline(case, "review", _end_of(plan.review_due_on))
    _next_action_clock(case, plan)
    _take(case, "approve_plan", user)
    _commit(case, version)
    return plan


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it is shorter (30 November for 31 August)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _end_of(day: date) -> datetime:
    """The last second of `day`, local time: a date in a plan is due until that day is over."""
    return datetime.combine(day, datetime.max.time(), tzinfo=local_zone()).replace(microsecond=0)


def _next_action_clock(case: Case, plan: Plan) -> None:
    """The plan's actions count (art. 29): the clock runs to the earliest action not yet done; met when all are."""
    waiting = [action.due_date for action in plan.actions if action.done_on is None]
    if waiting:
        _set_deadline(case, "plan_action", _end_of(min(waiting)))
    else:
        _meet(case, "plan_action", utcnow())


def complete_action(case: Case, user: User, action_id: int | None, done_on: date | None,
                    version: int | None) -> PlanAction:
    """An action of the approved plan is done: on which day, recorded by whom. The next action's date runs."""
    _require(case, "complete_action", user, version)
    plan = case.current_plan
    action = next((a for a in plan.actions if a.id == action_id), None) if plan else None
    problems: dict[str, list[str]] = {}
    if action is None or plan.status != "approved":
        problems["action"] = [_("Choose an action of the approved plan.")]
    elif action.done_on is not None:
        problems["action"] = [_("This action was already recorded as done.")]
    today = utcnow().astimezone(local_zone()).date()
    if done_on is None:
        problems["done_on"] = [_("Give the day it was done.")]
    elif done_on > today:
        problems["done_on"] = [_("This is in the future.")]
    if problems:
        raise Invalid(problems)
    action.done_on, action.done_by_id = done_on, user.id
    _next_action_clock(case, plan)
    _take(case, "complete_action", user)
    _commit(case, version)
    return action


def overdue_actions(case: Case, today: date) -> list[PlanAction]:
    """The current plan's actions past their date and not done, as the case page marks them."""
    plan = case.current_plan
    if plan is None or plan.status != "approved":
        return []
    return [action for action in plan.actions if action.overdue(today)]


def return_plan(case: Case, user: User, reason: str, version: int | None) -> Plan:
    _require(case, "return_plan", user, version)
    plan = _submitted_plan(case)
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "reason", reason, required=True, limit=5000)
    if problems:
        raise Invalid(problems)
    plan.status, plan.decided_by_id, plan.decided_at, plan.return_reason = "returned", user.id, utcnow(), reason
    _take(case, "return_plan", user, note=reason.strip())
    _commit(case, version)
    return plan


def may_approve_plan(case: Case, user: User) -> bool:
    """`approve_plan` would take this person's approval now (the version aside). Pages offer the step only then."""
    plan = case.current_plan
    return (workflow.allowed(case.status, "approve_plan", user.role) and plan is not None
            and plan.status == "submitted" and not plan.written_by(user))


def plan_approvable_by(user: User) -> sa.ColumnElement:
    """`may_approve_plan` as a condition on cases, for the lists and the badge that count what waits for `user`."""
    statuses = _statuses_where(user, "approve_plan")
    written = sa.select(PlanAuthor.id).where(PlanAuthor.plan_id == Plan.id, PlanAuthor.user_id == user.id)
    submitted = sa.select(Plan.case_id).where(Plan.status == "submitted", ~written.exists())
    return sa.and_(Case.status.in_(statuses), Case.id.in_(submitted))


def closure_approvable_by(user: User) -> sa.ColumnElement:
    """A closure proposed, at a status where this person's role approves closures (`approve_closure`)."""
    return sa.and_(Case.status.in_(_statuses_where(user, "approve_closure")), Case.closure_reason.is_not(None))


def isolation_decidable_by(user: User) -> sa.ColumnElement:
    """An isolation proposed, at a status where this person's role decides isolations (Decree 56/2017 art. 32)."""
    proposed = sa.select(EmergencyMeasure.case_id).where(EmergencyMeasure.isolation_status == "proposed")
    return sa.and_(Case.status.in_(_statuses_where(user, "decide_isolation")), Case.id.in_(proposed))


def decisions_for(user: User) -> sa.ColumnElement:
    """The cases that wait for this person's decision: a plan they may approve, an isolation, or a closure."""
    return sa.or_(plan_approvable_by(user), isolation_decidable_by(user), closure_approvable_by(user))


def _statuses_where(user: User, action: str) -> list[str]:
    return [status for (status, step) in workflow.TRANSITIONS if step == action
            and workflow.allowed(status, step, user.role)]


# Follow-up (timeline, Mẫu 06) and closure

def log(case: Case, user: User, kind: str, occurred_at: datetime | None, text: str) -> TimelineEntry:
    """A visit, contact, service or note; added by anyone following the case, without a version check."""
    _allow(case, "log", user)
    problems: dict[str, list[str]] = {}
    if kind not in TIMELINE_KINDS:
        problems["kind"] = [_("Choose what kind of entry this is.")]
    _moment_problem(problems, "occurred_at", occurred_at, utcnow())
    _text_problem(problems, "text", text, required=True, limit=20000)
    if problems:
        raise Invalid(problems)
    entry = TimelineEntry(kind=kind, occurred_at=occurred_at, text=text.strip(), author_id=user.id)
    case.timeline.append(entry)
    db.session.commit()
    return entry


REVIEW_NOTE_LIMIT = 5000


def review(case: Case, user: User, scores: dict[str, str], note: str | None, version: int | None, *,
           notes: dict[str, str | None] | None = None) -> Review:
    """Mẫu 06 (Decree 56/2017 art. 30): each criterion scored at the form's level (`high`, `medium`, `low`), with
    an optional note on it, and a note on the whole."""
    _require(case, "review", user, version)
    notes = notes or {}
    problems: dict[str, list[str]] = {}
    for criterion, rule in REVIEW_CRITERIA.items():
        if scores.get(criterion) not in REVIEW_LEVELS:
            problems[criterion] = [_("Choose one answer: %(answers)s.",
                                     answers=" / ".join(str(answer) for answer in rule.answers.values()))]
        _text_problem(problems, f"{criterion}_note", notes.get(criterion), required=False, limit=REVIEW_NOTE_LIMIT)
    unknown = sorted(set(scores) - set(REVIEW_CRITERIA)) + sorted(set(notes) - set(REVIEW_CRITERIA))
    if unknown:
        problems["scores"] = [_("Unknown criteria: %(names)s. A review is scored on the criteria of Mẫu 06: "
                                "%(criteria)s.", names=", ".join(unknown), criteria=", ".join(REVIEW_CRITERIA))]
    _text_problem(problems, "note", note, required=False, limit=20000)
    if problems:
        raise Invalid(problems)
    result = Review(note=(note or "").strip() or None, created_by_id=user.id, created_at=utcnow())
    for criterion in REVIEW_CRITERIA:
        setattr(result, criterion, scores[criterion])
        setattr(result, f"{criterion}_note", (notes.get(criterion) or "").strip() or None)
    case.reviews.append(result)
    _meet(case, "review", utcnow())
    _take(case, "review", user)
    _commit(case, version)
    return result


def has_turned_16(case: Case, today: date) -> bool:
    """The child is no longer a child (Law on Children 2016 art. 1), even at the youngest they can be."""
    age = youngest_age(case.child, today)
    return age is not None and age >= CHILD_AGE_LIMIT


def closure_reasons(case: Case, today: date) -> dict:
    """The reasons for closure that may be true of this case: "turned 16" only once the child has."""
    return {key: label for key, label in CLOSURE_REASONS.items()
            if key != "turned_16" or has_turned_16(case, today)}
def closure_needs_review(case: Case, reason: str | None) -> bool:
    """Closing for `reason` still waits for a review on Mẫu 06 since the last approved plan (Decree 56/2017
    art. 30); moving away, death and turning 16 make one impossible and close without it."""
    return workflow.CLOSURE_NEEDS_REVIEW.get(reason, True) and case.review_since_last_plan is None


def _review_missing(case: Case, reason: str) -> WrongState:
    return WrongState(review_missing_message(case, reason))


def review_missing_message(case: Case, reason: str) -> str:
    """Why closing for `reason` waits: which review is missing, after which plan."""
    plan = case.last_approved_plan
    if plan is not None and plan.decided_at is not None:
        missing = _("Case %(reference)s cannot close as “%(reason)s”: no review on the criteria of Mẫu 06 was "
                    "recorded after the plan approved on %(day)s. Record the review first; only a child who moved "
                    "away (file handed over), died or turned 16 closes without one.", reference=case.reference,
                    reason=CLOSURE_REASONS[reason],
                    day=display_date(plan.decided_at.astimezone(local_zone()).date()))
    else:
        missing = _("Case %(reference)s cannot close as “%(reason)s”: no review on the criteria of Mẫu 06 was "
                    "recorded. Record the review first; only a child who moved away (file handed over), died or "
                    "turned 16 closes without one.", reference=case.reference, reason=CLOSURE_REASONS[reason])
    return missing


def propose_closure(case: Case, user: User, reason: str, note: str | None, version: int | None) -> None:
    """A worker proposes, a commune leader approves (Decree 56/2017 art. 30). The reason is recorded with the
    proposal; moving away needs a note of where the file was handed over, as does "other"."""
    _require(case, "propose_closure", user, version)
    problems: dict[str, list[str]] = {}
    if reason not in CLOSURE_REASONS:
        problems["reason"] = [_("Choose why the case can close.")]
    elif reason not in closure_reasons(case, utcnow().astimezone(local_zone()).date()):
        problems["reason"] = [_("The child has not turned 16 yet: choose another reason.")]
    _text_problem(problems, "note", note, required=reason == "other", limit=5000)
    if reason == "moved_away" and not (note or "").strip():
        problems["note"] = [_("Say where the child moved and to whom the file was handed over.")]
    if problems:
        raise Invalid(problems)
    if closure_needs_review(case, reason):
        raise _review_missing(case, reason)
    case.closure_reason, case.closure_note, case.closure_proposed_by_id = reason, note or None, user.id
    _take(case, "propose_closure", user, detail=reason, note=note or None)
    _commit(case, version)


def approve_closure(case: Case, user: User, version: int | None) -> None:
    """The commune leader approves the proposed closure, its reason recorded; the review rule is checked again, as
    the case may have changed since the proposal (Decree 56/2017 art. 30)."""
    _require(case, "approve_closure", user, version)
    if case.closure_reason is None:
        raise WrongState(_("Nobody has proposed to close this case."))
    if closure_needs_review(case, case.closure_reason):
        raise _review_missing(case, case.closure_reason)
    case.closed_at = utcnow()
    _take(case, "approve_closure", user, detail=case.closure_reason)
    _commit(case, version)


def reopen(case: Case, user: User, reason: str, version: int | None) -> None:
    """A closed case opens again for a new assessment; the reason goes on the timeline."""
    _require(case, "reopen", user, version)
    problems: dict[str, list[str]] = {}
    _text_problem(problems, "reason", reason, required=True, limit=5000)
    if problems:
        raise Invalid(problems)
    now = utcnow()
    case.closure_reason = case.closure_note = case.closure_proposed_by_id = case.closed_at = None
    case.timeline.append(TimelineEntry(kind="note", occurred_at=now, author_id=user.id,
                                       text=_("Reopened: %(reason)s", reason=reason.strip())))
    case.episode_started_at = now
    ending = case.unit.ending
    if ending is not None and ending.heir.level == "commune":
        # Its commune ended in a reorganisation (issue 16): the case opens again at the successor, whose people act
        # on it and above which its deadlines escalate.
        if case.child.address_unit_id == case.unit_id:
            case.child.address_unit = ending.heir
        case.unit = ending.heir
    _set_deadline(case, "initial_assessment", add_working_days(now, initial_assessment_working_days(case.unit)))
    _take(case, "reopen", user)
    _commit(case, version)


# What the case page offers, and what comes first

def available_steps(case: Case, user: User) -> list[str]:
    """The steps this person may take on the case now, in the table's order: what the state machine allows their
    role at this status, less what the step's service would refuse whatever was typed. The page offers these."""
    return [step for step in workflow.actions_for(case.status, user.role) if _possible(case, user, step)]


def _possible(case: Case, user: User, step: str) -> bool:
    plan = case.current_plan
    if step == "draft_plan":
        return case.status != "planning" or plan is None or plan.status != "submitted"
    if step == "submit_plan":
        return plan is not None and plan.status in ("draft", "returned")
    if step == "approve_plan":
        return may_approve_plan(case, user)
    if step == "return_plan":
        return plan is not None and plan.status == "submitted"
    if step == "end_isolation":
        return case.ongoing_isolation is not None and (Role(user.role) == Role.COMMUNE_LEADER
                                                        or _isolation_term_reached(case))
    if step == "propose_isolation":
        return case.proposed_isolation is None
    if step in ("decide_isolation", "decline_isolation"):
        return case.proposed_isolation is not None
    if step == "approve_closure":
        return case.closure_reason is not None and not closure_needs_review(case, case.closure_reason)
    if step == "complete_action":
        return plan is not None and plan.status == "approved" and any(a.done_on is None for a in plan.actions)
    return True


@dataclass(frozen=True)
class Duty:
    """What the case waits for now: the clock that runs out first (if one runs), the one or two steps of this
    person that answer it, the main one first, and otherwise who is to act."""

    deadline: Deadline | None
    steps: tuple[str, ...]
    waiting: str | None = None


# The steps that answer each clock, the main one first; which of them apply depends on where the plan stands.
ANSWERS = {
    # A proposal waiting is the leader's to decide; otherwise measures, or an isolation to propose.
    "emergency_measures": ("decide_isolation", "emergency", "propose_isolation"),
    "initial_assessment": ("assess",),
    "plan_draft": ("submit_plan", "draft_plan", "new_plan"),
    "plan_approval": ("approve_plan", "return_plan", "submit_plan", "draft_plan", "new_plan"),
    "isolation_end": ("end_isolation",),
    "plan_action": ("complete_action",),
    "review": ("review",),
}
# Of clocks due at the same moment, the child's safety first: emergency measures within 12 hours of the report
# (Decree 56/2017 art. 26.3), then the initial assessment.
PRECEDENCE = ("emergency_measures", "initial_assessment", "isolation_end", "plan_draft", "plan_approval", "plan_action",
              "review")
# With no clock running: the follow-up of a plan under way (Mẫu 06), then its closure.
FOLLOW_UP = ("review", "propose_closure")
MAX_DUTY_STEPS = 2


def next_duty(case: Case, user: User) -> Duty | None:
    """The case's next duty for this person: the soonest open deadline they can answer, with its steps; else the
    soonest one, with who answers it; else a decision or the follow-up. None once the case is closed."""
    if case.status == "closed":
        return None
    available = available_steps(case, user)
    # The child's safety first: an isolation proposed waits for this leader's decision (Decree 56/2017 art. 32).
    deciding = tuple(step for step in ("decide_isolation", "decline_isolation") if step in available)
    if deciding:
        return Duty(case.deadline("emergency_measures") if case.deadline("emergency_measures")
                    and case.deadline("emergency_measures").met_at is None else None, deciding)
    if case.closure_reason is not None and "approve_closure" in available:
        return Duty(None, ("approve_closure",))
    clocks = sorted(case.open_deadlines(), key=lambda deadline: (deadline.due_at, PRECEDENCE.index(deadline.name)))
    for deadline in clocks:
        steps = _answers(case, deadline.name, available)
        if steps:
            return Duty(deadline, steps)
    if clocks:
        return Duty(clocks[0], (), _who_acts(case, clocks[0].name))
    if case.closure_reason is not None and not closure_needs_review(case, case.closure_reason):
        steps = tuple(step for step in ("approve_closure",) if step in available)
        return Duty(None, steps, None if steps else _("A commune leader decides on the closure."))
    steps = tuple(step for step in FOLLOW_UP if step in available)
    return Duty(None, steps, None if steps else _who_acts(case, None))


def _answers(case: Case, name: str, available: list[str]) -> tuple[str, ...]:
    candidates = ANSWERS.get(name, ())
    if name == "plan_approval" and "approve_plan" not in available:
        candidates = candidates[2:]  # nothing to decide here: the plan is still to be (re)submitted, or waits
    return tuple(step for step in candidates if step in available)[:MAX_DUTY_STEPS]


def _who_acts(case: Case, name: str | None) -> str:
    plan = case.current_plan
    if name == "plan_approval" and plan is not None and plan.status == "submitted":
        return _("A commune leader who wrote no version of the plan approves it.")
    return _("%(unit)s acts on this case.", unit=case.unit.name)
