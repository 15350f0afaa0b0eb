"""The ministry's indicators on children, for a unit's subtree and a period: children, not cases.

A child with several cases, or in several groups, is one child in each figure that counts children. The abused
children are those of Circular 13/2021/TT-BLĐTBXH, annex IV, indicator 0101 (số trẻ em bị xâm hại): by form of
abuse, sex, age group and setting ("môi trường xâm hại"), as it breaks them down, and by ethnicity. The register's
figures (Law on Children 2016 art. 10: the 14 groups; art. 49: at risk) come from app/register. The tables, their
exports and their scope are those of the statistics (app/reports/statistics.py): the same page layout, PDF, CSV,
JSON and XLSX, and the same reach across the 2025 reorganisation (an ended unit's cases are those that were in its
area).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.access import may_report_on, register_for_statistics
from app.cases.models import ABUSE_SETTINGS, CATEGORIES, Case, Deadline
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Child
from app.children.services import CHILD_AGE_LIMIT
from app.register.groups import AT_RISK, SUPPORT_KINDS
from app.reports import sql
from app.reports.facts import CATEGORY_BITS, CaseFacts
from app.reports.register_facts import ANY_SUPPORT_BITS, GROUP_BITS, SPECIAL_BITS, SUPPORT_BITS, \
    RegisterFacts
from app.reports.statistics import AGE_GROUPS, Period, Row, Scope, Statistics, Table, age_group
from app.units.models import Unit
from app.units.services import find_unit_by_key

# Circular 13/2021 counts the abused children under 16 in three bands.
AGE_BANDS = {key: label for key, label in AGE_GROUPS.items() if key != "other_age"}
NOT_KNOWN = "not_known"
SETTINGS = {**ABUSE_SETTINGS, NOT_KNOWN: _l("Not known (cases recorded before it was asked)")}
ETHNICITIES = {"kinh": _l("Kinh"), "minority": _l("Ethnic minorities"),
               "not_recorded": _l("Ethnicity not recorded")}
# How workers write the majority group: "Kinh", "kinh", "Dân tộc Kinh", "Việt".
KINH_SPELLINGS = {"kinh", "dan toc kinh", "nguoi kinh", "viet"}
# A closure that leaves the child safe (Decree 56/2017 art. 35.1: the case closes when the child is safe).
CLOSED_SAFE = "safe_stable"


def plain(text: str) -> str:
    """Lower case, without diacritics, single-spaced: how one ethnic group's spellings compare."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def ethnicity_of(text: str | None) -> str:
    name = plain(text or "")
    if not name:
        return "not_recorded"
    return "kinh" if name in KINH_SPELLINGS else "minority"


def _overlaps(first, last, scope: Scope) -> sa.ColumnElement:
    """A span from the day `first` to the day `last` (open when null) meets the period."""
    return sa.and_(first <= scope.period.end, sa.or_(last.is_(None), last >= scope.period.start))


def _children_cases(scope: Scope) -> sa.ColumnElement:
    """The area's cases of a child under 16 at the report (those kept from before that rule are not children)."""
    return sa.and_(CaseFacts.case_id == Case.id, scope.area_facts(), CaseFacts.child_age < CHILD_AGE_LIMIT)


def _flag(condition) -> sa.ColumnElement:
    """1 when some row of the group meets `condition`, else 0."""
    return sa.func.max(sa.case((condition, 1), else_=0))


