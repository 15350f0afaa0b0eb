from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.children.forms import choices
from app.dates import DayField
from app.forms import Form
from app.reports.statistics import PERIOD_KINDS


class StatisticsForm(Form):
    """Read from the query string: asking for figures changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    unit = StringField(_l("Unit code"), validators=[Optional(), Length(max=16)], render_kw={"inputmode": "numeric"})
    kind = SelectField(_l("Period"), choices=choices(PERIOD_KINDS), default="year",
                       validators=[InputRequired()])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(2000, 2100)])
    number = SelectField(_l("Month, quarter or half (1, 2, …)"), coerce=int, default=1,
                         choices=lambda: [SelectChoice(number, str(number)) for number in range(1, 13)],
                         validators=[Optional()])
    start = DayField(_l("From"), validators=[Optional()])
    end = DayField(_l("To"), validators=[Optional()])
