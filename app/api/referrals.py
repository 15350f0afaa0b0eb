"""Referrals and escalations over the API (../shared/API.md): the same services and scope as the pages."""
from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import refuse, requires
from app.api import bp
from app.api.cases import Fields, case_or_404
from app.api.errors import ApiError, json_body, number_argument
from app.escalations import services as escalation_services
from app.escalations.models import Escalation
from app.extensions import db
from app.referrals import queries, services, workflow
from app.referrals.models import Provider, Referral
from app.units.services import find_unit

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _moment(value):
    return value.isoformat() if value else None


def referral_json(referral: Referral) -> dict:
    return {
        "id": referral.id, "case": referral.case.reference, "from_unit": referral.from_unit.code,
        "to_unit": referral.to_unit.code if referral.to_unit else None,
        "provider": None if referral.provider is None else {"id": referral.provider.id, "name": referral.provider.name,
                                                            "kind": referral.provider.kind},
        "receiving_unit": referral.receiving_unit.code, "status": referral.status, "urgent": referral.urgent,
        "transfer": referral.transfer, "reason": referral.reason, "service": referral.service,
        "consent": referral.consent, "approval_needed": referral.approval_needed,
        "approval_due_at": _moment(referral.approval_due_at), "approved_at": _moment(referral.approved_at),
        "approved_by": referral.approved_by.username if referral.approved_by else None,
        "sent_at": _moment(referral.sent_at), "answer_due_at": _moment(referral.answer_due_at),
        "answered_at": _moment(referral.answered_at), "completed_at": _moment(referral.completed_at),
        "closing_reason": referral.closing_reason, "created_at": _moment(referral.created_at),
        "updated_at": _moment(referral.updated_at), "version": referral.version,
    }


def escalation_json(escalation: Escalation) -> dict:
    return {
        "id": escalation.id, "case": escalation.case.reference, "from_unit": escalation.from_unit.code,
        "to_unit": escalation.to_unit.code, "reason": escalation.reason,
        "explanation": escalation.explanation, "automatic": escalation.automatic,
        "level": escalation.level, "raised_at": _moment(escalation.raised_at),
        "acknowledged_at": _moment(escalation.acknowledged_at),
        "acknowledged_by": escalation.acknowledged_by.username if escalation.acknowledged_by else None,
    }


def _limit_and_offset() -> tuple[int, int]:
    problems: dict[str, list[str]] = {}
    limit = number_argument("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems)
    offset = number_argument("offset", 0, 0, 10_000_000, problems)
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    return limit, offset


def _next(endpoint: str, offset: int, limit: int, more: bool) -> str | None:
    if not more:
        return None
    arguments = {key: value for key, value in request.args.items() if key != "offset"}
    return url_for(endpoint, offset=offset + limit, _external=True, **arguments)


@bp.post("/cases/<reference>/referrals")
@requires("cases.read")
def create_referral(reference):
    case = case_or_404(reference)
    fields = Fields(json_body({}))
    code, provider_id = fields.text("to_unit"), fields.whole("provider")
    referral_request = services.Request(reason=fields.text("reason") or "", service=fields.text("service"),
                                        urgent=fields.flag("urgent"), transfer=fields.flag("transfer"),
                                        consent=fields.text("consent") or "not_recorded")
    draft = fields.flag("draft")
    fields.check()
    problems = {}
    if code is not None:
        referral_request.to_unit = find_unit(code)
        if referral_request.to_unit is None:
            problems["to_unit"] = [_("There is no such unit.")]
    if provider_id is not None:
        referral_request.provider = db.session.get(Provider, provider_id)
        if referral_request.provider is None:
            problems["provider"] = [_("There is no such provider.")]
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    referral = services.refer(case, current_user, referral_request, send=not draft)
    return jsonify(referral_json(referral)), 201


@bp.get("/referrals")
@requires("cases.read")
def list_referrals():
    box = request.args.get("box", "in")
    status = request.args.get("status") or None
    problems = {}
    if box not in queries.BOXES:
        problems["box"] = [_("Expected one of: %(choices)s.", choices=", ".join(queries.BOXES))]
    if status is not None and status not in workflow.STATUSES:
        problems["status"] = [_("Expected one of: %(choices)s.", choices=", ".join(workflow.STATUSES))]
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    limit, offset = _limit_and_offset()
    items = queries.box(current_user, box, status, limit=limit + 1, offset=offset)
    return jsonify({"items": [referral_json(referral) for referral in items[:limit]],
                    "next": _next("api.list_referrals", offset, limit, len(items) > limit)})


def _referral_or_404(number: int) -> Referral:
    referral = queries.get_referral(current_user, number)
    if referral is None:
        refuse(404, entity="referrals", entity_id=number)
    return referral


@bp.get("/referrals/<int(max=2147483647):number>")
@requires("cases.read")
def get_referral(number):
    return jsonify(referral_json(_referral_or_404(number)))


ACTION_RULE = "<any(" + ", ".join(f'"{action}"' for action in workflow.ACTIONS) + "):action>"


@bp.post("/referrals/<int(max=2147483647):number>/" + ACTION_RULE)
@requires("cases.read")
def referral_action(number, action):
    referral = _referral_or_404(number)
    fields = Fields(json_body({}) if request.get_data() else {})
    reason = fields.text("reason")
    fields.check()
    services.act(referral, current_user, action, reason)
    return jsonify(referral_json(referral))


@bp.post("/cases/<reference>/escalations")
@requires("cases.read")
def create_escalation(reference):
    case = case_or_404(reference)
    fields = Fields(json_body({}))
    reason = fields.text("reason", required=True)
    fields.check()
    escalation = escalation_services.raise_by_hand(case, current_user, reason)
    return jsonify(escalation_json(escalation)), 201


@bp.get("/escalations")
@requires("cases.read")
def list_escalations():
    only_open = request.args.get("open", "false")
    if only_open not in ("true", "false"):
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."),
                       {"open": [_("Expected %(kind)s.", kind=_("true or false"))]})
    limit, offset = _limit_and_offset()
    items = escalation_services.listing(current_user, only_open == "true", limit=limit + 1, offset=offset)
    return jsonify({"items": [escalation_json(escalation) for escalation in items[:limit]],
                    "next": _next("api.list_escalations", offset, limit, len(items) > limit)})


@bp.post("/escalations/<int(max=2147483647):number>/acknowledge")
@requires("cases.read")
def acknowledge_escalation(number):
    escalation = escalation_services.get_escalation(current_user, number)
    if escalation is None:
        refuse(404, entity="escalations", entity_id=number)
    fields = Fields(json_body({}) if request.get_data() else {})
    note = fields.text("note")
    fields.check()
    escalation_services.acknowledge(escalation, current_user, note)
    return jsonify(escalation_json(escalation))
