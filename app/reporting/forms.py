from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.children.forms import choices
from app.dates import DayField
from app.forms import Form
from app.reporting.models import KINDS, RECURRENCES, SECTION_LABELS


class RoundForm(Form):
    """The rules (a period that ends after it starts, due days in order) are the service's."""

    kind = SelectField(_lp("periodic report", "Report"), choices=choices(KINDS), default="half_year")
    period_start = DayField(_l("Period from"), validators=[Optional()])
    period_end = DayField(_l("Period to"), validators=[Optional()])
    due_on = DayField(_l("Communes' reports due on"), validators=[Optional()])
    consolidation_due_on = DayField(_l("Consolidated reports (districts, province) due on"), validators=[Optional()])
    recurrence = SelectField(_l("Recurs"), choices=choices(RECURRENCES), default="half")
    communes = BooleanField(_l("The communes report"), default=True)
    districts = BooleanField(_l("The districts report"), default=True)
    # Choices: the province's active departments, set by the view; all ticked at first.
    departments = SelectMultipleField(_l("Departments and agencies that report"), coerce=int, choices=[],
                                      option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
                                      description=_l("They report to the province by the communes' due day, in "
                                                     "words: they hold no cases to count."))
    submit = SubmitField(_l("Set the round"))


class DepartmentForm(Form):
    name = StringField(_l("Name of the department or agency"),
                       description=_l("As it signs its reports, e.g. Sở Y tế tỉnh Hải Dương, Tỉnh đoàn Hải Dương."))
    submit = SubmitField(_l("Add to the list"))


class ReportForm(Form):
    """Every section any report has; the page shows those of the round's report."""

    results = TextAreaField(SECTION_LABELS["results"])
    activities = TextAreaField(SECTION_LABELS["activities"])
    children_reached = TextAreaField(SECTION_LABELS["children_reached"])
    funds = TextAreaField(SECTION_LABELS["funds"])
    difficulties = TextAreaField(SECTION_LABELS["difficulties"])
    proposals = TextAreaField(SECTION_LABELS["proposals"])
    number = StringField(_l("Document number (e.g. 15/BC-UBND)"))
    signer_name = StringField(_l("Signed by (full name)"))
    signer_title = StringField(_l("Signer's title (e.g. Chủ tịch, KT. Chủ tịch – Phó Chủ tịch)"))
    save = SubmitField(_l("Save the draft"))
    send = SubmitField(_l("Send the report"))

    def for_reporter(self, report) -> "ReportForm":
        """A department's report is numbered and signed by the department (its director), not by the committee."""
        if report.department_id is not None:
            self.number.label.text = _("Document number (e.g. 15/BC-SYT)")
            self.signer_title.label.text = _("Signer's title (e.g. Giám đốc, KT. Giám đốc – Phó Giám đốc)")
        return self
