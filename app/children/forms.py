from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import (FieldList, FormField, HiddenField, IntegerField, RadioField, SelectChoice, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES
from app.dates import DayField
from app.forms import Form


ID_NUMBER_DIGITS = _l("The personal ID has exactly 12 digits.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(labels, blank=None):
    """The options of a label table (key: label), after a blank one when `blank` names it."""
    return lambda: ([SelectChoice("", blank)] if blank else []) + [SelectChoice(key, label)
                                                                  for key, label in labels.items()]


class CarerForm(Form):
    class Meta:
        csrf = False

    name = StringField(_l("Carer's name"), validators=[Optional(), Length(max=200)])
    relationship = StringField(_l("Relationship to the child"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    # Mẫu 01 asks the parents' or carers' age and occupation.
    age = IntegerField(_l("Age"), render_kw={"inputmode": "numeric"}, validators=[Optional(), NumberRange(10, 120)])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=120)])


class ChildForm(Form):
    """The child's details, at intake and when they are corrected later."""

    # Mẫu 01 takes what the reporter knows: a description when the name is not known, an age when the birth is not.
    full_name = StringField(_l("Child's full name"), validators=[Optional(), Length(max=200)])
    child_description = TextAreaField(_l("If the name is not known: who the child is (looks, clothes, where seen)"),
                                validators=[Optional(), Length(max=2000)])
    other_names = StringField(_l("Other names"), validators=[Optional(), Length(max=200)])
    sex = RadioField(_l("Sex"), choices=choices(SEXES), validators=[InputRequired()])
    date_of_birth = DayField(_l("Date of birth"), validators=[Optional()])
    birth_year = IntegerField(_l("Or estimated year of birth"), validators=[Optional(), NumberRange(1900, 2200)])
    estimated_age = IntegerField(_l("Or, if neither is known, estimated age (years)"),
                                 render_kw={"inputmode": "numeric"}, validators=[Optional(), NumberRange(0, 120)])
    estimated_age_to = IntegerField(_l("Up to (years), if the reporter gives a range"),
                                    render_kw={"inputmode": "numeric"}, validators=[Optional(), NumberRange(0, 120)])
    # Told as such, not cut to 12 (whose digits 4-6 would then be blamed on the year of birth).
    id_number = StringField(_l("Personal ID (12 digits)"), render_kw={"inputmode": "numeric", "autocomplete": "off"},
                            validators=[Optional(), Regexp(r"[0-9]{12}\Z", message=ID_NUMBER_DIGITS)])
    ethnicity = StringField(_l("Ethnicity"), validators=[Optional(), Length(max=80)])
    address_detail = StringField(_l("Address (village, house)"), validators=[Optional(), Length(max=300)])
    school = StringField(_lp("child's school", "School"), validators=[Optional(), Length(max=200)])
    special_circumstances = MultiCheckboxField(_l("Special circumstances"), choices=choices(SPECIAL_CIRCUMSTANCES))
    carers = FieldList(FormField(CarerForm), _l("Carers"), min_entries=2, max_entries=6)

    def details(self, address_unit):
        from app.children.services import ChildDetails

        return ChildDetails(
            full_name=self.full_name.data or "", sex=self.sex.data or "", date_of_birth=self.date_of_birth.data,
            birth_year=self.birth_year.data, estimated_age=self.estimated_age.data,
            estimated_age_to=self.estimated_age_to.data,
            description=self.child_description.data, other_names=self.other_names.data, id_number=self.id_number.data,
            ethnicity=self.ethnicity.data, address_unit=address_unit, address_detail=self.address_detail.data,
            school=self.school.data, special_circumstances=self.special_circumstances.data or [],
            carers=[carer for carer in self.carers.data
                    if carer.get("age") is not None or any((carer.get(key) or "").strip()
                                                           for key in ("name", "relationship", "phone", "occupation"))])


class ChildEditForm(ChildForm):
    """A correction carries the version of the details it was made on."""

    version = HiddenField()