def _count_abused(scope: Scope) -> sa.Select:
    """The abused children of the period, each once (as at their first case of it, with every form and setting of
    their cases), counted by sex, ethnicity and age: with how many of them have each form and each setting.

    A child's age at their first case is the least of their cases' ages, the same birth day counting each."""
    bits = sa.func.coalesce(CaseFacts.categories, 0)
    settings = [Case.abuse_setting == name for name in ABUSE_SETTINGS]
    settings.append(sa.or_(Case.abuse_setting.is_(None), Case.abuse_setting == ""))
    per_child = (sa.select(Case.child_id.label("child_id"), sa.func.min(CaseFacts.child_age).label("age"),
                           *[_flag(bits.op("&")(bit) != 0).label(f"form_{n}")
                             for n, bit in enumerate(CATEGORY_BITS.values())],
                           *[_flag(setting).label(f"setting_{n}") for n, setting in enumerate(settings)])
                 .select_from(CaseFacts).join(Case, _children_cases(scope))
                 .where(scope.in_period(), CaseFacts.harm_status == "abused")
                 .group_by(Case.child_id).subquery())
    flags = [column for column in per_child.c if column.name.startswith(("form_", "setting_"))]
    return (sa.select(Child.sex, Child.ethnicity, per_child.c.age, sa.func.count(),
                      *[sa.func.sum(flag) for flag in flags])
            .join(per_child, per_child.c.child_id == Child.id)
            .group_by(Child.sex, Child.ethnicity, per_child.c.age))


def _at_risk_by_case(scope: Scope) -> sa.Select:
    return (sa.select(Case.child_id).select_from(CaseFacts).join(Case, _children_cases(scope))
            .where(scope.in_period(), CaseFacts.harm_status == "at_risk"))


def _distinct(query: sa.Select) -> sa.Select:
    return sa.select(sa.func.count()).select_from(query.distinct().subquery())


def _count_at_risk(scope: Scope) -> sa.Select:
    """One row: children at risk by a case of the period, and those of them also on the register as at risk in it
    (the register's own figure is counted with the others, `_count_register`)."""
    registered = (sa.select(RegisterFacts.child_id)
                  .where(RegisterFacts.child_id == Case.child_id,
                         register_for_statistics(scope.viewer, scope.unit),
                         RegisterFacts.bit == GROUP_BITS[AT_RISK],
                         _overlaps(RegisterFacts.first_on, RegisterFacts.last_on, scope)))
    return sa.select(_distinct(_at_risk_by_case(scope)).scalar_subquery(),
                     _distinct(_at_risk_by_case(scope).where(registered.exists())).scalar_subquery())


def _count_register(scope: Scope) -> sa.Select:
    """Every register figure in one pass over the register's facts of the period: each child's bits (which groups
    and supports they had in it), then how many children have each combination. A child's rows share their
    commune, so they come together in the index's order, and are combined without sorting."""
    per_child = (sa.select(sql.bit_or(RegisterFacts.bit).label("bits"))
                 .where(register_for_statistics(scope.viewer, scope.unit),
                        _overlaps(RegisterFacts.first_on, RegisterFacts.last_on, scope))
                 .group_by(RegisterFacts.unit_id, RegisterFacts.child_id).subquery())
    return sa.select(per_child.c.bits, sa.func.count()).group_by(per_child.c.bits)


def _count_with_case(scope: Scope) -> sa.Select:
    """One row: children with a case open in the period; with a plan approved in time in the period; whose case
    closed safe in the period. One pass over the area's cases, each child's three flags gathered, then summed: half
    the time of three passes (bench/register.py)."""
    start, end = scope.bounds
    open_in_period = sa.and_(Case.received_at < end, sa.or_(Case.closed_at.is_(None), Case.closed_at >= start))
    in_time = Case.id.in_(sa.select(Deadline.case_id)
                          .where(Deadline.name == "plan_approval", Deadline.met_at >= start, Deadline.met_at < end,
                                 Deadline.met_at <= Deadline.due_at))
    closed_safe = sa.and_(Case.closure_reason == CLOSED_SAFE, Case.closed_at >= start, Case.closed_at < end)
    per_child = (sa.select(*[_flag(condition).label(name) for name, condition in
                             (("open", open_in_period), ("in_time", in_time), ("closed_safe", closed_safe))])
                 .select_from(CaseFacts).join(Case, _children_cases(scope))
                 .where(sa.or_(open_in_period, in_time, closed_safe))
                 .group_by(Case.child_id).subquery())
    return sa.select(*[sa.func.coalesce(sa.func.sum(column), 0) for column in per_child.c])


