import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_timedelta
from flask_babel import force_locale

from app.deadlines.services import HolidayRejected, add_holiday, add_working_days, duration

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


@pytest.mark.parametrize("start, days, due", [
    (date(2024, 3, 4), 5, date(2024, 3, 11)),   # Monday + 5 working days = next Monday
    (date(2024, 3, 8), 5, date(2024, 3, 15)),   # Friday: the weekend does not count
    (date(2024, 3, 9), 1, date(2024, 3, 11)),   # Saturday: the next working day is Monday
    (date(2024, 3, 8), 7, date(2024, 3, 19)),
])
def test_working_days_skip_weekends(app, start, days, due):
    assert add_working_days(at(start), days) == datetime(due.year, due.month, due.day, 23, 59, 59, tzinfo=HANOI)


def test_working_days_skip_holidays(app):
    add_holiday(date(2024, 4, 29), "Nghỉ bù")
    add_holiday(date(2024, 4, 30), "Ngày Giải phóng miền Nam")
    add_holiday(date(2024, 5, 1), "Quốc tế Lao động")
    assert add_working_days(at(date(2024, 4, 26)), 2).date() == date(2024, 5, 3)


def test_the_day_is_counted_in_vietnam_time(app):
    friday_evening_utc = datetime(2024, 3, 8, 18, tzinfo=ZoneInfo("UTC"))  # already Saturday 01:00 in Hà Nội
    assert add_working_days(friday_evening_utc, 1).date() == date(2024, 3, 11)


def test_a_holiday_cannot_be_entered_twice(app):
    add_holiday(date(2024, 9, 2), "Quốc khánh")
    with pytest.raises(HolidayRejected):
        add_holiday(date(2024, 9, 2), "Quốc khánh")


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_durations_read_as_babel_says_them(app, locale):
    spans = [0, 0.4, 1, 1.5, 89, 90, 5399, 5400, 35.5 * 3600, 36 * 3600, 10.49 * 86400, 10.5 * 86400, 45 * 86400,
             548 * 86400] + [random.uniform(0, 8e7) for _ in range(2000)]
    with app.test_request_context(), force_locale(locale):
        for seconds in spans:
            expected = format_timedelta(timedelta(seconds=seconds), threshold=1.5, locale=locale)
            assert duration(timedelta(seconds=seconds)) == duration(timedelta(seconds=-seconds)) == expected
