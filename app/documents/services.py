"""Printing a statutory form of a case: which forms may be printed, the decision's number, the PDF, the trail."""
from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.recorder import ACTIONS, record
from app.cases.models import Case
from app.documents import register
from app.documents.layout import Page
from app.documents.statutory import FORMS, Form, Printing, decision_day, decision_made
from app.extensions import db
from app.i18n import display_datetime
from app.reorganisation.history import holder_of
from app.reports import case_file, pdf

ACTIONS["form_printed"] = _l("Statutory form printed")


def forms_for(case: Case) -> list[Form]:
    """The forms the case page offers: those whose step exists or may be printed blank."""
    return [form for form in FORMS.values() if form.printable(case)]


def render(case: Case, form: Form, subject, number: str | None, by, at: datetime) -> bytes:
    """The form in Vietnamese, as the decree prints it; the page's furniture (who printed it) as the case file's."""
    with force_locale("vi"):
        flowables = form.build(case, subject, Printing(page=Page.of_a4(), decision_number=number))
        letterhead = pdf.Letterhead(
            unit=holder_of(case.unit).name, title=f"{form.key} {case.reference}", reference=case.reference,
            confidential=_("CONFIDENTIAL"),
            printed=_("Printed by %(name)s (%(username)s) on %(time)s", name=by.full_name, username=by.username,
                      time=display_datetime(at)),
            page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))
        return pdf.render(flowables, letterhead)


def print_form(viewer, reference: str, key: str, now: datetime) -> tuple[Case, bytes] | None:
    """Form `key` of a case `viewer` may read, its printing recorded in the trail; a decision made is numbered in
    the register the first time it is printed (Decree 56 arts. 29.4, 32). None when the case is out of scope, the
    form unknown, or its step neither taken nor open to the case (the same 404 as a case out of scope)."""
    form = FORMS.get(key)
    case = case_file.load_for_printing(viewer, reference) if form is not None else None
    if case is None or not form.printable(case):
        return None
    subject = form.subject(case)
    number = None
    if decision_made(form, subject):
        line = register.number_decision(form.key, case, subject, decision_day(subject).year, viewer)
        number = line.label
        case = case_file.load_for_printing(viewer, reference)  # numbering committed; read the case again for the print
        subject = form.subject(case)
    document = render(case, form, subject, number, viewer, now)
    changes = {"form": form.key, **({"number": number} if number else {})}
    record(db.session, "form_printed", entity="cases", entity_id=case.id, case_ref=case.reference,
           unit_path=case.unit.path, changes=changes)
    db.session.commit()
    return case, document