COUNTS = {"abused": _count_abused, "at_risk": _count_at_risk, "register": _count_register,
          "with_case": _count_with_case}


def _children_column() -> list[tuple[str, str]]:
    return [("children", _("Children"))]


def _partition(key: str, title: str, labels: dict, counts: Counter, total: int, note: str | None = None) -> Table:
    rows = [Row(name, str(label), [counts.get(name, 0)]) for name, label in labels.items()]
    return Table(key, title, _children_column(), rows, Row("total", _("Abused children"), [total]), note)


def _abused_tables(rows) -> list[Table]:
    """The tables of the abused children from `_count_abused`'s rows."""
    forms, settings = list(CATEGORY_BITS), [*ABUSE_SETTINGS, NOT_KNOWN]
    total = 0
    by_form, by_setting, by_sex, by_age, by_ethnicity, groups = (Counter() for table in range(6))
    names: dict[str, str] = {}
    for sex, ethnicity, age, number, *flags in rows:
        total += number
        by_sex[sex] += number
        by_age[age_group(None if age is None else int(age))] += number
        by_ethnicity[ethnicity_of(ethnicity)] += number
        for name, count in zip(forms, flags[:len(forms)], strict=True):
            by_form[name] += int(count or 0)
        for name, count in zip(settings, flags[len(forms):], strict=True):
            by_setting[name] += int(count or 0)
        if ethnicity_of(ethnicity) == "minority":
            key = plain(ethnicity)
            groups[key] += number
            names.setdefault(key, " ".join(ethnicity.split()))
    several = _("A child abused in several ways, or in several places, counts on each of their rows, so the rows "
                "may add up to more than the abused children.")
    by_group = [Row(key, names[key], [groups[key]]) for key in sorted(groups, key=lambda key: (-groups[key], key))]
    return [
        _partition("abused_by_form", _("Abused children by form of abuse"), CATEGORIES, by_form, total, several),
        _partition("abused_by_sex", _("Abused children by sex"), SEXES, by_sex, total),
        _partition("abused_by_age", _("Abused children by age at the report"), AGE_BANDS, by_age, total),
        _partition("abused_by_ethnicity", _("Abused children by ethnicity"), ETHNICITIES, by_ethnicity, total),
        Table("abused_by_ethnic_group", _("Abused children of ethnic minorities, by ethnic group"),
              _children_column(), by_group, Row("total", _("Abused children of ethnic minorities"),
                                                 [sum(groups.values())]),
              _("Each ethnic group as the child's record names it.")),
        _partition("abused_by_setting", _("Abused children by where the abuse happened"), SETTINGS, by_setting,
                   total, several),
    ]


@dataclass
class RegisterFigures:
    """`_count_register`'s children by figure: at risk, in special circumstances, in each group, and of those in
    special circumstances, receiving each kind of support and any (None)."""

    at_risk: int = 0
    special: int = 0
    groups: Counter = field(default_factory=Counter)
    supported: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, rows) -> RegisterFigures:
        figures = cls()
        for bits, number in rows:
            bits = int(bits or 0)
            figures.at_risk += number if bits & GROUP_BITS[AT_RISK] else 0
            for key in SPECIAL_CIRCUMSTANCES:
                figures.groups[key] += number if bits & GROUP_BITS[key] else 0
            if not bits & SPECIAL_BITS:
                continue
            figures.special += number
            for kind, bit in SUPPORT_BITS.items():
                figures.supported[kind] += number if bits & bit else 0
            figures.supported[None] += number if bits & ANY_SUPPORT_BITS else 0
        return figures


def at_risk(scope: Scope, register: RegisterFigures) -> Table:
    by_case, both = (int(value or 0) for value in scope.answers["at_risk"][0])
    rows = [Row("by_case", _("Reported at risk of abuse in a case of the period"), [by_case]),
            Row("registered", _("On the register as at risk of abuse, abandonment or trafficking"),
                [register.at_risk])]
    return Table("at_risk", _("Children at risk"), _children_column(), rows,
                 Row("total", _("Children at risk"), [by_case + register.at_risk - both]),
                 _("A child both reported and registered counts once in the total."))


