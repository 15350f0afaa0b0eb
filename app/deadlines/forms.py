from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange

from app.dates import DayField
from app.deadlines.services import STANDARD_RANGE
from app.forms import Form


class HolidayForm(Form):
    day = DayField(_l("Day"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    submit = SubmitField(_l("Add holiday"))


class ServiceStandardForm(Form):
    initial_assessment_working_days = IntegerField(
        _l("Working days for the initial assessment of a report"),
        validators=[InputRequired(), NumberRange(*STANDARD_RANGE)])
    submit = SubmitField(_l("Save"))
