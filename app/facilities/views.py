"""Care facilities: the register, a facility's page, inspections. Thin: the rules are in app/facilities/services.py,
the scope in app/access.py."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import can, may_manage_facility, record_refusal, refuse, requires
from app.cases.models import EmergencyMeasure
from app.cases.queries import get_case
from app.cases.services import CaseRefused, NotAllowed
from app.extensions import db
from app.facilities import services
from app.facilities.checklist import CHECKLIST, KINDS, PLACEMENT_KINDS, RESULTS
from app.facilities.forms import EndPlacementForm, FacilityForm, FilterForm, PlacementForm, PlanForm, RecordForm
from app.facilities.models import Correction, Facility, Inspection, Placement
from app.input_guard import whole_number
from app.units.services import communes_under

bp = Blueprint("facilities", __name__, url_prefix="/facilities", template_folder="templates")


def labels() -> dict:
    return {"kinds": KINDS, "checklist": CHECKLIST, "results": RESULTS, "placement_kinds": PLACEMENT_KINDS}


def _facility(facility_id: int) -> Facility:
    facility = services.get_facility(current_user, facility_id)
    if facility is None:
        refuse(404, entity="facilities", entity_id=facility_id)
    return facility


def _managed(facility_id: int) -> Facility:
    facility = _facility(facility_id)
    if not may_manage_facility(current_user, facility):
        refuse(403, entity="facilities", entity_id=facility_id)
    return facility


def _show_problems(form, fields: dict[str, list[str]]) -> None:
    for name, messages in fields.items():
        target = getattr(form, name, None)
        if target is not None:
            target.errors = list(target.errors) + messages
        else:
            form.form_errors = list(form.form_errors) + messages


@bp.route("/")
@requires("facilities.read")
def index():
    form = FilterForm(request.args)
    form.validate()
    facilities = services.listing(current_user, form.kind.data)
    open_counts = dict(db.session.execute(
        sa.select(Inspection.facility_id, sa.func.count()).join(Correction)
        .where(Inspection.facility_id.in_([facility.id for facility in facilities]), Correction.done_on.is_(None))
        .group_by(Inspection.facility_id)).all())
    return render_template("facilities/index.html", form=form, facilities=facilities, open_counts=open_counts,
                           today=services.today(), may_register=can(current_user, "facilities.manage"), **labels())


def _details(form) -> services.Details:
    return services.Details(kind=form.kind.data or "", name=form.name.data or "", address=form.address.data or "",
                            capacity=form.capacity.data, licence_number=form.licence_number.data,
                            licence_issuer=form.licence_issuer.data, licence_issued_on=form.licence_issued_on.data,
                            licence_expires_on=form.licence_expires_on.data)


@bp.route("/new", methods=["GET", "POST"])
@requires("facilities.manage")
def create():
    form = FacilityForm()
    communes = communes_under(current_user.unit)
    form.unit.choices = [("", _("Choose…"))] + [(unit.code, unit.label) for unit in communes]
    if form.validate_on_submit():
        unit = next((unit for unit in communes if unit.code == form.unit.data), None)
        try:
            facility = services.register_facility(current_user, unit, _details(form))
        except services.FacilityRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        except NotAllowed as refusal:
            db.session.rollback()
            _show_problems(form, {"unit": [str(refusal)]})
        else:
            flash(_("The facility %(name)s is on the register.", name=facility.name), "success")
            return redirect(url_for("facilities.show", facility_id=facility.id))
    status = 422 if request.method == "POST" else 200
    return render_template("facilities/form.html", form=form, facility=None, **labels()), status


@bp.route("/<int(max=2147483647):facility_id>/edit", methods=["GET", "POST"])
@requires("facilities.manage")
def edit(facility_id):
    facility = _managed(facility_id)
    form = FacilityForm(obj=None if request.method == "POST" else facility)
    del form.unit
    status = 200
    if form.validate_on_submit():
        try:
            services.update_facility(current_user, facility, _details(form), whole_number(form.version.data or ""))
        except services.FacilityRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
            status = 422
        except services.FacilityChanged as refusal:
            db.session.rollback()
            db.session.refresh(facility)
            flash(str(refusal), "error")
            status = 409
        else:
            flash(_("The facility's details were saved."), "success")
            return redirect(url_for("facilities.show", facility_id=facility.id))
    elif request.method == "POST":
        status = 422
    return render_template("facilities/form.html", form=form, facility=facility, **labels()), status


@bp.route("/<int(max=2147483647):facility_id>")
@requires("facilities.read")
def show(facility_id):
    return _shown(_facility(facility_id))


def _shown(facility: Facility, status: int = 200, **forms):
    manages = may_manage_facility(current_user, facility)
    today = services.today()
    if manages:
        forms.setdefault("plan_form", _plan_form(facility, PlanForm(formdata=None, inspected_on=today)))
    if can(current_user, "facilities.place"):
        forms.setdefault("placement_form", PlacementForm(formdata=None, since=today))
        forms.setdefault("end_form", EndPlacementForm(formdata=None, until=today))
    placements, living = services.current_placements(current_user, facility)
    page = render_template("facilities/show.html", facility=facility, manages=manages, placements=placements,
                           living=living, open_corrections=services.open_corrections(facility), today=today,
                           **forms, **labels())
    services.record_views([facility])
    return page, status


def _plan_form(facility: Facility, form: PlanForm) -> PlanForm:
    recorded = [inspection for inspection in facility.inspections if inspection.is_recorded]
    form.follows_up.choices = [("", _("None: a first inspection"))] + [
        (str(inspection.id), _("the inspection of %(day)s", day=inspection.inspected_on.strftime("%d/%m/%Y")))
        for inspection in recorded]
    return form


@bp.route("/<int(max=2147483647):facility_id>/inspections", methods=["POST"])
@requires("facilities.manage")
def plan(facility_id):
    facility = _managed(facility_id)
    form = _plan_form(facility, PlanForm())
    if form.validate_on_submit():
        number = whole_number(form.follows_up.data or "")
        follows_up = next((inspection for inspection in facility.inspections if inspection.id == number), None)
        try:
            inspection = services.plan_inspection(current_user, facility, form.inspected_on.data, form.team.data,
                                                  follows_up)
        except services.FacilityRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        else:
            flash(_("The inspection of %(day)s is planned.", day=inspection.inspected_on.strftime("%d/%m/%Y")),
                  "success")
            return redirect(url_for("facilities.inspection", number=inspection.id))
    return _shown(facility, 422, plan_form=form)


def _inspection(number: int) -> Inspection:
    inspection = db.session.get(Inspection, number)
    if inspection is None or services.get_facility(current_user, inspection.facility_id) is None:
        refuse(404, entity="facility_inspections", entity_id=number)
    return inspection


@bp.route("/inspections/<int(max=2147483647):number>", methods=["GET", "POST"])
@requires("facilities.read")
def inspection(number):
    inspection = _inspection(number)
    facility = inspection.facility
    manages = may_manage_facility(current_user, facility)
    form = None
    status = 200
    if manages and not inspection.is_recorded:
        form = RecordForm(version=inspection.version) if request.method == "GET" else RecordForm()
        followed = inspection.follows_up.corrections if inspection.follows_up else []
        form.resolved.choices = [(correction.id, correction.description) for correction in followed
                                 if correction.done_on is None]
        if request.method == "POST":
            status = _record(inspection, form)
            if status == 302:
                flash(_("The inspection's findings were recorded."), "success")
                return redirect(url_for("facilities.show", facility_id=facility.id))
    elif request.method == "POST":
        refuse(403, entity="facility_inspections", entity_id=number)
    page = render_template("facilities/inspection.html", inspection=inspection, facility=facility, form=form,
                           today=services.today(), **labels())
    services.record_views([facility])
    return page, status


def _record(inspection: Inspection, form: RecordForm) -> int:
    if not form.validate_on_submit():
        return 422
    findings = {key: form.checklist[key].data for key in CHECKLIST}
    corrections = [services.NewCorrection(entry.what.data or "", entry.due_on.data)
                   for entry in form.corrections if (entry.what.data or "").strip() or entry.due_on.data]
    try:
        services.record_inspection(current_user, inspection, findings, form.violations.data, corrections,
                                   form.resolved.data or [], whole_number(form.version.data or ""))
    except services.FacilityRefused as refusal:
        db.session.rollback()
        _show_problems(form, refusal.fields)
        return 422
    except services.FacilityChanged as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return 409
    return 302


@bp.route("/<int(max=2147483647):facility_id>/placements", methods=["POST"])
@requires("facilities.place")
def place(facility_id):
    facility = _facility(facility_id)
    form = PlacementForm()
    if form.validate_on_submit():
        case = get_case(current_user, (form.case.data or "").strip())
        if case is None:
            _show_problems(form, {"case": [_("No case with this reference in your area.")]})
        else:
            measure = db.session.scalar(sa.select(EmergencyMeasure).where(
                EmergencyMeasure.case_id == case.id, EmergencyMeasure.isolation,
                EmergencyMeasure.isolation_status == "decided").order_by(EmergencyMeasure.taken_at.desc()).limit(1))
            try:
                services.place_child(current_user, facility, case.child, form.kind.data, form.since.data, case,
                                     measure if form.kind.data == "isolation" else None)
            except services.FacilityRefused as refusal:
                db.session.rollback()
                _show_problems(form, refusal.fields)
            except NotAllowed as refusal:
                db.session.rollback()
                _show_problems(form, {"case": [str(refusal)]})
            else:
                flash(_("The child's stay at the facility was recorded."), "success")
                return redirect(url_for("facilities.show", facility_id=facility.id))
    return _shown(facility, 422, placement_form=form)


@bp.route("/placements/<int(max=2147483647):number>/end", methods=["POST"])
@requires("facilities.place")
def end_placement(number):
    placement = db.session.get(Placement, number)
    if placement is None or services.get_facility(current_user, placement.facility_id) is None:
        refuse(404, entity="facility_placements", entity_id=number)
    form = EndPlacementForm()
    if form.validate_on_submit():
        try:
            services.end_placement(current_user, placement, form.until.data)
        except (services.FacilityRefused, NotAllowed) as refusal:
            db.session.rollback()
            message = " ".join(sum(refusal.fields.values(), [])) if isinstance(
                refusal, services.FacilityRefused) else str(refusal)
            flash(message, "error")
        else:
            flash(_("The child's leaving was recorded."), "success")
    else:
        flash(_("Give the day the child left."), "error")
    return redirect(url_for("facilities.show", facility_id=placement.facility_id))


@bp.route("/escalations/<int(max=2147483647):number>/acknowledge", methods=["POST"])
@requires("facilities.escalations")
def acknowledge(number):
    escalation = services.get_escalation(current_user, number)
    if escalation is None:
        refuse(404, entity="facility_correction_escalations", entity_id=number)
    try:
        services.acknowledge(current_user, escalation)
    except CaseRefused as refusal:
        db.session.rollback()
        if refusal.status == 403:
            record_refusal(403, entity="facility_correction_escalations", entity_id=number)
        flash(str(refusal), "error")
    else:
        flash(_("You acknowledged that the facility %(facility)s has not made a correction in time; it is yours to "
                "follow up.", facility=escalation.correction.inspection.facility.name), "success")
    return redirect(url_for("facilities.show", facility_id=escalation.correction.inspection.facility_id,
                            _anchor=f"correction-{escalation.correction_id}"))
