from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.children.forms import choices
from app.forms import SEARCHABLE, Form
from app.referrals.models import CONSENTS, PROVIDER_KINDS

# On the page the sender must say how sharing was agreed; "not recorded" exists for older API clients.
CONSENT_CHOICES = [SelectChoice(key, label) for key, label in CONSENTS.items() if key != "not_recorded"]


class ReferralForm(Form):
    to_unit = SelectField(_l("To a unit"), choices=[], validators=[Optional()], render_kw=SEARCHABLE)
    provider = SelectField(_l("Or to a service provider"), choices=[], validators=[Optional()])
    service = StringField(_l("Service asked for"), validators=[Optional(), Length(max=300)])
    reason = TextAreaField(_l("Why the child is referred"), validators=[InputRequired(), Length(max=5000)])
    urgent = BooleanField(_l("Urgent: the child is in immediate danger (sent at once, approved afterwards)"))
    transfer = BooleanField(_l("Transfer: the family moved for good, the receiving commune takes the case over"))
    consent = RadioField(_l("Sharing the child's file"), choices=CONSENT_CHOICES, validators=[InputRequired()])


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])


class ProviderForm(Form):
    unit = SelectField(_l("Unit whose register holds it"), choices=[], validators=[InputRequired()],
                       render_kw=SEARCHABLE)
    kind = SelectField(_lp("service provider", "Kind"), choices=choices(PROVIDER_KINDS), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    contact = StringField(_l("Phone or address"), validators=[Optional(), Length(max=200)])
