from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.access import statistics_units_for_reader
from app.children.forms import choices
from app.dates import DayField
from app.forms import SEARCHABLE, Form
from app.forms import unit_choices as units_as_choices
from app.reports.statistics import PERIOD_KINDS


class StatisticsForm(Form):
    """Read from the query string: asking for figures changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    # Any unit may be asked for (another answers 404, like a case): the choices are the reader's, offered.
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False, validators=[Optional(), Length(max=32)],
                       render_kw=SEARCHABLE)
    kind = SelectField(_l("Period"), choices=choices(PERIOD_KINDS), default="year",
                       validators=[InputRequired()])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(2000, 2100)])
    number = SelectField(_l("Month, quarter or half (1, 2, …)"), coerce=int, default=1,
                         choices=lambda: [SelectChoice(number, str(number)) for number in range(1, 13)],
                         validators=[Optional()])
    start = DayField(_l("From"), validators=[Optional()])
    end = DayField(_l("To"), validators=[Optional()])


def unit_choices(user) -> list[SelectChoice]:
    """The reader's own unit first, then the units below it, grouped by district; the ended units their unit holds
    apart, under the day they ended ("đơn vị cũ"), named as a query string names them."""
    from app.units.services import unit_key

    current, ended = statistics_units_for_reader(user)
    choices = units_as_choices([unit for unit in current if unit.id != user.unit_id],
                               blank=_("My unit: %(unit)s", unit=user.unit.label))
    for unit in ended:
        group = (unit.parent if unit.level == "commune" and unit.parent is not None else unit).name
        former = _("Former units (before %(day)s)", day=unit.ending.ended_on.strftime("%d/%m/%Y"))
        choices.append(SelectChoice(unit_key(unit), unit.label, optgroup=f"{former}: {group}"))
    return choices
