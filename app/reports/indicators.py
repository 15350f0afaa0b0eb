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
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.access import may_report_on, register_for_statistics
from app.cases.models import ABUSE_SETTINGS, CATEGORIES, Case, Deadline
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Child
from app.children.services import CHILD_AGE_LIMIT
from app.register.groups import AT_RISK, SUPPORT_KINDS
from app.register.models import RegisterEntry, RegisterGroup, RegisterSupport
from app.reports import sql
from app.reports.facts import CATEGORY_BITS, CaseFacts
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


def _count_abused(scope: Scope) -> sa.Select:
    """Each case of an abused child received in the period, with what the figures split by."""
    return (sa.select(Case.child_id, CaseFacts.received_at, CaseFacts.child_age, CaseFacts.categories,
                      Case.abuse_setting, Child.sex, Child.ethnicity)
            .select_from(CaseFacts).join(Case, _children_cases(scope)).join(Child, Child.id == Case.child_id)
            .where(scope.in_period(), CaseFacts.harm_status == "abused"))


def _at_risk_by_case(scope: Scope) -> sa.Select:
    return (sa.select(Case.child_id).select_from(CaseFacts).join(Case, _children_cases(scope))
            .where(scope.in_period(), CaseFacts.harm_status == "at_risk"))


def _in_group(scope: Scope, *groups: str) -> sa.Select:
    """The register's children in one of `groups` at some time in the period."""
    return (sa.select(RegisterEntry.child_id).join(RegisterGroup, RegisterGroup.entry_id == RegisterEntry.id)
            .where(register_for_statistics(scope.viewer, scope.unit), RegisterGroup.group_key.in_(groups),
                   _overlaps(RegisterGroup.since, RegisterGroup.left_on, scope)))


def _distinct(query: sa.Select) -> sa.Select:
    return sa.select(sa.func.count()).select_from(query.distinct().subquery())


def _count_at_risk(scope: Scope) -> sa.Select:
    """One row: at risk by a case of the period, on the register as at risk, and either (each child once)."""
    either = sa.union(_at_risk_by_case(scope), _in_group(scope, AT_RISK)).subquery()
    return sa.select(_distinct(_at_risk_by_case(scope)).scalar_subquery(),
                     _distinct(_in_group(scope, AT_RISK)).scalar_subquery(),
                     sa.select(sa.func.count()).select_from(either).scalar_subquery())


def _count_groups(scope: Scope) -> sa.Select:
    return (sa.select(RegisterGroup.group_key, sa.func.count(sa.distinct(RegisterEntry.child_id)))
            .join(RegisterGroup, RegisterGroup.entry_id == RegisterEntry.id)
            .where(register_for_statistics(scope.viewer, scope.unit),
                   _overlaps(RegisterGroup.since, RegisterGroup.left_on, scope))
            .group_by(RegisterGroup.group_key))


def _count_special(scope: Scope) -> sa.Select:
    return _distinct(_in_group(scope, *SPECIAL_CIRCUMSTANCES))


def _count_supported(scope: Scope) -> sa.Select:
    """Children in special circumstances in the period with support in the period, by kind and in all (kind null)."""
    special = _in_group(scope, *SPECIAL_CIRCUMSTANCES)
    supported = (sa.select(RegisterEntry.child_id, RegisterSupport.kind)
                 .join(RegisterSupport, RegisterSupport.entry_id == RegisterEntry.id)
                 .where(register_for_statistics(scope.viewer, scope.unit),
                        _overlaps(RegisterSupport.started_on, RegisterSupport.ended_on, scope),
                        RegisterEntry.child_id.in_(special)).subquery())
    by_kind = sa.select(supported.c.kind, sa.func.count(sa.distinct(supported.c.child_id))).group_by(supported.c.kind)
    every = sa.select(sa.null(), sa.func.count(sa.distinct(supported.c.child_id)))
    return sa.union_all(by_kind, every)


def _count_with_case(scope: Scope) -> sa.Select:
    """One row: children with a case open in the period; with a plan approved in time in the period; whose case
    closed safe in the period."""
    start, end = scope.bounds
    cases = sa.select(Case.child_id).select_from(CaseFacts).join(Case, _children_cases(scope))
    open_in_period = cases.where(Case.received_at < end, sa.or_(Case.closed_at.is_(None), Case.closed_at >= start))
    in_time = (cases.join(Deadline, Deadline.case_id == Case.id)
               .where(Deadline.name == "plan_approval", Deadline.met_at >= start, Deadline.met_at < end,
                      Deadline.met_at <= Deadline.due_at))
    closed_safe = cases.where(Case.closure_reason == CLOSED_SAFE, Case.closed_at >= start, Case.closed_at < end)
    return sa.select(*[_distinct(query).scalar_subquery() for query in (open_in_period, in_time, closed_safe)])


COUNTS = {"abused": _count_abused, "at_risk": _count_at_risk, "groups": _count_groups, "special": _count_special,
          "supported": _count_supported, "with_case": _count_with_case}


