from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from app.forms import SEARCHABLE, Form


class PlaceCaseForm(Form):
    commune = SelectField(_l("New commune"), choices=[], validators=[InputRequired()], render_kw=SEARCHABLE)
