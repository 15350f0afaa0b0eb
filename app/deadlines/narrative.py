"""How the trail tells the holiday calendar (app/audit/narrative.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_table
from app.audit.narrative import translate as _
from app.deadlines.models import Holiday


def _holiday(reading: Reading) -> str:
    """Holidays are added and removed whole, so the entry itself holds the day and its name."""
    day, name = reading.value("day"), reading.value("name")
    if day is None:
        return _("no. %(id)s", id=reading.entry.entity_id)
    return f"{reading.shown('day', day)} ({name})" if name else reading.shown("day", day)


def _sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s added the holiday %(holiday)s.", actor=reading.actor, holiday=_holiday(reading))
    if reading.action == "delete":
        return _("%(actor)s removed the holiday %(holiday)s.", actor=reading.actor, holiday=_holiday(reading))
    return None


describe_table(Holiday, sentence=_sentence, fields={"day": _l("Day"), "name": _l("Name")}, hidden=("id",),
               record=lambda reading: _("the holiday %(holiday)s", holiday=_holiday(reading)))