def by_group(register: RegisterFigures) -> Table:
    rows = [Row(key, str(label), [register.groups.get(key, 0)]) for key, label in SPECIAL_CIRCUMSTANCES.items()]
    return Table("special_by_group", _("Children in special circumstances, by group (Law on Children art. 10)"),
                 _children_column(), rows, Row("total", _("Children in special circumstances"), [register.special]),
                 _("Children on the register in the group at some time in the period. A child in several groups "
                   "counts in each, and once in the total."))


def supported(register: RegisterFigures) -> Table:
    rows = [Row(key, str(label), [register.supported.get(key, 0)]) for key, label in SUPPORT_KINDS.items()]
    rows.append(Row("any_support", _("Receiving any support"), [register.supported.get(None, 0)]))
    return Table("special_supported", _("Children in special circumstances receiving support"), _children_column(),
                 rows, Row("total", _("Children in special circumstances"), [register.special]),
                 _("Support received at some time in the period. A child receiving several kinds counts in each."))


def with_case(scope: Scope) -> Table:
    open_in_period, in_time, closed_safe = (int(value or 0) for value in scope.answers["with_case"][0])
    rows = [Row("with_case", _("Children with a case open in the period"), [open_in_period]),
            Row("plan_in_time", _("Children whose support plan was approved in time in the period"), [in_time]),
            Row("closed_safe", _("Children whose case closed in the period, safe and stable"), [closed_safe])]
    return Table("with_case", _("Children with a case"), _children_column(), rows, None,
                 _("A child with several cases counts once on each row."))


@dataclass
class Indicators(Statistics):
    """The same tables as the statistics, named and exported as the indicators."""

    kind = "indicators"

    @property
    def heading(self) -> str:
        return _("Indicators on children of %(unit)s", unit=self.unit_label)

    def summary(self) -> dict:
        """The figures by name, as API.md names them (`abused_children.by_age.under_6`), beside the tables."""
        def cells(key: str) -> dict:
            return {row.key: row.values[0] for row in self.table(key).rows}

        def total(key: str) -> int:
            return self.table(key).total.values[0]

        return {
            "abused_children": {"total": total("abused_by_sex"), "by_form": cells("abused_by_form"),
                                "by_sex": cells("abused_by_sex"), "by_age": cells("abused_by_age"),
                                "by_ethnicity": cells("abused_by_ethnicity"),
                                "by_ethnic_group": {row.label: row.values[0]
                                                    for row in self.table("abused_by_ethnic_group").rows},
                                "by_setting": cells("abused_by_setting")},
            "at_risk": {"total": total("at_risk"), **cells("at_risk")},
            "special_circumstances": {"total": total("special_by_group"), "by_group": cells("special_by_group"),
                                      "supported": cells("special_supported")},
            "with_case": cells("with_case"),
        }


def compute(viewer, unit: Unit, period: Period, now: datetime) -> Indicators:
    """The indicators of `unit`'s subtree; the caller has checked `may_report_on(viewer, unit)`."""
    scope = Scope(viewer, unit, period, now)
    scope.answers = sql.count_all({name: count(scope) for name, count in COUNTS.items()})
    register = RegisterFigures.of(scope.answers["register"])
    tables = [*_abused_tables(scope.answers["abused"]), at_risk(scope, register), by_group(register),
              supported(register), with_case(scope)]
    return Indicators(unit, period, now, tables)


def report(viewer, unit_code: str | None, period: Period, now: datetime) -> Indicators | None:
    """The indicators of the unit `unit_code` (the reader's own by default); None when it is not in their scope."""
    unit = find_unit_by_key(unit_code) if unit_code else viewer.unit
    if not may_report_on(viewer, unit):
        return None
    return compute(viewer, unit, period, now)
