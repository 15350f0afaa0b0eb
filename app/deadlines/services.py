"""Working-day arithmetic in the app's time zone (Saturdays, Sundays and the holiday calendar are skipped)."""
from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import TIMEDELTA_UNITS, format_timedelta
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from app.deadlines.models import Holiday, ServiceStandard
from app.extensions import db
from app.units.models import Unit

SATURDAY = 5
# No legal deadline reaches further than this many calendar days; holidays are read for that window only.
LONGEST_SPAN = timedelta(days=60)
# How far into the next unit a duration must reach to be said in it: "36 hours" but "2 days" (Babel's 0.85 would
# say "1 day" for 21 hours).
DURATION_THRESHOLD = 1.5


# The initial assessment has no limit in law (Decree 56/2017 art. 26.2); each province sets its own service
# standard, and until it does, this one.
DEFAULT_INITIAL_ASSESSMENT_WORKING_DAYS = 2
STANDARD_RANGE = (1, 20)


class HolidayRejected(Exception):
    pass


class StandardRejected(Exception):
    pass


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["APP_TIMEZONE"])


def holidays_between(start: date, end: date) -> set[date]:
    return set(db.session.scalars(sa.select(Holiday.day).where(Holiday.day.between(start, end))))


def add_working_days(start: datetime, days: int) -> datetime:
    """The end (23:59:59 local time) of the `days`-th working day after the day of `start`.

    "Within 5 working days of the assessment" made on a Friday runs to the end of the following Friday.
    """
    zone = local_zone()
    day = start.astimezone(zone).date()
    off = holidays_between(day, day + LONGEST_SPAN)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY and day not in off:
            counted += 1
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and not holidays_between(day, day)


def add_holiday(day: date, name: str) -> Holiday:
    if not (name or "").strip():
        raise HolidayRejected(_("Give the holiday a name."))
    if db.session.scalar(sa.select(sa.exists().where(Holiday.day == day))):
        raise HolidayRejected(_("%(day)s is already a holiday.", day=day.strftime("%d/%m/%Y")))
    holiday = Holiday(day=day, name=name.strip())
    db.session.add(holiday)
    db.session.commit()
    return holiday


def remove_holiday(holiday: Holiday) -> None:
    db.session.delete(holiday)
    db.session.commit()


def holidays_of(year: int) -> list[Holiday]:
    return list(db.session.scalars(sa.select(Holiday).where(Holiday.day.between(date(year, 1, 1), date(year, 12, 31)))
                                    .order_by(Holiday.day)))


def due_label(deadline, now: datetime) -> str:
    """"due in 3 hours", "overdue by 2 days" or "met", in the reader's language."""
    if deadline.met_at is not None:
        return _("met %(when)s", when=deadline.met_at.astimezone(local_zone()).strftime("%d/%m/%Y %H:%M"))
    return open_due_label(deadline.due_at, now)


def open_due_label(due_at: datetime, now: datetime) -> str:
    """"due in 3 hours" or "overdue by 2 days": Babel's wording, remembered per language, side, unit and count,
    since a list says it on every row and Babel took longer than the rest of the row."""
    return _due_words(str(get_locale()), due_at < now, *_unit_and_count(due_at - now))


def duration(span: timedelta) -> str:
    """What Babel's `format_timedelta(span, threshold=1.5)` says ("3 hours", "2 days"), in the reader's language."""
    return _duration_words(str(get_locale()), *_unit_and_count(span))


def _unit_and_count(span: timedelta) -> tuple[str, int]:
    """Babel's choice of unit and its rounding, repeated so that the wording can be remembered."""
    seconds = abs(span.total_seconds())
    unit, size = next(((unit, size) for unit, size in TIMEDELTA_UNITS if seconds / size >= DURATION_THRESHOLD),
                      TIMEDELTA_UNITS[-1])
    # Like Babel, a span under a second is "1 second", unless it is none.
    return unit, (max(1, round(seconds)) if unit == "second" and seconds else round(seconds / size))


@lru_cache(maxsize=4096)
def _duration_words(locale: str, unit: str, count: int) -> str:
    size = dict(TIMEDELTA_UNITS)[unit]
    return format_timedelta(timedelta(seconds=count * size), granularity=unit, threshold=math.inf, locale=locale)


@lru_cache(maxsize=4096)
def _due_words(locale: str, overdue: bool, unit: str, count: int) -> str:
    time = _duration_words(locale, unit, count)
    with force_locale(locale):
        return _("overdue by %(time)s", time=time) if overdue else _("due in %(time)s", time=time)


def province_of(unit: Unit) -> Unit:
    """The province of `unit` (the first code of its path), or `unit` itself when it is one."""
    code = unit.path.split("/")[1]
    return db.session.scalar(sa.select(Unit).where(Unit.edition == unit.edition, Unit.code == code))


def initial_assessment_working_days(unit: Unit) -> int:
    """The province's service standard for the initial assessment of a report in `unit` (a local rule)."""
    days = db.session.scalar(sa.select(ServiceStandard.initial_assessment_working_days)
                             .where(ServiceStandard.unit_id == province_of(unit).id))
    return DEFAULT_INITIAL_ASSESSMENT_WORKING_DAYS if days is None else days


def set_initial_assessment_standard(province: Unit, days: int | None) -> ServiceStandard:
    low, high = STANDARD_RANGE
    if days is None or not low <= days <= high:
        raise StandardRejected(_("Give a whole number of working days from %(low)d to %(high)d.", low=low, high=high))
    standard = db.session.get(ServiceStandard, province.id)
    if standard is None:
        standard = ServiceStandard(unit_id=province.id, unit=province, initial_assessment_working_days=days)
        db.session.add(standard)
    else:
        standard.initial_assessment_working_days = days
    db.session.commit()
    return standard