@dataclass
class AbusedChild:
    """One abused child of the period: as at their first case of it, and every form and setting of their cases."""

    first_at: datetime
    age: int
    sex: str
    ethnicity: str | None
    categories: int
    settings: set


def abused_children(rows) -> dict[int, AbusedChild]:
    children: dict[int, AbusedChild] = {}
    for child_id, received_at, age, categories, setting, sex, ethnicity in rows:
        child = children.get(child_id)
        if child is None:
            child = children[child_id] = AbusedChild(received_at, age, sex, ethnicity, 0, set())
        elif received_at < child.first_at:
            child.first_at, child.age = received_at, age
        child.categories |= categories or 0
        child.settings.add(setting or NOT_KNOWN)
    return children


def _children_column() -> list[tuple[str, str]]:
    return [("children", _("Children"))]


def _partition(key: str, title: str, labels: dict, counts: Counter, total: int, note: str | None = None) -> Table:
    rows = [Row(name, str(label), [counts.get(name, 0)]) for name, label in labels.items()]
    return Table(key, title, _children_column(), rows, Row("total", _("Abused children"), [total]), note)


def _abused_tables(children: dict[int, AbusedChild]) -> list[Table]:
    total = len(children)
    forms = Counter(name for child in children.values() for name, bit in CATEGORY_BITS.items()
                    if child.categories & bit)
    several = _("A child abused in several ways, or in several places, counts on each of their rows, so the rows "
                "may add up to more than the abused children.")
    groups: Counter = Counter()
    names: dict[str, str] = {}
    for child in children.values():
        if ethnicity_of(child.ethnicity) == "minority":
            key = plain(child.ethnicity)
            groups[key] += 1
            names.setdefault(key, " ".join(child.ethnicity.split()))
    by_group = [Row(key, names[key], [groups[key]]) for key in sorted(groups, key=lambda key: (-groups[key], key))]
    return [
        _partition("abused_by_form", _("Abused children by form of abuse"), CATEGORIES, forms, total, several),
        _partition("abused_by_sex", _("Abused children by sex"), SEXES,
                   Counter(child.sex for child in children.values()), total),
        _partition("abused_by_age", _("Abused children by age at the report"), AGE_BANDS,
                   Counter(age_group(child.age) for child in children.values()), total),
        _partition("abused_by_ethnicity", _("Abused children by ethnicity"), ETHNICITIES,
                   Counter(ethnicity_of(child.ethnicity) for child in children.values()), total),
        Table("abused_by_ethnic_group", _("Abused children of ethnic minorities, by ethnic group"),
              _children_column(), by_group, Row("total", _("Abused children of ethnic minorities"),
                                                 [sum(groups.values())]),
              _("Each ethnic group as the child's record names it.")),
        _partition("abused_by_setting", _("Abused children by where the abuse happened"), SETTINGS,
                   Counter(setting for child in children.values() for setting in child.settings), total, several),
    ]


def at_risk(scope: Scope) -> Table:
    by_case, registered, either = (int(value or 0) for value in scope.answers["at_risk"][0])
    rows = [Row("by_case", _("Reported at risk of abuse in a case of the period"), [by_case]),
            Row("registered", _("On the register as at risk of abuse, abandonment or trafficking"), [registered])]
    return Table("at_risk", _("Children at risk"), _children_column(), rows, Row("total", _("Children at risk"),
                                                                                 [either]),
                 _("A child both reported and registered counts once in the total."))


def by_group(scope: Scope) -> Table:
    counts = dict(scope.answers["groups"])
    special = int(scope.answers["special"][0][0] or 0)
    rows = [Row(key, str(label), [counts.get(key, 0)]) for key, label in SPECIAL_CIRCUMSTANCES.items()]
    return Table("special_by_group", _("Children in special circumstances, by group (Law on Children art. 10)"),
                 _children_column(), rows, Row("total", _("Children in special circumstances"), [special]),
                 _("Children on the register in the group at some time in the period. A child in several groups "
                   "counts in each, and once in the total."))


def supported(scope: Scope) -> Table:
    counts = dict(scope.answers["supported"])
    special = int(scope.answers["special"][0][0] or 0)
    rows = [Row(key, str(label), [counts.get(key, 0)]) for key, label in SUPPORT_KINDS.items()]
    rows.append(Row("any_support", _("Receiving any support"), [counts.get(None, 0)]))
    return Table("special_supported", _("Children in special circumstances receiving support"), _children_column(),
                 rows, Row("total", _("Children in special circumstances"), [special]),
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
    tables = [*_abused_tables(abused_children(scope.answers["abused"])), at_risk(scope), by_group(scope),
              supported(scope), with_case(scope)]
    return Indicators(unit, period, now, tables)


def report(viewer, unit_code: str | None, period: Period, now: datetime) -> Indicators | None:
    """The indicators of the unit `unit_code` (the reader's own by default); None when it is not in their scope."""
    unit = find_unit_by_key(unit_code) if unit_code else viewer.unit
    if not may_report_on(viewer, unit):
        return None
    return compute(viewer, unit, period, now)
