from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.dates import DayField
from app.forms import Form


class HolidayForm(Form):
    day = DayField(_l("Day"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    submit = SubmitField(_l("Add holiday"))
