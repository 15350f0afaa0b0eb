"""Attachments from the case page: upload, thumbnail, download, withdrawal; and the province officer's totals.
Each view loads within scope and calls one service (app/attachments/services.py)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import record_refusal, requires
from app.attachments import services
from app.attachments.forms import AttachmentForm, WithdrawForm
from app.attachments.http import file_response
from app.attachments.limits import upload_route
from app.attachments.page import decisions_of, size_label, upload_form
from app.attachments.usage import usage_by_case
from app.cases.views import Failure, _load, _shown
from app.extensions import db
from app.input_guard import whole_number
from app.orm import reads_only

bp = Blueprint("attachments", __name__, template_folder="templates")
NUMBER = "<int(max=2147483647):number>"


def _refused(case, step: str, message: str, status: int = 422, **extra):
    """The case page again, with the form that was refused open at its place, as sent, saying why."""
    if status == 403:
        record_refusal(403, entity="cases", entity_id=case.reference)
    return _shown(case, failure=Failure(step, message), status=status, **extra)


@bp.route("/cases/<reference>/attachments", methods=["POST"])
@upload_route
@requires("attachments.add")
def upload(reference):
    case = _load(reference)
    user = current_user._get_current_object()
    decisions = decisions_of(case)
    form = upload_form(case, decisions, AttachmentForm())
    if not form.validate_on_submit():
        return _refused(case, "attach", _("Check the fields marked below."), attachment_form=form)
    decision = next((line for line in decisions if line.id == whole_number(form.decision.data)), None)
    try:
        attachment = services.attach(user, case, stream=form.file.data.stream, filename=form.file.data.filename,
                                     kind=form.kind.data, description=form.description.data,
                                     made_on=form.made_on.data, form=form.signed_form.data or None,
                                     decision=decision)
    except services.AttachmentRefused as refusal:
        db.session.rollback()
        return _refused(case, "attach", refusal.message, refusal.status, attachment_form=form)
    flash(_("Case %(reference)s: “%(description)s” is attached (%(size)s) and listed under Files and photos. It "
            "cannot be changed; if it is wrong, withdraw it and attach the right one.", reference=case.reference,
            description=attachment.description, size=size_label(attachment.size)), "success")
    if attachment.decision is not None:
        flash(_("The signed copy of decision no. %(number)s is now on record.", number=attachment.decision.label),
              "info")
    return redirect(url_for("cases.show", reference=case.reference, _anchor="content"))


@bp.route(f"/attachments/{NUMBER}")
@requires("attachments.read")
def download(number):
    attachment = services.find(current_user, number)
    try:
        data = services.content(current_user, attachment)
    except services.AttachmentRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(url_for("cases.show", reference=attachment.case.reference, _anchor="content"))
    return file_response(attachment, data)


@bp.route(f"/attachments/{NUMBER}/thumbnail")
@requires("attachments.read")
def thumbnail(number):
    """The small picture the case page shows; only of an image still on the list."""
    attachment = services.find(current_user, number)
    if not (attachment.may_show_inline and attachment.has_thumbnail):
        abort(404)
    try:
        data = services.content(current_user, attachment, thumbnail=True)
    except services.AttachmentRefused:
        db.session.rollback()
        abort(404)
    return file_response(attachment, data, thumbnail=True)


@bp.route(f"/attachments/{NUMBER}/withdraw", methods=["POST"])
@requires("attachments.add")
def withdraw(number):
    attachment = services.find(current_user, number)
    case = attachment.case
    form = WithdrawForm(number)
    step = f"withdraw-{number}"
    if not form.validate_on_submit():
        return _refused(case, step, _("Say why the file is withdrawn."), withdraw_form=form)
    try:
        services.withdraw(current_user._get_current_object(), attachment, form.reason.data)
    except services.AttachmentRefused as refusal:
        db.session.rollback()
        return _refused(case, step, refusal.message, refusal.status, withdraw_form=form)
    flash(_("Case %(reference)s: “%(description)s” is withdrawn. It no longer shows on the case; inspectors still see "
            "it, with your reason. Attach the right file if one is needed.", reference=case.reference,
            description=attachment.description), "success")
    return redirect(url_for("cases.show", reference=case.reference, _anchor="content"))


@bp.route("/attachments/usage")
@reads_only
@requires("attachments.usage")
def usage():
    """The space the files take, by unit and by case, for the province officer."""
    units = services.usage(current_user)
    cases = usage_by_case(current_user)
    return render_template("attachments/usage.html", units=units, cases=cases, size_label=size_label,
                           total_files=sum(row[2] for row in units), total_bytes=sum(row[3] for row in units))
