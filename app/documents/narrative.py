"""How the trail tells the register of decisions and the printing of statutory forms (app/audit/narrative.py)."""
from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_action, describe_table
from app.audit.narrative import translate as _
from app.documents.models import DecisionNumber
from app.documents.statutory import FORMS

FORM_NAMES = {key: form.label for key, form in FORMS.items()}


def _number_sentence(reading: Reading) -> str | None:
    if reading.action != "create":
        return None
    return _("%(actor)s entered decision no. %(number)s of %(year)s (%(form)s) of case %(case)s in the register of "
             "decisions.", actor=reading.actor, number=reading.value("number"), year=reading.value("year"),
             form=reading.shown("form", reading.value("form")), case=reading.case)


def _printed_sentence(reading: Reading) -> str:
    form = reading.shown("form", reading.after("form"))
    number = reading.after("number")
    if number:
        return _("%(actor)s printed %(form)s of case %(case)s, decision no. %(number)s, for signature.",
                 actor=reading.actor, form=form, case=reading.case, number=number)
    return _("%(actor)s printed %(form)s of case %(case)s.", actor=reading.actor, form=form, case=reading.case)


describe_table(
    DecisionNumber, sentence=_number_sentence,
    record=lambda reading: _("the register of decisions, case %(case)s", case=reading.case),
    fields={"number": _l("Number"), "year": _l("Year"), "form": _l("Form"), "unit_id": _l("Issuing unit"),
            "plan_id": _l("Plan approved"), "emergency_measure_id": _l("Isolation decided"),
            "assigned_by_id": _l("Numbered by"), "assigned_at": _l("Numbered at")},
    hidden=("id", "case_id"), values={"form": FORM_NAMES},
    references={"unit_id": "unit", "assigned_by_id": "person"})
describe_action("form_printed", _printed_sentence, fields={"form": _l("Form"), "number": _l("Decision number")},
                values={"form": FORM_NAMES})
