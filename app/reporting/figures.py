"""A report's figures: a snapshot of named figure groups, each a list of tables as the statistics page shows them.

A group is a function from (reader, unit, period, now) to tables; `GROUPS` names them: the case statistics
(app/reports/statistics.py) and the indicators on children with the register's figures (app/reports/indicators.py),
read from there, never counted again here. Snapshots already stored keep the groups they had, and a consolidation
sums whatever groups its parts hold.

The indicators count children, each once in a unit's figure, and summing the units' figures still counts each
child once: a child is on one commune's register (one entry per child), and their cases are those of the commune
where they live, so the communes' children are distinct and the units below a consolidating one do not overlap.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.reports import indicators, statistics
from app.units.models import Unit

GROUP_LABELS = {"statistics": _l("Case statistics"), "indicators": _l("Indicators on children")}


def _statistics(viewer, unit: Unit, start: date, end: date, now: datetime) -> list[dict]:
    figures = statistics.compute(viewer, unit, statistics.Period(start, end), now)
    return [_table(table) for table in figures.tables]


def _indicators(viewer, unit: Unit, start: date, end: date, now: datetime) -> list[dict]:
    figures = indicators.compute(viewer, unit, statistics.Period(start, end), now)
    return [_table(table) for table in figures.tables]


def _row(row: statistics.Row) -> dict:
    return {"key": row.key, "label": row.label, "values": list(row.values)}


def _table(table: statistics.Table) -> dict:
    return {"key": table.key, "title": table.title, "columns": [label for _key, label in table.columns],
            "rows": [_row(row) for row in table.rows], "total": _row(table.total) if table.total else None,
            "note": table.note}


GROUPS: dict[str, Callable[..., list[dict]]] = {"statistics": _statistics, "indicators": _indicators}


def snapshot(viewer, unit: Unit, start: date, end: date, now: datetime) -> dict:
    """Every group's tables for `unit` and the period, labelled in Vietnamese, the language reports are sent in."""
    with force_locale("vi"):
        return {"groups": [{"key": key, "tables": group(viewer, unit, start, end, now)}
                           for key, group in GROUPS.items()]}


def _add(values: list, more: list) -> list:
    """Counts add up; a value that does not (a median) cannot be summed and is left empty."""
    width = max(len(values), len(more))
    values, more = values + [None] * (width - len(values)), more + [None] * (width - len(more))
    return [a + b if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) else None
            for a, b in zip(values, more, strict=True)]


def _merge_rows(rows: list[dict], more: list[dict]) -> list[dict]:
    by_key = {row["key"]: row for row in rows}
    for row in more:
        if row["key"] in by_key:
            by_key[row["key"]]["values"] = _add(by_key[row["key"]]["values"], row["values"])
        else:
            copy = {**row, "values": list(row["values"])}
            rows.append(copy)
            by_key[row["key"]] = copy
    return rows


def total(snapshots: list[dict]) -> dict:
    """The sum of `snapshots`, group by group, table by table, row by row (rows matched by key)."""
    groups: dict[str, dict[str, dict]] = {}
    for taken in snapshots:
        for group in taken["groups"]:
            tables = groups.setdefault(group["key"], {})
            for table in group["tables"]:
                if table["key"] not in tables:
                    tables[table["key"]] = {**table, "rows": [], "total": None}
                summed = tables[table["key"]]
                summed["rows"] = _merge_rows(summed["rows"], table["rows"])
                if table["total"] is not None:
                    summed["total"] = (_merge_rows([summed["total"]], [table["total"]])[0] if summed["total"]
                                       else {**table["total"], "values": list(table["total"]["values"])})
    return {"groups": [{"key": key, "tables": list(tables.values())} for key, tables in groups.items()]}


def empty_like(kinds: tuple[str, ...] = tuple(GROUPS)) -> dict:
    return {"groups": [{"key": key, "tables": []} for key in kinds]}


def group_label(key: str) -> str:
    return str(GROUP_LABELS.get(key, key))
