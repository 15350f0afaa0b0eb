"""The audit trail for inspectors' scripts (../shared/API.md, Audit)."""
from datetime import date, datetime

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import requires
from app.api import bp
from app.api.errors import ApiError, number_argument
from app.audit import services
from app.audit.models import MAX_ENTRY_ID, AuditEntry
from app.audit.services import AuditFilter
from app.dates import OUT_OF_RANGE, in_range
from app.orm import utcnow
from app.reports.audit_extract import print_extract
from app.reports.http import download
from app.units.models import Unit

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _moment(name: str, problems: dict):
    value = request.args.get(name)
    if not value:
        return None
    try:
        moment = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        problems[name] = [_("Expected a date (YYYY-MM-DD) or a time in ISO 8601.")]
        return None
    if not in_range(moment):
        problems[name] = [str(OUT_OF_RANGE)]
        return None
    return moment


# Each filter's longest value: that of the column it is compared with.
FILTER_LENGTHS = {"actor": AuditEntry.actor.type.length, "unit": Unit.code.type.length,
                  "case": AuditEntry.case_ref.type.length, "action": AuditEntry.action.type.length}


def _text(name: str, problems: dict) -> str | None:
    value = request.args.get(name) or None
    if value and len(value) > FILTER_LENGTHS[name]:
        problems[name] = [_("At most %(count)d characters.", count=FILTER_LENGTHS[name])]
        return None
    return value


def _filters(problems: dict) -> AuditFilter:
    return AuditFilter(since=_moment("since", problems), until=_moment("until", problems),
                       actor=_text("actor", problems), unit=_text("unit", problems), case=_text("case", problems),
                       action=_text("action", problems))


@bp.get("/audit")
@requires("audit.read")
def audit_entries():
    problems: dict[str, list[str]] = {}
    filters = _filters(problems)
    limit = number_argument("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems)
    before = number_argument("before", None, 1, MAX_ENTRY_ID, problems)
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    entries, older = services.page(current_user, filters, before=before, limit=limit)
    services.record_reading("audit_view", filters)
    next_url = None
    if older is not None:
        arguments = {key: value for key, value in request.args.items() if key != "before"}
        next_url = url_for("api.audit_entries", before=older, _external=True, **arguments)
    return jsonify({"items": [services.as_dict(entry) for entry in entries], "next": next_url})


@bp.get("/audit/<int(max=9223372036854775807):entry_id>")
@requires("audit.read")
def audit_entry(entry_id):
    return jsonify(services.as_dict(services.open_entry(current_user, entry_id)))


@bp.get("/audit/verify")
@requires("audit.read")
def audit_verify():
    verdict = services.verify_chain()
    services.record_verification(verdict)
    return jsonify({"ok": verdict.ok, "entries": verdict.entries, "first_broken": verdict.first_broken})


@bp.get("/audit/extract.pdf")
@requires("audit.read")
def audit_extract():
    problems: dict[str, list[str]] = {}
    filters = _filters(problems)
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    return download(print_extract(current_user, filters, utcnow()), "application/pdf", "audit-extract.pdf")
