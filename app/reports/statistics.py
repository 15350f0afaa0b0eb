"""Periodic statistics that units send upwards, for a unit's subtree and a period.

The report is a list of independent figures, each a function from the scope to one table; a new figure is
one more function in FIGURES. Every table of a
partition has a total that equals the sum of its rows; the page, PDF, CSV, JSON and XLSX render the same
tables.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Callable

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.access import (cases_for_statistics, facts_for_statistics, may_report_on, subtree_unit_ids,
                        units_for_statistics)
from app.cases.models import CATEGORIES, DEADLINES, HARM_STATUSES, Case, Deadline
from app.cases.workflow import STATUSES
from app.children.models import SEXES
from app.children.services import CHILD_AGE_LIMIT
from app.dates import OUT_OF_RANGE, in_range
from app.deadlines.services import local_zone
from app.escalations.models import Escalation
from app.extensions import db
from app.referrals.models import Referral
from app.reorganisation.models import Move
from app.reports import sql
from app.reports.facts import CATEGORY_BITS, CaseFacts
from app.units.models import Unit, UnitEnding
from app.units.services import find_unit_by_key, name_in_its_time, unit_key

# A child is under 16 (Law on Children 2016 art. 1). Records of 16- and 17-year-olds kept from before that rule
# are counted apart (`aged_16_or_over`), outside every figure about new cases.
AGE_GROUPS = {"under_6": _l("Under 6"), "6_10": _l("6 to 10"), "11_15": _l("11 to 15"),
              "other_age": _l("Other ages (check the date of birth)")}
PERIOD_KINDS = {"month": _l("Month"), "quarter": _l("Quarter"), "half": _l("Half-year"), "year": _l("Year"),
                "dates": _l("Between two dates")}
PERIOD_NUMBERS = {"month": 12, "quarter": 4, "half": 2, "year": 1}
LONGEST_PERIOD = timedelta(days=366 * 10)


def age_group(age: int | None) -> str:
    if age is None or age < 0 or age >= CHILD_AGE_LIMIT:
        return "other_age"
    if age < 6:
        return "under_6"
    if age <= 10:
        return "6_10"
    return "11_15"


class PeriodRefused(ValueError):
    """A period that cannot be reported on; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the app's time zone."""

    start: date
    end: date

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> Period:
        """The `number`-th month, quarter or half of `year`, or the whole year."""
        if kind not in PERIOD_NUMBERS or not 1 <= number <= PERIOD_NUMBERS[kind] or not 2000 <= year <= 2100:
            raise PeriodRefused(_("Choose a month, quarter, half-year or year."))
        months = 12 // PERIOD_NUMBERS[kind]
        first_month = (number - 1) * months + 1
        start = date(year, first_month, 1)
        after = date(year + 1, 1, 1) if first_month + months > 12 else date(year, first_month + months, 1)
        return cls(start, after - timedelta(days=1))

    @classmethod
    def between(cls, start: date | None, end: date | None) -> Period:
        if start is None or end is None:
            raise PeriodRefused(_("Give the first and the last day of the period."))
        if end < start:
            raise PeriodRefused(_("The end comes before the start."))
        if end - start > LONGEST_PERIOD:
            raise PeriodRefused(_("A period covers ten years at most."))
        return cls(start, end)

    def bounds(self) -> tuple[datetime, datetime]:
        """The first moment of the period and the first moment after it."""
        zone = local_zone()
        return (datetime.combine(self.start, time.min, tzinfo=zone),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone))


@dataclass
class Row:
    key: str
    label: str
    values: list
    # The case list's filters that show the cases behind this row (the page links to them).
    filters: dict = field(default_factory=dict)


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[Row]
    total: Row | None = None
    note: str | None = None


