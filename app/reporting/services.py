"""The rules of reporting up the tree: rounds, preparing and sending a report, reviewing it, consolidating, and
escalating what was not sent in time. The pages call these; they hold no rule of their own."""
from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from app.access import (can, may_acknowledge_report_escalation, may_define_rounds, may_keep_departments,
                        may_prepare_report, may_review_report, own_reports, reports_addressed_to, reports_on_board,
                        scoped_departments,
                        scoped_report_rounds, scoped_unit_reports)
from app.cases.services import Invalid, NotAllowed, WrongState
from app.deadlines.services import add_working_days, local_zone
from app.extensions import db
from app.orm import insert_once, utcnow
from app.reporting import figures
from app.reporting.models import (KINDS, OPEN_STATUSES, RECURRENCES, SECTIONS, Department, Report, ReportComment,
                                  ReportEscalation, ReportRound)
from app.units.models import Unit, UnitEnding
from app.users.models import User

LONGEST_SECTION = 20_000
LONGEST_REASON = 5_000
# What "Waiting for you" lists of a unit's own report: overdue, or due within this.
DUE_SOON = timedelta(days=7)
# A late report's escalation nobody acknowledged within this goes a level higher, as a case's does.
UNANSWERED_WORKING_DAYS = 1
RECURRENCE_MONTHS = {"half": 6, "year": 12}


def end_of_day(day: date) -> datetime:
    """A report due on `day` may be sent until that day ends, local time."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=local_zone())


def _reporting_units(province: Unit, communes: bool, districts: bool) -> list[Unit]:
    """The units of the province's list in force that the round asks to report: its communes, its districts where
    there are any, and always the province itself, which consolidates for the provincial People's Committee."""
    ended = sa.select(UnitEnding.unit_id)
    levels = ["province", *(["commune"] if communes else []), *(["district"] if districts else [])]
    return list(db.session.scalars(sa.select(Unit).where(
        Unit.edition == province.edition, Unit.path.startswith(province.path), Unit.id.not_in(ended),
        Unit.level.in_(levels)).order_by(Unit.path)))


def departments_of(user: User, only_active: bool = False) -> list[Department]:
    """The departments and agencies of the user's province, by name."""
    query = scoped_departments(user)
    if only_active:
        query = query.where(Department.active.is_(True))
    return list(db.session.scalars(query.order_by(Department.name)))


def get_department(user: User, number: int) -> Department | None:
    return db.session.scalar(scoped_departments(user).where(Department.id == number))


LONGEST_DEPARTMENT_NAME = 200


def add_department(user: User, name: str) -> Department:
    """A department or agency of the officer's province that reports (the plan's section III)."""
    if not may_keep_departments(user):
        raise NotAllowed(_("Only the province's officer keeps the list of departments and agencies."))
    name = " ".join((name or "").split())
    if not name:
        raise Invalid({"name": [_("Give the department's or agency's name.")]})
    if len(name) > LONGEST_DEPARTMENT_NAME:
        raise Invalid({"name": [_("At most %(count)d characters.", count=LONGEST_DEPARTMENT_NAME)]})
    taken = db.session.scalar(scoped_departments(user).where(sa.func.lower(Department.name) == name.lower()))
    if taken is not None:
        raise Invalid({"name": [_("%(name)s is already on the list.", name=taken.name)]})
    department = Department(province_id=user.unit_id, name=name, active=True, created_at=utcnow())
    db.session.add(department)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Invalid({"name": [_("%(name)s is already on the list.", name=name)]}) from None
    return department


def set_department_active(user: User, department: Department, active: bool) -> Department:
    """A department merged or dissolved is asked for no more reports; its past reports and accounts stay."""
    if not may_keep_departments(user):
        raise NotAllowed(_("Only the province's officer keeps the list of departments and agencies."))
    department.active = active
    db.session.commit()
    return department


