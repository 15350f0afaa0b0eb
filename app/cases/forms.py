from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import (BooleanField, FieldList, FormField, HiddenField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, Optional

from app.cases.checklist import QUESTIONS
from app.cases.models import (ABUSE_SETTINGS, CARER_CONSENTS, CATEGORIES, CHILD_CONSENTS, CLOSURE_REASONS, DATA_GROUNDS,
                              HARM_STATUSES, REVIEW_CRITERIA, RISK_LEVELS, SOURCES, TIMELINE_KINDS)
from app.cases.workflow import STATUSES
from app.children.forms import ChildForm, MultiCheckboxField, choices
from app.dates import DayField, MomentField
from app.forms import Form


_choices = choices


class VersionedForm(Form):
    """Every change of a case carries the version it was made on."""

    version = HiddenField()


class IntakeForm(ChildForm):
    """Mẫu 01 and the child, in one page that a phone can scroll."""

    source = SelectField(_l("Where the report came from"), choices=_choices(SOURCES, _l("Choose…")),
                         validators=[InputRequired()])
    received_at = MomentField(_l("Received at"), validators=[InputRequired()])
    reporter_name = StringField(_l("Who reported it"), validators=[Optional(), Length(max=200)])
    reporter_contact = StringField(_l("Reporter's phone or address"), validators=[Optional(), Length(max=100)])
    reporter_may_be_named = BooleanField(_l("The reporter agrees to be named"))
    place = StringField(_l("Where it happened"), validators=[Optional(), Length(max=300)])
    categories = MultiCheckboxField(_l("What happened (one or more)"), choices=_choices(CATEGORIES))
    description = TextAreaField(_l("What happened"), validators=[InputRequired(), Length(max=20000)])
    immediate_danger = BooleanField(_l("The child is in immediate danger"))
    # Mẫu 01 (Decree 56/2017 art. 25.1) distinguishes a child abused from a child at risk of abuse.
    harm_status = RadioField(_l("Is the child abused, or at risk of abuse?"), choices=_choices(HARM_STATUSES),
                             validators=[InputRequired(message=_l("Choose whether the child is abused or at risk of "
                                                                  "abuse."))])
    harm_foreseen = TextAreaField(_l("Harm that may follow for the child"),
                                  validators=[Optional(), Length(max=20000)])
    abuse_setting = SelectField(_l("Where the abuse happened"),
                                choices=_choices(ABUSE_SETTINGS, _l("Not known yet")), validators=[Optional()])
    action_taken = TextAreaField(_l("Action already taken"), validators=[Optional(), Length(max=20000)])
    child_consent = RadioField(_l("Did the child agree to their data being kept?"), choices=_choices(CHILD_CONSENTS),
                               validators=[InputRequired(message=_l("Choose whether the child agreed."))])
    carer_consent = RadioField(_l("Did the carer agree?"), choices=_choices(CARER_CONSENTS),
                               validators=[InputRequired(message=_l("Choose whether the carer agreed."))])
    data_ground = SelectField(_l("Legal ground, when someone did not agree or could not be asked"),
                              choices=_choices(DATA_GROUNDS, _l("None needed: everyone asked agreed")),
                              validators=[Optional()])
    child_choice = HiddenField()
    # Those who forward reports name the commune the case goes to (Decree 56 art. 26.1); the view sets the
    # communes of their subtree, or removes the field for a commune's own people.
    unit = SelectField(_l("Commune where it happened (the case goes to it at once)"), choices=[],
                       validators=[InputRequired(message=_l("Choose the commune where it happened."))])
    # Choices: the communes of the worker's province, set by the view.
    address_unit = SelectField(_l("Commune where the child lives"), choices=[], validators=[Optional()])


class EditForm(VersionedForm):
    description = TextAreaField(_l("What happened"), validators=[InputRequired(), Length(max=20000)])
    harm_status = RadioField(_l("Is the child abused, or at risk of abuse?"), choices=_choices(HARM_STATUSES),
                             validators=[Optional()])
    harm_foreseen = TextAreaField(_l("Harm that may follow for the child"),
                                  validators=[Optional(), Length(max=20000)])
    abuse_setting = SelectField(_l("Where the abuse happened"),
                                choices=_choices(ABUSE_SETTINGS, _l("Not known yet")), validators=[Optional()])
    place = StringField(_l("Where it happened"), validators=[Optional(), Length(max=300)])
    action_taken = TextAreaField(_l("Action already taken"), validators=[Optional(), Length(max=20000)])
    immediate_danger = BooleanField(_l("The child is in immediate danger"))
    categories = MultiCheckboxField(_l("What happened (one or more)"), choices=_choices(CATEGORIES))
    # Choices: the active workers of the case's commune, set by the view; the service checks the one chosen.
    assigned_worker = SelectField(_l("Assigned worker"), choices=[], validate_choice=False, validators=[Optional()])


class AssessmentForm(VersionedForm):
    answers = MultiCheckboxField(_l("Signs found"), choices=lambda: [SelectChoice(key, label) for key, (_w, label)
                                                                     in QUESTIONS.items()])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)])


class DetailForm(VersionedForm):
    summary = TextAreaField(_l("Detailed assessment"), validators=[InputRequired(), Length(max=20000)])
    meeting_minutes = TextAreaField(_l("Minutes of the case meeting"), validators=[Optional(), Length(max=50000)])


