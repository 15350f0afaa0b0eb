from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from app.access import ROLE_LABELS
from app.forms import SEARCHABLE, Form


def _role_choices():
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class UserPlacementForm(Form):
    role = SelectField(_l("Role"), choices=_role_choices, validators=[DataRequired()])
    # Choices: the units of the admin's subtree, set by the view.
    unit = SelectField(_l("Unit"), choices=[], validators=[DataRequired()], render_kw=SEARCHABLE)
    email = StringField(_l("Email (optional)"), validators=[Length(max=254)],
                        description=_l("Where notices go when the system sends email."),
                        render_kw={"type": "email", "autocomplete": "off"})
    submit = SubmitField(_l("Save"))


class NewPasswordFields:
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class UserCreateForm(UserPlacementForm, NewPasswordFields):
    field_order = ("username", "full_name", "role", "unit", "email", "password", "confirm")
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocapitalize": "none"})
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create account"))


class PasswordResetForm(Form, NewPasswordFields):
    submit = SubmitField(_l("Set password"))


class ConfirmForm(Form):
    """A consequential step asked twice: the page that asks, then this form's yes."""

    confirmed = HiddenField(validators=[AnyOf(["yes"])])