@dataclass
class Scope:
    """What every figure reads: the unit's subtree within the reader's scope, the period, and the clock."""

    viewer: object
    unit: Unit
    period: Period
    now: datetime
    # The rows of each query of COUNTS, by name, once `compute` has counted them.
    answers: dict[str, list] = field(default_factory=dict)

    @cached_property
    def bounds(self) -> tuple[datetime, datetime]:
        return self.period.bounds()

    @cached_property
    def cases(self) -> sa.ColumnElement:
        return cases_for_statistics(self.viewer, self.unit)

    def new_facts(self) -> sa.ColumnElement:
        """The facts of the children's cases received in the period (see reports.facts): a person 16 or older at
        the report is not a child (Law on Children 2016 art. 1), and is counted apart (`aged_16_or_over`)."""
        return sa.and_(self.area_facts(), self.in_period(), CaseFacts.child_age < CHILD_AGE_LIMIT)

    def area_facts(self) -> sa.ColumnElement:
        return facts_for_statistics(self.viewer, self.unit)

    @cached_property
    def old_area(self) -> bool:
        """The chosen unit is one a reorganisation ended: its figures are those of its area as it was."""
        return self.unit.ending is not None

    def fact_unit(self) -> sa.ColumnElement:
        """The unit each case is counted under: its own; in an old area's figures, the one a reorganisation moved
        it out of."""
        if not self.old_area:
            return CaseFacts.unit_id
        moved_from = (sa.select(Move.from_unit_id)
                      .where(Move.entity == "cases", Move.case_id == CaseFacts.case_id,
                             Move.from_unit_id.in_(units_for_statistics(self.viewer, self.unit)))
                      .limit(1).scalar_subquery())
        return sa.func.coalesce(moved_from, CaseFacts.unit_id)

    def in_period(self) -> sa.ColumnElement:
        start, end = self.bounds
        return sa.and_(CaseFacts.received_at >= start, CaseFacts.received_at < end)

    @cached_property
    def new_case_counts(self) -> Counter:
        """New cases by (unit id, sex, age group, abused or at risk); several figures sum them differently."""
        counts: Counter = Counter()
        for unit_id, sex, years, harm, number in self.answers["new_cases"]:
            counts[(unit_id, sex, age_group(None if years is None else int(years)), harm)] += number
        return counts

    @property
    def new_total(self) -> int:
        return sum(self.new_case_counts.values())

    def new_case_filters(self, **filters) -> dict:
        """The case list's filters for new cases of the period (the page links each figure to them); none for an
        old area, which the case list does not know."""
        if self.old_area:
            return {}
        return {"unit": self.unit.code, "received_from": self.period.start.isoformat(),
                "received_to": self.period.end.isoformat(), **filters}


# What the figures count. Each query runs once; on PostgreSQL they run at once, from one snapshot
# (`sql.count_all`). A figure below only arranges its answers.

def _count_new_cases(scope: Scope) -> sa.Select:
    unit_id = scope.fact_unit().label("unit_id")
    return (sa.select(unit_id, CaseFacts.child_sex, CaseFacts.child_age, CaseFacts.harm_status, sa.func.count())
            .where(scope.new_facts())
            .group_by(unit_id, CaseFacts.child_sex, CaseFacts.child_age, CaseFacts.harm_status))


def _count_aged_16_or_over(scope: Scope) -> sa.Select:
    """Records of persons 16 or older at the report (kept from before the under-16 rule): in the period, and all."""
    older = CaseFacts.child_age >= CHILD_AGE_LIMIT
    return sa.select(sa.func.coalesce(sa.func.sum(sa.case((scope.in_period(), 1), else_=0)), 0),
                     sa.func.count()).where(scope.area_facts(), older)


def _count_time_to_assessment(scope: Scope) -> sa.Select:
    delays = (sa.select(sql.seconds_between(CaseFacts.first_assessed_at, CaseFacts.received_at).label("seconds"))
              .where(scope.new_facts(), CaseFacts.first_assessed_at.isnot(None)).subquery())
    return sql.median_and_count(delays, "seconds")


DEADLINE_COLUMNS = ("met_on_time", "met_late", "missed_open", "not_yet_due")


def _count_deadlines(scope: Scope) -> sa.Select:
    start, end = scope.bounds
    met = Deadline.met_at.isnot(None)
    buckets = [sa.and_(met, Deadline.met_at <= Deadline.due_at), sa.and_(met, Deadline.met_at > Deadline.due_at),
               sa.and_(~met, Deadline.due_at < scope.now), sa.and_(~met, Deadline.due_at >= scope.now)]
    return (sa.select(Deadline.name, *[sa.func.sum(sa.case((bucket, 1), else_=0)) for bucket in buckets])
            .join(Case, Case.id == Deadline.case_id)
            .where(scope.cases, Deadline.due_at >= start, Deadline.due_at < end).group_by(Deadline.name))