def _check_round(kind, start, end, due_on, consolidation_due_on, recurrence) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        errors["kind"] = [_("Choose which report.")]
    if recurrence not in RECURRENCES:
        errors["recurrence"] = [_("Choose how often the round recurs.")]
    if start is None or end is None:
        errors["period_end"] = [_("Give the first and the last day of the period.")]
    elif end < start:
        errors["period_end"] = [_("The end comes before the start.")]
    if due_on is None:
        errors["due_on"] = [_("Give the day the reports are due.")]
    elif start is not None and due_on < start:
        errors["due_on"] = [_("The reports cannot be due before the period starts.")]
    if consolidation_due_on is None:
        errors["consolidation_due_on"] = [_("Give the day the consolidated reports are due.")]
    elif due_on is not None and consolidation_due_on < due_on:
        errors["consolidation_due_on"] = [_("Consolidated reports are due on or after the units' reports.")]
    if errors:
        raise Invalid(errors)


def _chosen_departments(province: Unit, chosen) -> list[Department]:
    """The departments the round asks: every active one when not said; else those named, of the province only."""
    active = list(db.session.scalars(sa.select(Department).where(Department.province_id == province.id,
                                                                 Department.active.is_(True))
                                     .order_by(Department.name)))
    if chosen is None:
        return active
    wanted = {department.id if isinstance(department, Department) else department for department in chosen}
    return [department for department in active if department.id in wanted]


def create_round(user: User, kind: str, start: date | None, end: date | None, due_on: date | None,
                 consolidation_due_on: date | None, recurrence: str = "none", previous: ReportRound | None = None,
                 communes: bool = True, districts: bool = True, departments=None) -> ReportRound:
    """A round for the officer's province, with a report waiting to be prepared at every unit and department it
    asks (`departments`: ids or departments; None, every active one). Departments report by the units' due day:
    the province consolidates their reports."""
    if not may_define_rounds(user):
        raise NotAllowed(_("Only the province's officer sets report rounds."))
    _check_round(kind, start, end, due_on, consolidation_due_on, recurrence)
    return _create(user.unit, user.id, kind, start, end, due_on, consolidation_due_on, recurrence, previous,
                   communes, districts, departments)


def _create(province: Unit, created_by_id: int | None, kind: str, start: date, end: date, due_on: date,
            consolidation_due_on: date, recurrence: str, previous: ReportRound | None, communes: bool,
            districts: bool, departments) -> ReportRound:
    round_ = ReportRound(province=province, kind=kind, period_start=start, period_end=end, due_on=due_on,
                         consolidation_due_on=consolidation_due_on, recurrence=recurrence,
                         created_by_id=created_by_id, created_at=utcnow(),
                         previous_id=previous.id if previous else None,
                         communes_report=communes, districts_report=districts)
    db.session.add(round_)
    try:
        # A second repeat of the same round, even at the same moment, stops here.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise WrongState(_("This round was already repeated.")) from None
    for unit in _reporting_units(province, communes, districts):
        consolidates = unit.level != "commune"
        db.session.add(Report(round=round_, unit=unit, status="draft",
                              due_at=end_of_day(consolidation_due_on if consolidates else due_on)))
    for department in _chosen_departments(province, departments):
        db.session.add(Report(round=round_, unit=province, department=department, status="draft",
                              due_at=end_of_day(due_on)))
    db.session.commit()
    return round_


