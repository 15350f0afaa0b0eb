"""Referral pages: the boxes, one referral with what this person may do, the form that refers a case,
and the register of service providers. Each view loads within scope and calls one service."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.access import refuse, requires, scoped_providers, units_under
from app.cases import queries as case_queries
from app.cases.services import CaseRefused
from app.cases.views import _load, _show_refusal, place_refusal
from app.cases.views import labels as case_labels
from app.extensions import db
from app.forms import unit_choices
from app.input_guard import whole_number
from app.orm import utcnow
from app.referrals import queries, services, workflow
from app.referrals.forms import ProviderForm, ReasonForm, ReferralForm
from app.referrals.models import CONSENTS, PROVIDER_KINDS, Provider
from app.units.models import Unit
from app.units.services import find_unit

bp = Blueprint("referrals", __name__, template_folder="templates")


def labels() -> dict:
    return {**case_labels(), "referral_actions": {key: str(label) for key, label in workflow.ACTIONS.items()},
            "consents": CONSENTS, "provider_kinds": PROVIDER_KINDS}


@bp.route("/referrals/")
@requires("cases.read")
def index():
    box = request.args.get("box", "in")
    box = box if box in queries.BOXES else "in"
    status = request.args.get("status") if request.args.get("status") in workflow.STATUSES else None
    rows = queries.box_with_waiting(current_user, box, status)
    return render_template("referrals/index.html", rows=rows, box=box, status=status, now=utcnow(), **labels())


def _referral_or_404(number: int):
    referral = queries.get_referral(current_user, number)
    if referral is None:
        refuse(404, entity="referrals", entity_id=number)
    return referral


def _render(referral, form=None, status: int = 200, failure: str | None = None):
    """The referral; `failure` is said inside what the person can do, where they just acted."""
    readable = case_queries.get_case(current_user, referral.case.reference) is not None
    return render_template("referrals/show.html", referral=referral, form=form or ReasonForm(),
                           actions=services.allowed_actions(referral, current_user), case_readable=readable,
                           failure=failure, now=utcnow(), **labels()), status


@bp.route("/referrals/<int(max=2147483647):number>")
@requires("cases.read")
def show(number):
    return _render(_referral_or_404(number))


@bp.route("/referrals/<int(max=2147483647):number>/<any(" + ", ".join(workflow.ACTIONS) + "):action>", methods=["POST"])
@requires("cases.read")
def act(number, action):
    referral = _referral_or_404(number)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render(referral, form, 422, _("Check the fields marked below."))
    try:
        services.act(referral, current_user, action, form.reason.data)
    except CaseRefused as refusal:
        db.session.rollback()
        place_refusal(form, refusal)
        return _render(db.session.merge(referral), form, refusal.status, str(refusal))
    flash(_("Referral %(number)d of case %(reference)s: “%(action)s” done.", number=referral.id,
            reference=referral.case.reference, action=workflow.ACTIONS[action]), "success")
    # Explicitly to the top, where the message is: otherwise the browser keeps the form's own anchor.
    return redirect(url_for("referrals.show", number=referral.id, _anchor="content"))


def _referral_form(case) -> ReferralForm:
    form = ReferralForm()
    units, providers = services.offered_receivers(current_user)
    form.to_unit.choices = unit_choices(units, _("Choose…"))
    form.provider.choices = [SelectChoice("", _("None"))] + [SelectChoice(str(provider.id), provider.label)
                                                            for provider in providers]
    return form


def _request_from(form: ReferralForm) -> services.Request:
    unit = find_unit(form.to_unit.data, current_user.unit.edition) if form.to_unit.data else None
    provider_id = whole_number(form.provider.data)
    provider = db.session.get(Provider, provider_id) if provider_id else None
    return services.Request(to_unit=unit, provider=provider, reason=form.reason.data or "",
                            service=form.service.data, urgent=form.urgent.data, transfer=form.transfer.data,
                            consent=form.consent.data)


@bp.route("/cases/<reference>/refer", methods=["GET", "POST"])
@requires("referrals.send")
def create(reference):
    case = _load(reference)
    form = _referral_form(case)
    if form.validate_on_submit():
        request_ = _request_from(form)
        try:
            referral = services.refer(case, current_user, request_, send="draft" not in request.form)
        except CaseRefused as refusal:
            db.session.rollback()
            _show_refusal(form, refusal)
        else:
            message = {"draft": _("Referral %(number)d of case %(reference)s kept as a draft."),
                       "pending_approval": _("Referral %(number)d of case %(reference)s waits for a supervisor's "
                                             "approval."),
                       "sent": _("Referral %(number)d of case %(reference)s sent.")}[referral.status]
            flash(message % {"number": referral.id, "reference": case.reference}, "success")
            return redirect(url_for("referrals.show", number=referral.id))
    elif request.method == "POST":
        flash(_("Check the fields marked below."), "error")
    return render_template("referrals/new.html", case=case, form=form,
                           approving_level=services.approving_level(case.unit), **labels()), \
        422 if request.method == "POST" else 200


@bp.route("/providers/", methods=["GET", "POST"])
@requires("providers.manage")
def providers():
    form = ProviderForm()
    units = list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(units_under(current_user.unit)))
                                    .order_by(Unit.path)))
    form.unit.choices = unit_choices(units)
    if form.validate_on_submit():
        unit = next(unit for unit in units if unit.code == form.unit.data)
        try:
            provider = services.register_provider(unit, form.kind.data, form.name.data, form.contact.data)
        except CaseRefused as refusal:
            _show_refusal(form, refusal)
        else:
            flash(_("%(name)s added to the register.", name=provider.name), "success")
            return redirect(url_for("referrals.providers"))
    registered = list(db.session.scalars(scoped_providers(current_user).order_by(Provider.active.desc(),
                                                                                 Provider.name)))
    return render_template("referrals/providers.html", form=form, providers=registered, **labels()), \
        422 if request.method == "POST" else 200


@bp.route("/providers/<int(max=2147483647):number>/<any(activate, deactivate):change>", methods=["POST"])
@requires("providers.manage")
def change_provider(number, change):
    provider = db.session.scalar(scoped_providers(current_user).where(Provider.id == number))
    if provider is None:
        refuse(404, entity="providers", entity_id=number)
    services.offer_provider(provider, change == "activate")
    flash(_("%(name)s is in the register.", name=provider.name) if provider.active
          else _("%(name)s is no longer offered for referrals.", name=provider.name), "success")
    return redirect(url_for("referrals.providers"))
