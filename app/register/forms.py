from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.widgets import Select, html_params
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.children.forms import ChildForm, choices
from app.dates import DayField
from app.forms import Form
from app.register.groups import ARTICLES, GROUPS, LIVING_PLACES, SUB_CASES, SUPPORT_KINDS

SUB_CASE_HINT = _l("If the group's article names several cases, the one that applies.")


class SituationFields:
    """Where and with whom the child lives, school, health insurance, disability certificate."""

    living_place = SelectField(_l("Where the child lives"), choices=choices(LIVING_PLACES, _l("Choose…")),
                               validators=[InputRequired()])
    lives_with = StringField(_l("With whom (names, relationship)"), validators=[Optional(), Length(max=200)])
    school = StringField(_lp("child's school", "School"), validators=[Optional(), Length(max=200)])
    health_insurance = StringField(_l("Health insurance card number"),
                                   render_kw={"autocomplete": "off"}, validators=[Optional(), Length(max=15)])
    disability_certificate = StringField(_l("Disability certificate (number, degree), if any"),
                                         validators=[Optional(), Length(max=30)])


def _groups_with_articles():
    return [("", _l("Choose…"))] + [(key, f"{label} ({ARTICLES[key]})") for key, label in GROUPS.items()]


def _sub_cases():
    """The cases of each group that has several, under the group's name."""
    return {"": [("", _l("None or not known"))],
            **{str(GROUPS[group]): list(cases.items()) for group, cases in SUB_CASES.items()}}


class MembershipFields:
    group = SelectField(_l("Group"), choices=_groups_with_articles, validators=[InputRequired()])
    sub_case = SelectField(_l("Which case"), description=SUB_CASE_HINT, choices=_sub_cases, validate_choice=False,
                           validators=[Optional()])
    since = DayField(_l("In this group since"), validators=[InputRequired()])


class SituationForm(SituationFields, Form):
    version = HiddenField()


class RegisterForm(SituationFields, MembershipFields, Form):
    """A child already on record (with a case) put on the register."""


class NewChildForm(ChildForm, SituationFields, MembershipFields):
    """A child not yet on record, put on the register by the commune. The special circumstances are not asked:
    they follow the register's groups."""

    confirmed_new = BooleanField(_l("This is a different child: record a new one"))


class GroupForm(MembershipFields, Form):
    pass


class LeaveForm(Form):
    membership = HiddenField()
    left_on = DayField(_l("Left the group on"), validators=[InputRequired()])
    reason = StringField(_l("Why"), validators=[InputRequired(), Length(max=300)])


class ImportForm(Form):
    file = FileField(_l("The list (Excel .xlsx or CSV)"), validators=[FileRequired()])


class ConfirmImportForm(Form):
    pass


class RejectForm(Form):
    reason = StringField(_l("Why it is rejected"), validators=[InputRequired(), Length(max=300)])


class RejectReviewForm(Form):
    reason = StringField(_l("Why the review is rejected"), validators=[InputRequired(), Length(max=300)])


class SupportForm(Form):
    kind = SelectField(_l("Kind of support"), choices=choices(SUPPORT_KINDS, _l("Choose…")),
                       validators=[InputRequired()])
    description = StringField(_l("Support (what, from whom)"), validators=[InputRequired(), Length(max=300)])
    monthly_amount = IntegerField(_l("Amount a month (đồng), for an allowance"), render_kw={"inputmode": "numeric"},
                                  validators=[Optional(), NumberRange(1, 100_000_000)])
    started_on = DayField(_l("From"), validators=[InputRequired()])
    ended_on = DayField(_l("Until (if it has ended)"), validators=[Optional()])


class ReviewForm(Form):
    reviewed_on = DayField(_l("Reviewed on"), validators=[InputRequired()])
    notes = TextAreaField(_l("What the review found"), validators=[InputRequired(), Length(max=4000)])
    next_review_on = DayField(_l("Next review on"), description=_l("Six months on if left empty."),
                              validators=[Optional()])


class ManyOptions(Select):
    """A select of many plain options (a province's 235 communes), each written at once: through WTForms' own
    widget, they took half the list's time (bench/register.py)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        options = "".join(f'<option value="{escape(choice.value)}"{" selected" if choice.selected else ""}>'
                          f"{escape(choice.label)}</option>" for choice in field.iter_choices())
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class ReviewerForm(Form):
    """Who makes the next review; the choices are the commune's workers and collaborators (`review_assignees`)."""

    reviewer = SelectField(_l("Give the next review to"), validators=[Optional()])
    version = HiddenField()


class RegisterFilterForm(Form):
    class Meta:
        csrf = False

    group = SelectField(_l("Group"), choices=choices(GROUPS, _l("All groups")), validators=[Optional()])
    # Those above a commune read several communes' registers; the choices are set from the reader's subtree.
    unit = SelectField(_l("Commune"), choices=[], validate_choice=False, validators=[Optional()],
                       widget=ManyOptions())
    due = BooleanField(_l("Only reviews due"))
    q = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
