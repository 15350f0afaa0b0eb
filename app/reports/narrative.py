"""How the trail tells the reports area's own entries (app/audit/narrative.py): statistics and indicators taken away."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_action
from app.audit.narrative import translate as _

FIELDS = {"format": _l("Format"), "from": _l("From"), "to": _l("To")}


def _day(reading: Reading, value) -> str:
    return reading.narrator.by_kind("date", value)


def _format(_reading: Reading, value) -> str:
    return str(value or "").upper()


def _statistics_export(reading: Reading) -> str:
    unit = reading.subject or _("no. %(id)s", id=reading.entry.entity_id)
    return _("%(actor)s exported the statistics of %(unit)s from %(start)s to %(end)s as %(format)s.",
             actor=reading.actor, unit=unit, start=_day(reading, reading.after("from")),
             end=_day(reading, reading.after("to")), format=_format(reading, reading.after("format")))


describe_action("statistics_export", _statistics_export, subject="unit", fields=FIELDS,
                formats={"from": _day, "to": _day, "format": _format})


def _indicators_export(reading: Reading) -> str:
    unit = reading.subject or _("no. %(id)s", id=reading.entry.entity_id)
    return _("%(actor)s exported the indicators on children of %(unit)s from %(start)s to %(end)s as %(format)s.",
             actor=reading.actor, unit=unit, start=_day(reading, reading.after("from")),
             end=_day(reading, reading.after("to")), format=_format(reading, reading.after("format")))


describe_action("indicators_export", _indicators_export, subject="unit", fields=FIELDS,
                formats={"from": _day, "to": _day, "format": _format})
