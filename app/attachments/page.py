"""What the case page shows of a case's files: the files (with thumbnails), the upload form, and beside each
numbered decision (Mẫu 05, Mẫu 07) its signed scan or "not signed yet". The case page (app/cases/views.py) asks
for it; the upload view gives back a refused form to show."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.access import can, may_add_attachment
from app.attachments import services
from app.attachments.forms import AttachmentForm, WithdrawForm
from app.deadlines.services import local_zone
from app.documents.models import DecisionNumber
from app.extensions import db
from app.i18n import display_number
from app.input_guard import whole_number
from app.orm import utcnow

MEGABYTE = 1024 * 1024


def size_label(size: int) -> str:
    """A file's size as people read it: "350 KB", "2,4 MB"."""
    if size < MEGABYTE:
        return _("%(size)s KB", size=display_number(max(1, round(size / 1024))))
    megabytes = round(size / MEGABYTE, 1)
    return _("%(size)s MB", size=display_number(int(megabytes) if megabytes.is_integer() else megabytes))


def decision_label(line) -> str:
    return _("Decision no. %(number)s (%(form)s)", number=line.label, form=line.form.replace("mau-", "Mẫu "))


def decisions_of(case) -> list[DecisionNumber]:
    """The case's numbered decisions (Mẫu 05, Mẫu 07), in the order they were numbered."""
    return list(db.session.scalars(sa.select(DecisionNumber).where(DecisionNumber.case_id == case.id)
                                   .order_by(DecisionNumber.id)))


def upload_form(case, decisions: list, form: AttachmentForm | None = None) -> AttachmentForm:
    """The upload form: a refused one as sent, else a new one; asked from a decision's "attach the signed scan",
    that decision chosen."""
    if form is None:
        form = AttachmentForm(formdata=None)
        form.made_on.data = utcnow().astimezone(local_zone()).date()
        chosen = next((line for line in decisions if line.id == whole_number(request.args.get("signed"))), None)
        if chosen is not None:
            form.kind.data, form.decision.data = "signed_form", str(chosen.id)
            form.signed_form.data = chosen.form.removeprefix("mau-")
    most = size_label(current_app.config["ATTACHMENT_MAX_BYTES"])
    form.file.description = _("A photo (JPEG, PNG, HEIC) or a PDF scan, at most %(size)s. On a phone you may take "
                              "the photo now or choose one.", size=most)
    form.decision.choices = [SelectChoice("", _("None"))] + [SelectChoice(str(line.id), decision_label(line))
                                                             for line in decisions]
    return form


def on_case_page(case, viewer, form: AttachmentForm | None = None) -> dict:
    """The template's values for the case's files; nothing for a reader who may not see them."""
    if not can(viewer, "attachments.read"):
        return {"attachments": None}
    # Withdrawn files are in the reader's scope only for those who read the trail (app/access.py).
    shown = services.attachments_of(viewer, case, include_withdrawn=True)
    scans = {item.decision_id: item for item in shown if item.decision_id and not item.is_withdrawn}
    decisions = decisions_of(case)
    may_add = may_add_attachment(viewer, case)
    by_form: dict[str, list] = {}
    for line in decisions:
        by_form.setdefault(line.form, []).append((line, scans.get(line.id)))
    return {"attachments": shown, "signed_decisions": by_form, "may_attach": may_add,
            "attachment_form": upload_form(case, decisions, form) if may_add else None,
            "size_label": size_label, "decision_label": decision_label,
            "withdraw_form_for": lambda number: WithdrawForm(number, formdata=None)}
