"""Escalation pages: the open list of the person's unit and below, raising a case by hand, acknowledging."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import may_acknowledge, record_refusal, refuse, requires
from app.cases.services import CaseRefused
from app.cases.views import Failure, _load, _shown
from app.escalations import services
from app.extensions import db

bp = Blueprint("escalations", __name__, template_folder="templates")


@bp.route("/escalations/")
@requires("cases.read")
def index():
    only_open = request.args.get("all") != "1"
    escalations = services.listing(current_user, only_open, limit=200)
    return render_template("escalations/index.html", escalations=escalations, only_open=only_open,
                           may_acknowledge=lambda escalation: may_acknowledge(current_user, escalation))


@bp.route("/escalations/<int(max=2147483647):number>/acknowledge", methods=["POST"])
@requires("escalations.raise")
def acknowledge(number):
    escalation = services.get_escalation(current_user, number)
    if escalation is None:
        refuse(404, entity="escalations", entity_id=number)
    try:
        services.acknowledge(escalation, current_user, request.form.get("note"))
    except CaseRefused as refusal:
        db.session.rollback()
        if refusal.status == 403:
            record_refusal(403, entity="escalations", entity_id=number)
        flash(str(refusal), "error")
    else:
        flash(_("You acknowledged the escalation of case %(reference)s; it is yours to follow up.",
                reference=escalation.case.reference), "success")
    return redirect(url_for("escalations.index"))


@bp.route("/cases/<reference>/escalate", methods=["POST"])
@requires("escalations.raise")
def escalate(reference):
    """Refused, the case page comes back with the form open at the escalation, as typed, saying why; done, the
    page opens at its top with what happened and who takes it now."""
    case = _load(reference)
    reason = request.form.get("reason", "")
    try:
        escalation = services.raise_by_hand(case, current_user, reason)
    except CaseRefused as refusal:
        db.session.rollback()
        if refusal.status == 403:
            record_refusal(403, entity="cases", entity_id=reference)
        unplaced = [message for name, messages in refusal.fields.items() if name != "reason" for message in messages]
        return _shown(case, failure=Failure("escalate", str(refusal), unplaced, refusal.fields),
                      status=refusal.status, escalation_reason=reason)
    flash(_("Case %(reference)s escalated to %(unit)s; it stays on their list until someone there acknowledges "
            "it.", reference=case.reference, unit=escalation.to_unit.name), "success")
    return redirect(url_for("cases.show", reference=case.reference, _anchor="content"))
