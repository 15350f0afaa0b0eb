"""Attachments over the API (../shared/API.md, Attachments): the same services, scope, limits and trail as the
case page."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.access import record_refusal, requires
from app.api import bp
from app.api.cases import case_or_404
from app.api.errors import ApiError, error_response, json_body, number_argument
from app.attachments import services
from app.attachments.http import file_response
from app.attachments.limits import upload_route
from app.attachments.models import KINDS, SIGNED_FORMS
from app.attachments.page import decisions_of
from app.dates import OUT_OF_RANGE, in_range
from app.deadlines.services import local_zone
from app.extensions import db
from app.orm import utcnow

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
REFUSAL_CODES = {403: "forbidden", 409: "conflict", 410: "gone", 413: "too_large", 422: "invalid_fields"}


def attachment_json(attachment) -> dict:
    return {
        "id": attachment.id, "case": attachment.case.reference, "kind": attachment.kind,
        "content_type": attachment.media_type, "size": attachment.size, "sha256": attachment.stored_sha256,
        "original_sha256": attachment.original_sha256, "created_at": attachment.added_at.isoformat(),
        "created_by": attachment.added_by.username, "description": attachment.description,
        "made_on": attachment.made_on.isoformat(), "form": attachment.form,
        "decision": attachment.decision.label if attachment.decision else None,
        "pdf_has_script": attachment.pdf_has_script,
        "withdrawn_at": attachment.withdrawn_at.isoformat() if attachment.withdrawn_at else None,
        "withdrawn_by": attachment.withdrawn_by.username if attachment.withdrawn_by else None,
        "withdrawal_reason": attachment.withdrawal_reason,
        "download": url_for("api.download_attachment", number=attachment.id, _external=True),
    }


def _refused(refusal, reference: str):
    """A service's refusal in the API's error format; nothing was stored."""
    db.session.rollback()
    if refusal.status == 403:
        record_refusal(403, entity="cases", entity_id=reference)
    return error_response(refusal.status, REFUSAL_CODES.get(refusal.status, "invalid_fields"), str(refusal.message))


def _invalid(problems: dict):
    raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)


def _upload_fields(case) -> dict:
    """The multipart form's fields, read and checked; every problem in one 422."""
    problems: dict[str, list[str]] = {}
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        problems["file"] = [_("Send the file in the part named file.")]
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        problems["kind"] = [_("Expected one of: %(values)s.", values=", ".join(KINDS))]
    description = request.form.get("description", "").strip()
    made_on = utcnow().astimezone(local_zone()).date()
    if request.form.get("made_on"):
        try:
            made_on = date.fromisoformat(request.form["made_on"])
        except ValueError:
            problems["made_on"] = [_("Expected a date (YYYY-MM-DD).")]
        else:
            if not in_range(made_on):
                problems["made_on"] = [str(OUT_OF_RANGE)]
    form = request.form.get("form") or None
    if form is not None and form not in SIGNED_FORMS:
        problems["form"] = [_("Expected one of: %(values)s.", values=", ".join(SIGNED_FORMS))]
    decision = None
    if request.form.get("decision"):
        wanted = request.form["decision"].strip()
        decision = next((line for line in decisions_of(case) if wanted in (line.label, str(line.number))), None)
        if decision is None:
            problems["decision"] = [_("This case has no decision numbered %(number)s.", number=wanted)]
    if problems:
        _invalid(problems)
    if not description:
        # API.md lets a client leave it out; the case page then names the file by its kind and its name.
        with force_locale("vi"):
            description = f"{KINDS[kind]} ({upload.filename})"
    return {"stream": upload.stream, "filename": upload.filename, "kind": kind, "description": description,
            "made_on": made_on, "form": form, "decision": decision}


@bp.post("/cases/<reference>/attachments")
@upload_route
@requires("attachments.add")
def create_attachment(reference):
    case = case_or_404(reference)
    fields = _upload_fields(case)
    try:
        attachment = services.attach(current_user._get_current_object(), case, **fields)
    except services.AttachmentRefused as refusal:
        return _refused(refusal, reference)
    response = jsonify(attachment_json(attachment))
    response.status_code = 201
    response.headers["Location"] = url_for("api.download_attachment", number=attachment.id)
    return response


@bp.get("/cases/<reference>/attachments")
@requires("attachments.read")
def list_attachments(reference):
    """Newest first; withdrawn=true adds the withdrawn ones, held for those who read the trail (app/access.py)."""
    case = case_or_404(reference)
    problems: dict[str, list[str]] = {}
    limit = number_argument("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems)
    page = number_argument("page", 1, 1, 100_000, problems)
    withdrawn = request.args.get("withdrawn", "false")
    if withdrawn not in ("true", "false"):
        problems["withdrawn"] = [_("Expected one of: %(values)s.", values="true, false")]
    if problems:
        _invalid(problems)
    files = services.attachments_of(current_user, case, include_withdrawn=withdrawn == "true")
    shown = files[(page - 1) * limit:page * limit]
    next_url = None
    if len(files) > page * limit:
        arguments = {key: value for key, value in request.args.items() if key != "page"}
        next_url = url_for("api.list_attachments", reference=case.reference, page=page + 1, _external=True,
                           **arguments)
    return jsonify({"items": [attachment_json(item) for item in shown], "next": next_url})


@bp.get("/attachments/<int(max=2147483647):number>")
@requires("attachments.read")
def download_attachment(number):
    attachment = services.find(current_user, number)
    try:
        data = services.content(current_user, attachment)
    except services.AttachmentRefused as refusal:
        return _refused(refusal, attachment.case.reference)
    return file_response(attachment, data)


@bp.post("/attachments/<int(max=2147483647):number>/withdraw")
@requires("attachments.add")
def withdraw_attachment(number):
    attachment = services.find(current_user, number)
    payload = json_body({"reason": str})
    try:
        services.withdraw(current_user._get_current_object(), attachment, payload["reason"])
    except services.AttachmentRefused as refusal:
        return _refused(refusal, attachment.case.reference)
    return jsonify(attachment_json(attachment))