class EmergencyForm(VersionedForm):
    description = TextAreaField(_l("Measure taken"), validators=[InputRequired(), Length(max=20000)])
    taken_at = MomentField(_l("Taken at"), validators=[InputRequired()])


class IsolationForm(VersionedForm):
    """The worker's proposal of a temporary isolation (Mẫu 07), for a commune leader to decide. Prefixed, since the
    page may also hold the report's correction and the plan's return form, whose fields have the same names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="isolation", **kwargs)

    reason = TextAreaField(_l("Why the child must be isolated"), validators=[InputRequired(), Length(max=20000)])
    place = StringField(_l("Where the child stays"), validators=[InputRequired(), Length(max=300)])
    with_whom = StringField(_l("With whom (the carer during the isolation)"),
                            validators=[InputRequired(), Length(max=300)])
    first_day = DayField(_l("First day"), validators=[InputRequired()])
    last_day = DayField(_l("Last day (15 days at most)"), validators=[InputRequired()])
    extension_authority = StringField(_l("Beyond 15 days: the authority that asked in writing"),
                                      validators=[Optional(), Length(max=300)])
    extension_number = StringField(_l("Number of its written request"), validators=[Optional(), Length(max=60)])
    extension_date = DayField(_l("Date of its written request"), validators=[Optional()])


class EndIsolationForm(VersionedForm):
    ended_on = DayField(_l("Day the isolation ended"), validators=[InputRequired()])
    note = TextAreaField(_l("What followed for the child (home again, alternative care)"),
                         validators=[InputRequired(), Length(max=5000)])


class PlanActionForm(Form):
    class Meta:
        csrf = False

    description = StringField(_lp("support plan", "Action"), validators=[Optional(), Length(max=2000)])
    responsible = StringField(_l("Responsible person or organisation"), validators=[Optional(), Length(max=200)])
    due_date = DayField(_l("Due date"), validators=[Optional()])


class PlanForm(VersionedForm):
    goals = TextAreaField(_l("Goals"), validators=[InputRequired(), Length(max=20000)])
    actions = FieldList(FormField(PlanActionForm), _l("Actions of the plan"), min_entries=5, max_entries=20)
    review_due_on = DayField(_l("Review on (left empty: 3 months after approval)"), validators=[Optional()])


class CompleteActionForm(VersionedForm):
    """An action of the approved plan done; the choices are the plan's actions not yet done (set by the page)."""

    action = SelectField(_lp("support plan", "Action"), coerce=int, validate_choice=False,
                         validators=[InputRequired()])
    done_on = DayField(_l("Day it was done"), validators=[InputRequired()])


class ReasonForm(VersionedForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=5000)])


class DeclineIsolationForm(ReasonForm):
    """Why a leader declines an isolation; prefixed, since the page may also hold the plan's return form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decline", **kwargs)


class TimelineForm(Form):
    kind = SelectField(_lp("timeline entry", "Kind"), choices=_choices(TIMELINE_KINDS), validators=[InputRequired()])
    occurred_at = MomentField(_l("When"), validators=[InputRequired()])
    text = TextAreaField(_l("What happened"), validators=[InputRequired(), Length(max=20000)])


def good_choices(criterion: str):
    """The answers to a criterion of Mẫu 06, the good one first and marked so, the worst last."""
    rule = REVIEW_CRITERIA[criterion]
    return lambda: [SelectChoice(level, _l("%(answer)s (good)", answer=answer) if level == rule.good else answer)
                    for level, answer in rule.answers.items()]


class ReviewForm(VersionedForm):
    """Mẫu 06 (Decree 56/2017 art. 30): each criterion answered in plain words, with a note on it if need be, then
    the conclusion; the fields are set below, in the form's order."""


for _criterion, _rule in REVIEW_CRITERIA.items():
    setattr(ReviewForm, _criterion, RadioField(_rule.label, choices=good_choices(_criterion),
                                               validators=[InputRequired()]))
    setattr(ReviewForm, f"{_criterion}_note", TextAreaField(_l("Note on this point"),
                                                            validators=[Optional(), Length(max=5000)]))
ReviewForm.note = TextAreaField(_l("Conclusion of the review"), validators=[Optional(), Length(max=20000)])


class ClosureForm(VersionedForm):
    # Choices: the reasons that may be true of the case (services.closure_reasons), set by the view.
    reason = SelectField(_l("Why the case can close"), choices=_choices(CLOSURE_REASONS, _l("Choose…")),
                         validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class CaseFilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Reference or child's name"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), choices=_choices(STATUSES, _l("Any")), validators=[Optional()])
    category = SelectField(_l("Category"), choices=_choices(CATEGORIES, _l("Any")), validators=[Optional()])
    risk = SelectField(_l("Risk"), choices=_choices(RISK_LEVELS, _l("Any")), validators=[Optional()])
    unit = StringField(_l("Unit code"), validators=[Optional(), Length(max=16)])
    worker = StringField(_l("Assigned worker"), validators=[Optional(), Length(max=64)])
    overdue = BooleanField(_l("Overdue only"))
    open = BooleanField(_l("Open cases only"))
    aged_16_or_over = BooleanField(_l("Aged 16 or over at the report (records to review)"))
    received_from = DayField(_l("Reported from"), validators=[Optional()])
    received_to = DayField(_l("Reported until"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()],
                       choices=lambda: [SelectChoice("received", _l("Newest report first")),
                                        SelectChoice("due", _l("Next deadline first")),
                                        SelectChoice("reference", _l("Reference"))])