def _count_categories(scope: Scope) -> sa.Select:
    """One row: the new cases of each category, in the order of CATEGORY_BITS."""
    return sa.select(*[sa.func.coalesce(sa.func.sum(sa.case((CaseFacts.categories.op("&")(bit) != 0, 1), else_=0)), 0)
                       for bit in CATEGORY_BITS.values()]).where(scope.new_facts())


def _count_statuses(scope: Scope) -> sa.Select:
    start, end = scope.bounds
    closed_since = sa.and_(Case.closed_at.isnot(None), Case.closed_at >= end).label("closed_since")
    return (sa.select(Case.status, closed_since, sa.func.count())
            .where(scope.cases, Case.received_at < end, sa.or_(Case.closed_at.is_(None), Case.closed_at >= start))
            .group_by(Case.status, closed_since))


def _count_referrals(side) -> Callable[[Scope], sa.Select]:
    """Referrals made in the period (drafts aside) with `side` (a unit column of Referral) in the area."""
    def count(scope: Scope) -> sa.Select:
        start, end = scope.bounds
        ids = units_for_statistics(scope.viewer, scope.unit)
        return (sa.select(Referral.status, sa.func.count())
                .where(Referral.created_at >= start, Referral.created_at < end, Referral.status != "draft",
                       side.in_(ids)).group_by(Referral.status))
    return count


def _count_escalations(scope: Scope) -> sa.Select:
    start, end = scope.bounds
    acknowledged = Escalation.acknowledged_at.isnot(None)
    return (sa.select(Escalation.automatic, sa.func.sum(sa.case((acknowledged, 1), else_=0)),
                      sa.func.sum(sa.case((acknowledged, 0), else_=1)))
            .join(Case, Case.id == Escalation.case_id)
            .where(scope.cases, Escalation.raised_at >= start, Escalation.raised_at < end)
            .group_by(Escalation.automatic))


# The most costly first, so that the connections finish together (a province's year: deadlines 0.8 s; the
# others 0.35 s and less).
COUNTS: dict[str, Callable[[Scope], sa.Select]] = {
    "deadlines": _count_deadlines, "time_to_assessment": _count_time_to_assessment, "new_cases": _count_new_cases,
    "statuses": _count_statuses, "categories": _count_categories, "aged_16_or_over": _count_aged_16_or_over,
    "referrals_sent": _count_referrals(Referral.from_unit_id),
    "referrals_received": _count_referrals(Referral.receiving_unit_id), "escalations": _count_escalations}


def _count_column() -> list[tuple[str, str]]:
    return [("cases", _("Cases"))]


def _total(values: list) -> Row:
    return Row("total", _("Total"), values)


def new_by_category(scope: Scope) -> Table:
    counts = dict(zip(CATEGORY_BITS, scope.answers["categories"][0], strict=True))
    rows = [Row(key, str(label), [counts.get(key, 0)], scope.new_case_filters(category=key))
            for key, label in CATEGORIES.items()]
    return Table("new_by_category", _("New cases by category"), _count_column(), rows,
                 Row("new_cases", _("New cases"), [scope.new_total]),
                 _("A case may fall in several categories, so the rows may add up to more than the new cases."))


def new_by_sex(scope: Scope) -> Table:
    counts = Counter()
    for (_unit, sex, _age, _harm), number in scope.new_case_counts.items():
        counts[sex] += number
    rows = [Row(key, str(label), [counts.get(key, 0)]) for key, label in SEXES.items()]
    return Table("new_by_sex", _("New cases by sex of the child"), _count_column(), rows, _total([scope.new_total]))


def new_by_age(scope: Scope) -> Table:
    counts = Counter()
    for (_unit, _sex, group, _harm), number in scope.new_case_counts.items():
        counts[group] += number
    rows = [Row(key, str(label), [counts.get(key, 0)]) for key, label in AGE_GROUPS.items()]
    return Table("new_by_age", _("New cases by age of the child at the report"), _count_column(), rows,
                 _total([scope.new_total]))