def _shift(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class NextDates:
    """The next round of a recurring one: the same report for the next half-year or year, due as far after it."""

    start: date
    end: date
    due_on: date
    consolidation_due_on: date


def next_dates(round_: ReportRound) -> NextDates | None:
    months = RECURRENCE_MONTHS.get(round_.recurrence)
    if months is None:
        return None
    return NextDates(_shift(round_.period_start, months),
                     _shift(round_.period_end + timedelta(days=1), months) - timedelta(days=1),
                     _shift(round_.due_on, months), _shift(round_.consolidation_due_on, months))


def next_round(round_: ReportRound) -> ReportRound | None:
    return db.session.scalar(sa.select(ReportRound).where(ReportRound.previous_id == round_.id))


def _repeat(round_: ReportRound, province: Unit, created_by_id: int | None) -> ReportRound:
    following = next_dates(round_)
    if following is None:
        raise WrongState(_("This round does not recur."))
    # The same reporters are asked again: its units, and those of its departments still asked for reports; a round
    # of a province since merged into `province` asks every department of the new one.
    asked = list(db.session.scalars(sa.select(Report.department_id).where(Report.round_id == round_.id,
                                                                         Report.department_id.isnot(None)))) \
        if province.id == round_.province_id else None
    return _create(province, created_by_id, round_.kind, following.start, following.end, following.due_on,
                   following.consolidation_due_on, round_.recurrence, round_, round_.communes_report,
                   round_.districts_report, asked)


def repeat_round(user: User, round_: ReportRound) -> ReportRound:
    """The officer sets the next round early, before the sweep would (`recur`), for their province: after a
    reorganisation, a round of the province theirs succeeded is repeated for all of theirs."""
    if not may_define_rounds(user):
        raise NotAllowed(_("Only the province's officer sets report rounds."))
    return _repeat(round_, user.unit, user.id)


def recur(now: datetime) -> list[int]:
    """Set the next round of each recurring round on the first day of the next period, so that it exists from its
    start without the officer remembering: the day after a half-year or a year ends; the Month of Action's 1 June.
    Once: a round is repeated once (the unique `previous_id`), so a round set early by hand, or by another sweep at
    the same moment, is not set again. A province ended by a reorganisation sets no more rounds: its successor
    does."""
    today = now.astimezone(local_zone()).date()
    following = aliased(ReportRound)
    ended = db.session.scalars(sa.select(ReportRound).where(
        ReportRound.recurrence.in_(list(RECURRENCE_MONTHS)), ReportRound.period_end < today,
        ~sa.exists().where(following.previous_id == ReportRound.id),
        ReportRound.province_id.not_in(sa.select(UnitEnding.unit_id))).order_by(ReportRound.period_end)).all()
    made = []
    for round_ in ended:
        if next_dates(round_).start > today:
            continue
        try:
            made.append(_repeat(round_, round_.province, None).id)
        except WrongState:
            continue
    return made


def rounds_for(user: User) -> list[ReportRound]:
    return list(db.session.scalars(scoped_report_rounds(user).order_by(ReportRound.period_end.desc(),
                                                                         ReportRound.id.desc())))


def get_round(user: User, number: int) -> ReportRound | None:
    return db.session.scalar(scoped_report_rounds(user).where(ReportRound.id == number))


def get_report(user: User, number: int) -> Report | None:
    return db.session.scalar(scoped_unit_reports(user).where(Report.id == number))


def own_report(user: User, round_: ReportRound) -> Report | None:
    """The report the reader writes in the round: their unit's, or their department's."""
    return db.session.scalar(sa.select(Report).where(Report.round_id == round_.id, own_reports(user)))


def consolidates(report: Report) -> bool:
    """A unit with reporting units below it sums their reports rather than counting its own cases."""
    if report.department_id is not None:
        return False
    return db.session.scalar(sa.select(sa.func.count()).select_from(Report).join(Unit, Unit.id == Report.unit_id)
                             .where(Report.round_id == report.round_id, Unit.parent_id == report.unit_id)) > 0


def parts_of(report: Report) -> list[Report]:
    """The reports of the units directly below, in the order of the tree."""
    return list(db.session.scalars(sa.select(Report).join(Unit, Unit.id == Report.unit_id)
                                   .where(Report.round_id == report.round_id, Unit.parent_id == report.unit_id)
                                   .order_by(Unit.path)))


def department_parts_of(report: Report) -> list[Report]:
    """The departments' reports a province's own report lists, by department; none for any other report."""
    if report.department_id is not None or report.unit.parent_id is not None:
        return []
    return list(db.session.scalars(sa.select(Report).join(Department, Department.id == Report.department_id)
                                   .where(Report.round_id == report.round_id, Report.unit_id == report.unit_id)
                                   .order_by(Department.name)))


def current_figures(user: User, report: Report, now: datetime) -> dict | None:
    """The figures as sent; before that, as they stand now: the unit's statistics, or the sum of its accepted
    parts for a consolidating unit. None for a department: it reports in words, holding no cases to count."""
    if report.department_id is not None:
        return None
    if report.figures_json:
        return report.figures
    if consolidates(report):
        accepted = [part.figures for part in parts_of(report) if part.status == "accepted"]
        return figures.total(accepted) if accepted else figures.empty_like()
    return figures.snapshot(user, report.unit, report.round.period_start, report.round.period_end, now)


def _lock(report: Report) -> None:
    db.session.execute(sa.select(Report.id).where(Report.id == report.id).with_for_update())
    db.session.refresh(report)


def _clean_text(value, limit: int) -> str:
    return (value or "").replace("\r\n", "\n").strip()[:limit + 1]


def _write(report: Report, sections: dict, number, signer_name, signer_title) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    written = {}
    for key in SECTIONS[report.round.kind]:
        text = _clean_text(sections.get(key), LONGEST_SECTION)
        if len(text) > LONGEST_SECTION:
            errors[key] = [_("At most %(count)d characters.", count=LONGEST_SECTION)]
        written[key] = text
    for name, value, limit in (("number", number, 40), ("signer_name", signer_name, 120),
                               ("signer_title", signer_title, 120)):
        if len((value or "").strip()) > limit:
            errors[name] = [_("At most %(count)d characters.", count=limit)]
    if not errors:
        report.sections_json = json.dumps(written, ensure_ascii=False)
        report.number = (number or "").strip() or None
        report.signer_name = (signer_name or "").strip() or None
        report.signer_title = (signer_title or "").strip() or None
    return errors


def _may_write(user: User, report: Report) -> None:
    if not may_prepare_report(user, report):
        raise NotAllowed(_("Only the people of %(unit)s write its report.", unit=report.reporter_name))
    if not report.is_open:
        raise WrongState(_("This report was sent on %(day)s; it changes only if it is returned.",
                           day=report.submitted_at.astimezone(local_zone()).strftime("%d/%m/%Y")))


def save_draft(user: User, report: Report, sections: dict, number=None, signer_name=None, signer_title=None,
               now: datetime | None = None) -> Report:
    """Keep what is written so far; nothing is sent."""
    _lock(report)
    _may_write(user, report)
    errors = _write(report, sections, number, signer_name, signer_title)
    if errors:
        raise Invalid(errors)
    report.saved_at, report.saved_by_id = now or utcnow(), user.id
    _commit()
    return report


def submit(user: User, report: Report, sections: dict, number=None, signer_name=None, signer_title=None,
           now: datetime | None = None) -> Report:
    """Send the report up: its figures are taken now and kept as they are, whatever happens to the cases after."""
    now = now or utcnow()
    _lock(report)
    _may_write(user, report)
    errors = _write(report, sections, number, signer_name, signer_title)
    missing = [key for key, text in report.sections.items() if not text] if not errors else []
    for key in missing:
        errors[key] = [_("Write this section before sending; write “Không có” where there is nothing to report.")]
    if errors:
        raise Invalid(errors)
    # A department's report is in words only (it holds no cases to count); a unit's figures are taken now.
    if report.department_id is None:
        _take_figures(user, report, now)
    report.status, report.submitted_at, report.submitted_by_id = "submitted", now, user.id
    report.saved_at, report.saved_by_id = now, user.id
    report.return_reason = None
    _commit()
    return report


def _take_figures(user: User, report: Report, now: datetime) -> None:
    """A unit's figures, and for a consolidating one the accepted reports it sums and lists (its units', then at a
    province its departments', whose narratives it lists without figures)."""
    units = [part for part in parts_of(report) if part.status == "accepted"] if consolidates(report) else []
    departments = [part for part in department_parts_of(report) if part.status == "accepted"]
    if consolidates(report) and not units:
        raise WrongState(_("No report of the units below has been accepted yet: there is nothing to consolidate."))
    if units:
        report.figures_json = json.dumps(figures.total([part.figures for part in units]), ensure_ascii=False)
    else:
        report.figures_json = json.dumps(figures.snapshot(user, report.unit, report.round.period_start,
                                                          report.round.period_end, now), ensure_ascii=False)
    if units or departments:
        report.parts_json = json.dumps(
            [{"unit": part.unit.name, "code": part.unit.code, "sections": part.sections} for part in units]
            + [{"unit": part.department.name, "department": True, "sections": part.sections}
               for part in departments], ensure_ascii=False)


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise WrongState(_("Someone else changed this report at the same moment; open it again.")) from None


def _may_review(user: User, report: Report) -> None:
    if not may_review_report(user, report):
        raise NotAllowed(_("Only the unit above %(unit)s reviews its report.", unit=report.reporter_name))
    if report.status != "submitted":
        raise WrongState(_("This report is not waiting for review (%(status)s).", status=report.status_label))


def return_report(user: User, report: Report, reason: str, now: datetime | None = None) -> Report:
    """Send it back to its unit, saying what to correct; it is due again at once."""
    _lock(report)
    _may_review(user, report)
    reason = _clean_text(reason, LONGEST_REASON)
    if not reason:
        raise Invalid({"reason": [_("Say what must be corrected.")]})
    if len(reason) > LONGEST_REASON:
        raise Invalid({"reason": [_("At most %(count)d characters.", count=LONGEST_REASON)]})
    now = now or utcnow()
    report.status, report.return_reason, report.reviewed_at, report.reviewed_by_id = "returned", reason, now, user.id
    db.session.add(ReportComment(report_id=report.id, author_id=user.id, body=reason, created_at=now))
    _commit()
    return report


def accept(user: User, report: Report, now: datetime | None = None) -> Report:
    _lock(report)
    _may_review(user, report)
    report.status, report.reviewed_at, report.reviewed_by_id = "accepted", now or utcnow(), user.id
    _commit()
    return report


def comment(user: User, report: Report, body: str, now: datetime | None = None) -> ReportComment:
    if not (may_prepare_report(user, report) or may_review_report(user, report)):
        raise NotAllowed(_("Only the people of %(unit)s and of the unit above comment on its report.",
                           unit=report.reporter_name))
    body = _clean_text(body, LONGEST_REASON)
    if not body:
        raise Invalid({"body": [_("Write the comment.")]})
    if len(body) > LONGEST_REASON:
        raise Invalid({"body": [_("At most %(count)d characters.", count=LONGEST_REASON)]})
    note = ReportComment(report_id=report.id, author_id=user.id, body=body, created_at=now or utcnow())
    db.session.add(note)
    db.session.commit()
    return note


# The receiver's board.

BOARD_ORDER = {"late": 0, "submitted": 1, "returned": 2, "draft": 3, "accepted": 4}


@dataclass
class BoardLine:
    report: Report
    late: bool

    @property
    def state(self) -> str:
        return "late" if self.late else self.report.status


@dataclass
class Board:
    own: Report | None
    lines: list[BoardLine]
    # At a province, its departments' reports, apart from the units'.
    departments: list[BoardLine]

    def count(self, state: str, departments: bool = False) -> int:
        return sum(1 for line in (self.departments if departments else self.lines) if line.state == state)


def board(user: User, round_: ReportRound, now: datetime) -> Board:
    """The reports sent to the reader's unit (the units directly below it; at a province, its departments' too),
    late first, then those waiting for review; and the reader's own report, where they may read it."""
    received = list(db.session.scalars(
        sa.select(Report).join(Unit, Unit.id == Report.unit_id).outerjoin(Department, Department.id ==
                                                                           Report.department_id)
        .where(Report.round_id == round_.id, reports_on_board(user)).order_by(Unit.path, Department.name)))
    lines = [BoardLine(report, report.late(now)) for report in received]
    lines.sort(key=lambda line: BOARD_ORDER[line.state])
    own = db.session.scalar(scoped_unit_reports(user).where(Report.round_id == round_.id, own_reports(user)))
    return Board(own, [line for line in lines if line.report.department_id is None],
                 [line for line in lines if line.report.department_id is not None])


# What waits for a person ("Waiting for you").

@dataclass
class Duties:
    to_send: list[Report]
    to_review: list[Report]
    escalations: list[ReportEscalation]

    @property
    def total(self) -> int:
        return len(self.to_send) + len(self.to_review) + len(self.escalations)


def _to_send(user: User, now: datetime) -> sa.Select:
    if not can(user, "reporting.prepare"):
        return sa.select(Report).where(sa.false())
    return sa.select(Report).where(own_reports(user), Report.status.in_(OPEN_STATUSES),
                                   Report.due_at < now + DUE_SOON)


def _to_review(user: User) -> sa.Select:
    if not can(user, "reporting.review"):
        return sa.select(Report).where(sa.false())
    return sa.select(Report).where(reports_addressed_to(user), Report.status == "submitted")


def _escalations(user: User) -> sa.Select:
    if not can(user, "reporting.review"):
        return sa.select(ReportEscalation).where(sa.false())
    return (sa.select(ReportEscalation).join(Report, Report.id == ReportEscalation.report_id)
            .where(ReportEscalation.to_unit_id == user.unit_id, ReportEscalation.acknowledged_at.is_(None),
                   Report.status.in_(OPEN_STATUSES)))


def duties_for(user: User, now: datetime, limit: int = 50) -> Duties:
    return Duties(to_send=list(db.session.scalars(_to_send(user, now).order_by(Report.due_at).limit(limit))),
                  to_review=list(db.session.scalars(_to_review(user).order_by(Report.submitted_at).limit(limit))),
                  escalations=list(db.session.scalars(_escalations(user).order_by(ReportEscalation.raised_at)
                                                      .limit(limit))))


def duty_queries(user: User, now: datetime) -> list[sa.Select]:
    """What "Waiting for you" counts in its badge."""
    return [_to_send(user, now), _to_review(user), _escalations(user)]


# Late reports, raised by the deadline sweep (app/escalations/services.py).



def sweep_late(now: datetime) -> list[int]:
    """Raise each report late at its unit to the unit above, once; and a level higher what nobody there
    acknowledged within a working day. Safe to run twice: the table's constraints refuse a second copy."""
    raised = []
    first = aliased(ReportEscalation)
    late = db.session.execute(
        sa.select(Report.id, Report.unit_id, Unit.parent_id).join(Unit, Unit.id == Report.unit_id)
        .where(Report.status.in_(OPEN_STATUSES), Report.due_at < now, Unit.parent_id.isnot(None),
               Report.department_id.is_(None),
               ~sa.exists().where(first.report_id == Report.id, first.level == 1))).all()
    # A department's report goes to its province, where the report is filed: raised there, and no higher.
    late_departments = db.session.execute(
        sa.select(Report.id, Report.unit_id, Report.unit_id)
        .where(Report.status.in_(OPEN_STATUSES), Report.due_at < now, Report.department_id.isnot(None),
               ~sa.exists().where(first.report_id == Report.id, first.level == 1))).all()
    for report_id, unit_id, receiver_id in [*late, *late_departments]:
        escalation_id = insert_once(db.session, ReportEscalation(
            report_id=report_id, from_unit_id=unit_id, to_unit_id=receiver_id, level=1, raised_at=now))
        if escalation_id is not None:
            raised.append(escalation_id)
    higher = aliased(ReportEscalation)
    waiting = db.session.scalars(
        sa.select(ReportEscalation).join(Unit, Unit.id == ReportEscalation.to_unit_id)
        .join(Report, Report.id == ReportEscalation.report_id)
        .where(ReportEscalation.acknowledged_at.is_(None), Unit.parent_id.isnot(None),
               Report.status.in_(OPEN_STATUSES), ~sa.exists().where(higher.previous_id == ReportEscalation.id))).all()
    for escalation in waiting:
        if add_working_days(escalation.raised_at, UNANSWERED_WORKING_DAYS) >= now:
            continue
        escalation_id = insert_once(db.session, ReportEscalation(
            report_id=escalation.report_id, from_unit_id=escalation.to_unit_id,
            to_unit_id=escalation.to_unit.parent_id, level=escalation.level + 1, previous_id=escalation.id,
            raised_at=now))
        if escalation_id is not None:
            raised.append(escalation_id)
    return raised


def get_escalation(user: User, number: int) -> ReportEscalation | None:
    return db.session.scalar(sa.select(ReportEscalation).where(ReportEscalation.id == number,
                                                               ReportEscalation.to_unit_id == user.unit_id))


def acknowledge(user: User, escalation: ReportEscalation, now: datetime | None = None) -> ReportEscalation:
    if not may_acknowledge_report_escalation(user, escalation):
        raise NotAllowed(_("Only someone of %(unit)s can acknowledge this escalation.", unit=escalation.to_unit.name))
    if escalation.acknowledged_at is not None:
        raise WrongState(_("This escalation was already acknowledged by %(name)s.",
                           name=escalation.acknowledged_by.full_name))
    escalation.acknowledged_at, escalation.acknowledged_by_id = now or utcnow(), user.id
    db.session.commit()
    return escalation
