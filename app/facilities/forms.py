from flask_babel import lazy_gettext as _l
from wtforms import (FieldList, FormField, HiddenField, IntegerField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.children.forms import choices
from app.dates import DayField
from app.facilities.checklist import CHECKLIST, KINDS, PLACEMENT_KINDS, RESULTS
from app.forms import Form


class FacilityForm(Form):
    unit = SelectField(_l("Commune where it stands"), choices=[], validate_choice=False, validators=[Optional()])
    kind = SelectField(_l("Kind of facility"), choices=choices(KINDS, _l("Choose…")), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    address = StringField(_l("Address (street, village)"), validators=[InputRequired(), Length(max=300)])
    capacity = IntegerField(_l("Capacity (children)"), render_kw={"inputmode": "numeric"},
                            validators=[InputRequired(), NumberRange(1, 10_000)])
    licence_number = StringField(_l("Licence number"), validators=[Optional(), Length(max=60)])
    licence_issuer = StringField(_l("Issued by"), validators=[Optional(), Length(max=200)])
    licence_issued_on = DayField(_l("Licence issued on"), validators=[Optional()])
    licence_expires_on = DayField(_l("Licence expires on"), validators=[Optional()])
    version = HiddenField()


class PlanForm(Form):
    inspected_on = DayField(_l("Day of the inspection"), validators=[InputRequired()])
    team = StringField(_l("Inspection team (names, positions)"), validators=[InputRequired(), Length(max=500)])
    follows_up = SelectField(_l("Follow-up visit of"), choices=[], validate_choice=False, validators=[Optional()])


class CorrectionFields(Form):
    class Meta:
        csrf = False

    what = StringField(_l("What must be corrected"), validators=[Optional(), Length(max=2000)])
    due_on = DayField(_l("By"), validators=[Optional()])


def _checklist_fields():
    return {key: RadioField(label, choices=choices(RESULTS), validators=[InputRequired()])
            for key, label in CHECKLIST.items()}


class _Checklist(Form):
    class Meta:
        csrf = False


for _key, _field in _checklist_fields().items():
    setattr(_Checklist, _key, _field)


class RecordForm(Form):
    checklist = FormField(_Checklist, separator="-")
    violations = TextAreaField(_l("Violations found"), validators=[Optional(), Length(max=5000)])
    corrections = FieldList(FormField(CorrectionFields), label=_l("Corrections required"), min_entries=3,
                            max_entries=10)
    resolved = SelectMultipleField(_l("Corrections found done at this visit"), choices=[], coerce=int,
                                   validate_choice=False, widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())
    version = HiddenField()


class PlacementForm(Form):
    case = StringField(_l("Case reference"), validators=[InputRequired(), Length(max=40)])
    kind = SelectField(_l("Why the child lives there"), choices=choices(PLACEMENT_KINDS, _l("Choose…")),
                       validators=[InputRequired()])
    since = DayField(_l("Since"), validators=[InputRequired()])


class EndPlacementForm(Form):
    until = DayField(_l("Left the facility on"), validators=[InputRequired()])


class FilterForm(Form):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of facility"), choices=choices(KINDS, _l("All kinds")), validators=[Optional()])