# Decree 56/2017 art. 25.1 and Mẫu 01: a child abused, or at risk of abuse.
HARM_ROWS = {**HARM_STATUSES, None: _l("Not recorded (reports taken before Mẫu 01 asked it)")}


def new_by_harm(scope: Scope) -> Table:
    counts = Counter()
    for (_unit, _sex, _age, harm), number in scope.new_case_counts.items():
        counts[harm] += number
    rows = [Row(key or "not_recorded", str(label), [counts.get(key, 0)]) for key, label in HARM_ROWS.items()]
    return Table("new_by_harm", _("New cases: children abused and children at risk"), _count_column(), rows,
                 _total([scope.new_total]))


def aged_16_or_over(scope: Scope) -> Table:
    """Persons 16 or older at the report, kept from before the under-16 rule, apart from every figure above;
    the row of all of them links to their list, for the province to review."""
    in_period, on_record = (int(value or 0) for value in scope.answers["aged_16_or_over"][0])
    rows = [Row("in_period", _("Reported in the period"), [in_period]),
            Row("on_record", _("On record, reported at any time"), [on_record],
                {"unit": scope.unit.code, "aged_16_or_over": "y"})]
    return Table("aged_16_or_over", _("Persons aged 16 or over at the report, counted apart"), _count_column(),
                 rows, None, _("A child is a person under 16 (Law on Children 2016 art. 1). These records were "
                               "taken before that rule; they are kept, outside the figures above, for the "
                               "province to review."))


NOT_YET_ASSIGNED = "not_yet_assigned"


def new_by_unit(scope: Scope) -> Table:
    """Each unit directly below the chosen one, with everything under it; a commune is its own only row.

    The structure is the one of the end: an ended unit's cases count under its heir (a whole successor commune),
    and those whose heir is the chosen unit itself (a divided commune's closed cases, and the open ones still
    waiting for their commune) on a row of their own."""
    counts = Counter()
    for (unit_id, _sex, _age, _harm), number in scope.new_case_counts.items():
        counts[unit_id] += number
    below = list(db.session.scalars(sa.select(Unit).where(Unit.parent_id == scope.unit.id).order_by(Unit.code)))
    if not below:
        return Table("new_by_unit", _("New cases by unit"), _count_column(),
                     [Row(scope.unit.code, scope.unit.label, [scope.new_total], scope.new_case_filters())],
                     _total([scope.new_total]))
    by_row = Counter()
    for unit_id, path in _as_at_the_end(scope.unit, set(counts)).items():
        owner = next((unit for unit in below if path.startswith(unit.path)), None)
        by_row[owner.code if owner else NOT_YET_ASSIGNED] += counts[unit_id]
    rows = [Row(unit.code, unit.label, [by_row.get(unit.code, 0)], scope.new_case_filters(unit=unit.code))
            for unit in below]
    note = None
    if by_row.get(NOT_YET_ASSIGNED) or _holds_ended_units(scope.unit):
        rows.append(Row(NOT_YET_ASSIGNED, _("Commune not yet determined"), [by_row.get(NOT_YET_ASSIGNED, 0)]))
        note = _("Cases of former communes that were divided, or that the succession does not name, count under "
                 "their new commune once a person has chosen it; until then, and for those closed before the "
                 "change, on the row of the commune not yet determined.")
    return Table("new_by_unit", _("New cases by unit"), _count_column(), rows, _total([scope.new_total]), note)


# A chain of heirs longer than this would be a loop: no two reorganisations end a unit's heir within a report.
LONGEST_CHAIN = 16


def _as_at_the_end(unit: Unit, unit_ids: set[int]) -> dict[int, str]:
    """The path of each of `unit_ids` as it stands now under `unit`: its own, or, for an ended unit, its heir's (the
    heir's heir's, through several reorganisations)."""
    paths = dict(db.session.execute(sa.select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids))).all())
    now = {unit_id: paths[unit_id] for unit_id in unit_ids}
    heir_of = {unit_id: unit_id for unit_id in unit_ids}
    for _step in range(LONGEST_CHAIN):
        outside = {unit_id for unit_id, path in now.items() if not path.startswith(unit.path)}
        if not outside:
            break
        heirs = dict(db.session.execute(sa.select(UnitEnding.unit_id, UnitEnding.heir_id).where(
            UnitEnding.unit_id.in_({heir_of[unit_id] for unit_id in outside}))).all())
        paths.update(db.session.execute(sa.select(Unit.id, Unit.path).where(Unit.id.in_(set(heirs.values())))).all())
        for unit_id in outside:
            # Without an heir, nothing says where it belongs: with the cases not yet determined.
            heir_of[unit_id] = heirs.get(heir_of[unit_id], unit.id)
            now[unit_id] = paths.get(heir_of[unit_id], unit.path)
    return now


