"""The dates this system accepts: any it has to do with lies between 1900 and 2100. Outside that range, turning a
local time into UTC, or adding a day, overflows Python's dates: such input is refused where it comes in."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
OUT_OF_RANGE = _l("Give a date between %(first)d and %(last)d.", first=EARLIEST_YEAR, last=LATEST_YEAR)


def in_range(moment: date | datetime | None) -> bool:
    return moment is None or EARLIEST_YEAR <= moment.year <= LATEST_YEAR


class _InRange:
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if not in_range(self.data):
            self.data = None
            raise ValueError(str(OUT_OF_RANGE))


class DayField(_InRange, DateField):
    """A date between 1900 and 2100."""


class MomentField(_InRange, DateTimeLocalField):
    """A local date and time between 1900 and 2100."""
