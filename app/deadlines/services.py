"""Working-day arithmetic in the app's time zone (Saturdays, Sundays and the holiday calendar are skipped)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.deadlines.models import Holiday
from app.extensions import db

SATURDAY = 5
# No legal deadline reaches further than this many calendar days; holidays are read for that window only.
LONGEST_SPAN = timedelta(days=60)


class HolidayRejected(Exception):
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
    from flask_babel import format_timedelta

    if deadline.met_at is not None:
        return _("met %(when)s", when=deadline.met_at.astimezone(local_zone()).strftime("%d/%m/%Y %H:%M"))
    if deadline.due_at >= now:
        return _("due in %(time)s", time=format_timedelta(deadline.due_at - now, threshold=1.5))
    return _("overdue by %(time)s", time=format_timedelta(now - deadline.due_at, threshold=1.5))