def _holds_ended_units(unit: Unit) -> bool:
    return len(subtree_unit_ids(unit)) > db.session.scalar(
        sa.select(sa.func.count()).where(Unit.path.startswith(unit.path)))


def status_at_end(scope: Scope) -> Table:
    """Every case received by the end of the period and not closed before it began, by status.

    The status is the one recorded now; a case closed after the period ended was open at its end, and is
    counted on a row of its own rather than as closed.
    """
    counts = Counter()
    for status, later, number in scope.answers["statuses"]:
        counts["closed_since" if status == "closed" and later else status] += number
    rows = [Row(key, str(label), [counts.get(key, 0)], {"unit": scope.unit.code, "status": key,
                                                        "received_to": scope.period.end.isoformat()})
            for key, label in STATUSES.items()]
    rows.append(Row("closed_since", _("Open at the end, closed since"), [counts.get("closed_since", 0)]))
    return Table("status_at_end", _("Cases by status at the end of the period"), _count_column(), rows,
                 _total([sum(counts.values())]),
                 _("Statuses as recorded now, for every case received by the end of the period and not closed "
                   "before it began."))


def deadlines(scope: Scope) -> Table:
    """Deadlines that fell due in the period: met on time, met late, missed and still open, not yet due."""
    counts = {name: [int(value or 0) for value in values] for name, *values in scope.answers["deadlines"]}
    rows = []
    for key, label in DEADLINES.items():
        values = counts.get(key, [0, 0, 0, 0])
        rows.append(Row(key, str(label), [sum(values), *values]))
    columns = [("due", _("Due in the period")), ("met_on_time", _("Met on time")), ("met_late", _("Met late")),
               ("missed_open", _("Missed, still open")), ("not_yet_due", _("Not yet due"))]
    return Table("deadlines", _("Deadlines met and missed"), columns, rows,
                 _total([sum(row.values[index] for row in rows) for index in range(len(columns))]))


def time_to_assessment(scope: Scope) -> Table:
    """From the report to the first initial assessment, for the new cases of the period."""
    seconds, assessed = sql.median_and_count_of(scope.answers["time_to_assessment"])
    median = round(float(seconds) / 3600, 1) if seconds is not None else None
    rows = [Row("median_hours", _("Median hours from the report to the initial assessment"), [median]),
            Row("assessed", _("New cases assessed"), [assessed]),
            Row("not_assessed", _("New cases not yet assessed"), [scope.new_total - assessed])]
    return Table("time_to_assessment", _("Time from the report to the initial assessment"), [("value", _("Value"))],
                 rows)


# A referral's state now, grouped as the report reads it: completed ones were accepted first.
REFERRAL_OUTCOMES = {"pending_approval": _l("Awaiting approval"), "sent": _l("Sent, awaiting an answer"),
                     "accepted": _l("Accepted"), "completed": _l("Accepted and completed"),
                     "declined": _l("Declined"), "rejected": _l("Rejected by the approver"),
                     "withdrawn": _l("Withdrawn")}


def referrals(scope: Scope) -> Table:
    """Referrals made in the period (drafts aside), sent from the area and received by it, by their state now."""
    sent, received = dict(scope.answers["referrals_sent"]), dict(scope.answers["referrals_received"])
    rows = [Row(key, str(label), [sent.get(key, 0), received.get(key, 0)])
            for key, label in REFERRAL_OUTCOMES.items()]
    note = _("Referrals made in the period, by their state now. Referrals within the area count in both columns.")
    if scope.old_area:
        moved = _("Referrals still open on the day of the reorganisation went to the new units, and count there.")
        note = f"{note} {moved}"
    return Table("referrals", _("Referrals"), [("sent", _("Sent from the area")),
                                               ("received", _("Received by the area"))],
                 rows, _total([sum(row.values[index] for row in rows) for index in range(2)]), note)


