from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.audit.recorder import ACTIONS
from app.dates import DayField
from app.forms import Form


class AuditFilterForm(Form):
    """Read from the query string: a search changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    since = DayField(_l("From"), validators=[Optional()])
    until = DayField(_l("To"), validators=[Optional()])
    actor = StringField(_l("Person (username)"), validators=[Optional(), Length(max=80)])
    unit = StringField(_l("Unit code"), validators=[Optional(), Length(max=16)], render_kw={"inputmode": "numeric"})
    case = StringField(_l("Case reference"), validators=[Optional(), Length(max=40)])
    action = SelectField(_lp("audit", "Action"), validators=[Optional()],
                         choices=lambda: [SelectChoice("", _l("Any"))] + [SelectChoice(key, label)
                                                                         for key, label in ACTIONS.items()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end comes before the start."))
