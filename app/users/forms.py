from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length

from app.access import role_labels_where_held
from app.forms import SEARCHABLE, Form
from app.users.models import OFFICES


def role_choices(edition_has_districts: bool = True):
    """The roles, each named as held where the list places it (a province supervisor where there are no
    districts)."""
    return [SelectChoice(role.value, label) for role, label in role_labels_where_held(edition_has_districts).items()]


def _office_choices():
    return [SelectChoice("", _l("Not recorded")), *(SelectChoice(key, label) for key, label in OFFICES.items())]


class UserPlacementForm(Form):
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    # Choices: the units of the admin's subtree, set by the view.
    unit = SelectField(_l("Unit"), choices=[], validators=[DataRequired()], render_kw=SEARCHABLE)
    office = SelectField(_l("Office (commune leaders only)"), choices=_office_choices, default="",
                         description=_l("The title under which a commune leader signs decisions: the chairman's own, "
                                        "or a vice-chairman's on the chairman's behalf."))
    # Choices: the departments and agencies of the admin's province, set by the view.
    department = SelectField(_l("Department or agency (department officers only)"), choices=[], default="",
                             description=_l("The department whose reports the account writes; the province officer "
                                            "keeps the list."))
    email = StringField(_l("Email (optional)"), validators=[Length(max=254)],
                        description=_l("Where notices go when the system sends email."),
                        render_kw={"type": "email", "autocomplete": "off"})
    submit = SubmitField(_l("Save"))


class UserCreateForm(UserPlacementForm):
    field_order = ("username", "full_name", "role", "office", "department", "unit", "email")
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocapitalize": "none"})
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create account"))


class ConfirmForm(Form):
    """A consequential step asked twice: the page that asks, then this form's yes."""

    confirmed = HiddenField(validators=[AnyOf(["yes"])])