def escalations(scope: Scope) -> Table:
    """Escalations of the area's cases raised in the period: automatic or by hand; acknowledged or still open."""
    counts = {automatic: [int(done or 0), int(waiting or 0)]
              for automatic, done, waiting in scope.answers["escalations"]}
    rows = [Row(key, label, [sum(counts.get(automatic, [0, 0])), *counts.get(automatic, [0, 0])])
            for key, label, automatic in (("automatic", _("Deadline missed (automatic)"), True),
                                          ("by_hand", _("Raised by hand"), False))]
    return Table("escalations", _("Escalations"), [("raised", _("Raised")), ("acknowledged", _("Acknowledged")),
                                                  ("open", _("Still open"))],
                 rows, _total([sum(row.values[index] for row in rows) for index in range(3)]))


def care_facilities(scope: Scope) -> Table:
    """The care facilities of the area (issue 19, point 6): the inspections recorded in the period, the checklist
    items they found not met, the corrections they required and how many are done; the corrections past their
    deadline at the time of the report."""
    from app.facilities.services import figures

    found = figures(scope.viewer, scope.unit, scope.period.start, scope.period.end, scope.now)
    rows = [Row("facilities", _("Care facilities registered"), [found.facilities]),
            Row("inspections", _("Inspections recorded in the period"), [found.inspections]),
            Row("violations", _("Checklist items not met"), [found.violations]),
            Row("corrections", _("Corrections required"), [found.corrections]),
            Row("corrections_done", _("of which done"), [found.corrections_done]),
            Row("corrections_overdue", _("Corrections past their deadline now"), [found.corrections_overdue])]
    return Table("facilities", _("Care facilities and their inspections"), [("number", _("Number"))], rows,
                 note=_("Facilities that care for or shelter children (Decree 103/2017), inspected by the "
                        "province or a district."))


Figure = Callable[[Scope], Table]
FIGURES: list[Figure] = [new_by_category, new_by_sex, new_by_age, new_by_harm, new_by_unit, status_at_end,
                         deadlines, time_to_assessment, referrals, escalations, aged_16_or_over, care_facilities]


@dataclass
class Statistics:
    unit: Unit
    period: Period
    generated_at: datetime
    tables: list[Table]

    # What the trail calls their export (`<kind>_export`) and the downloads' file names start with.
    kind = "statistics"

    @property
    def heading(self) -> str:
        return _("Statistics of %(unit)s", unit=self.unit_label)

    @property
    def unit_label(self) -> str:
        """The unit as it was called: an ended one with the day it ended."""
        return f"{name_in_its_time(self.unit)} ({self.unit.code})" if self.unit.ending else self.unit.label

    @property
    def unit_key(self) -> str:
        """How a query string names the unit (`EDITION/CODE` for an ended one)."""
        return unit_key(self.unit)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def compute(viewer, unit: Unit, period: Period, now: datetime) -> Statistics:
    """The figures for `unit`'s subtree; the caller has checked `may_report_on(viewer, unit)`."""
    scope = Scope(viewer, unit, period, now)
    scope.answers = sql.count_all({name: count(scope) for name, count in COUNTS.items()})
    return Statistics(unit, period, now, [figure(scope) for figure in FIGURES])


def report(viewer, unit_code: str | None, period: Period, now: datetime) -> Statistics | None:
    """The statistics of the unit `unit_code` (the reader's own by default); None when it is not in their scope."""
    unit = find_unit_by_key(unit_code) if unit_code else viewer.unit
    if not may_report_on(viewer, unit):
        return None
    return compute(viewer, unit, period, now)


def period_from_arguments(arguments) -> Period:
    """`from` and `to` (YYYY-MM-DD) of a query string, as the API and the downloads take them."""
    days = []
    for name in ("from", "to"):
        value = arguments.get(name) or ""
        try:
            day = date.fromisoformat(value) if value else None
        except ValueError:
            raise PeriodRefused(_("Expected a date (YYYY-MM-DD).")) from None
        if not in_range(day):
            raise PeriodRefused(str(OUT_OF_RANGE))
        days.append(day)
    return Period.between(*days)
