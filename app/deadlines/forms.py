from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.dates import DayField


class HolidayForm(FlaskForm):
    day = DayField(_l("Day"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    submit = SubmitField(_l("Add holiday"))
