"""How the trail tells the holiday calendar (app/audit/narrative.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_table
from app.audit.narrative import translate as _
from app.deadlines.models import Holiday, ServiceStandard


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


def _standard_sentence(reading: Reading) -> str | None:
    days = reading.after("initial_assessment_working_days")
    if reading.action in ("create", "update") and days is not None:
        return _("%(actor)s set the province's service standard for the initial assessment to %(days)s working "
                 "days.", actor=reading.actor, days=days)
    return None


describe_table(ServiceStandard, sentence=_standard_sentence,
               fields={"unit_id": _l("Province"),
                       "initial_assessment_working_days": _l("Working days for the initial assessment")},
               references={"unit_id": "unit"}, record=lambda reading: _("the province's service standards"))
