"""Reporting pages: the rounds and the next duty, a round's board, a report (write, send, review), documents."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import (may_acknowledge_report_escalation, may_define_rounds, may_keep_departments, may_prepare_report,
                        may_review_report, record_refusal, refuse, requires)
from app.cases.services import CaseRefused
from app.extensions import db
from app.orm import utcnow
from app.reporting import documents, figures, services
from app.reporting.forms import DepartmentForm, ReportForm, RoundForm
from app.reporting.models import SECTION_LABELS, SECTIONS
from app.reports.http import download
from app.units.services import edition_has_districts

bp = Blueprint("reporting", __name__, template_folder="templates", url_prefix="/reporting")
ID = "int(max=2147483647)"


def _refused(refusal: CaseRefused, entity: str, number: int) -> None:
    db.session.rollback()
    if refusal.status == 403:
        record_refusal(403, entity=entity, entity_id=number)
    flash(str(refusal), "error")


@bp.route("/")
@requires("reporting.read")
def index():
    now = utcnow()
    return render_template("reporting/index.html", rounds=services.rounds_for(current_user),
                           duties=services.duties_for(current_user, now), now=now,
                           may_define=may_define_rounds(current_user),
                           may_keep_departments=may_keep_departments(current_user))


@bp.route("/rounds/new", methods=["GET", "POST"])
@requires("reporting.rounds")
def new_round():
    departments = services.departments_of(current_user, only_active=True)
    form = RoundForm(data=None if request.method == "POST" else {"departments": [d.id for d in departments]})
    form.departments.choices = [(department.id, department.name) for department in departments]
    has_districts = edition_has_districts(current_user.unit.edition)
    status = 200
    if form.validate_on_submit():
        try:
            round_ = services.create_round(current_user, form.kind.data, form.period_start.data, form.period_end.data,
                                           form.due_on.data, form.consolidation_due_on.data, form.recurrence.data,
                                           communes=form.communes.data, districts=has_districts and form.districts.data,
                                           departments=form.departments.data)
        except CaseRefused as refusal:
            db.session.rollback()
            for name, messages in refusal.fields.items():
                getattr(form, name).errors = list(messages)
            flash(str(refusal), "error")
            status = refusal.status
        else:
            flash(_("Round set: %(title)s. Every unit and department it asks has its report to prepare.",
                    title=round_.title), "success")
            return redirect(url_for("reporting.round_board", number=round_.id))
    elif form.is_submitted():
        status = 422
    return render_template("reporting/round_form.html", form=form, has_districts=has_districts), status


@bp.route("/departments", methods=["GET", "POST"])
@requires("reporting.rounds")
def departments():
    """The province's departments and agencies that report (the plan's section III)."""
    if not may_keep_departments(current_user):
        refuse(403)
    form = DepartmentForm()
    status = 200
    if form.validate_on_submit():
        try:
            department = services.add_department(current_user, form.name.data)
        except CaseRefused as refusal:
            db.session.rollback()
            for name, messages in refusal.fields.items():
                getattr(form, name).errors = list(messages)
            flash(str(refusal), "error")
            status = refusal.status
        else:
            flash(_("%(name)s added: the next rounds ask it for its report.", name=department.name), "success")
            return redirect(url_for("reporting.departments"))
    elif form.is_submitted():
        status = 422
    return render_template("reporting/departments.html", form=form,
                           departments=services.departments_of(current_user)), status


@bp.route(f"/departments/<{ID}:number>/active", methods=["POST"])
@requires("reporting.rounds")
def department_active(number):
    department = services.get_department(current_user, number)
    if department is None or not may_keep_departments(current_user):
        refuse(404, entity="departments", entity_id=number)
    active = request.form.get("active") == "yes"
    try:
        services.set_department_active(current_user, department, active)
    except CaseRefused as refusal:
        _refused(refusal, "departments", number)
    else:
        flash(_("%(name)s is asked for its report again from the next round.", name=department.name) if active
              else _("%(name)s is no longer asked for reports; its past reports stay.", name=department.name),
              "success")
    return redirect(url_for("reporting.departments"))


@bp.route(f"/rounds/<{ID}:number>")
@requires("reporting.read")
def round_board(number):
    round_ = services.get_round(current_user, number)
    if round_ is None:
        refuse(404, entity="report_rounds", entity_id=number)
    now = utcnow()
    return render_template("reporting/board.html", round=round_, board=services.board(current_user, round_, now),
                           now=now, may_define=may_define_rounds(current_user),
                           following=services.next_round(round_), next_dates=services.next_dates(round_))


@bp.route(f"/rounds/<{ID}:number>/repeat", methods=["POST"])
@requires("reporting.rounds")
def repeat(number):
    round_ = services.get_round(current_user, number)
    if round_ is None:
        refuse(404, entity="report_rounds", entity_id=number)
    try:
        following = services.repeat_round(current_user, round_)
    except CaseRefused as refusal:
        _refused(refusal, "report_rounds", number)
        return redirect(url_for("reporting.round_board", number=number))
    flash(_("Round set: %(title)s. Every unit and department it asks has its report to prepare.",
            title=following.title), "success")
    return redirect(url_for("reporting.round_board", number=following.id))


def _load(number):
    report = services.get_report(current_user, number)
    if report is None:
        refuse(404, entity="unit_reports", entity_id=number)
    return report


def _page(report, form=None, status=200):
    now = utcnow()
    form = form or ReportForm(data={**report.sections, "number": report.number, "signer_name": report.signer_name,
                                    "signer_title": report.signer_title})
    return render_template("reporting/report.html", report=report, form=form.for_reporter(report), now=now,
                           sections=[(key, SECTION_LABELS[key]) for key in SECTIONS[report.round.kind]],
                           figures=services.current_figures(current_user, report, now),
                           group_label=figures.group_label,
                           parts=services.parts_of(report) if services.consolidates(report) else [],
                           department_parts=services.department_parts_of(report),
                           may_prepare=may_prepare_report(current_user, report),
                           may_review=may_review_report(current_user, report)), status


@bp.route(f"/<{ID}:number>", methods=["GET", "POST"])
@requires("reporting.read")
def show(number):
    report = _load(number)
    if request.method == "GET":
        return _page(report)
    form = ReportForm()
    sections = {key: getattr(form, key).data for key in SECTIONS[report.round.kind]}
    details = {"number": form.number.data, "signer_name": form.signer_name.data,
               "signer_title": form.signer_title.data}
    sending = bool(form.send.data)
    try:
        if sending:
            services.submit(current_user, report, sections, **details)
        else:
            services.save_draft(current_user, report, sections, **details)
    except CaseRefused as refusal:
        db.session.rollback()
        if refusal.status == 403:
            record_refusal(403, entity="unit_reports", entity_id=number)
        for name, messages in refusal.fields.items():
            getattr(form, name).errors = list(messages)
        flash(str(refusal), "error")
        return _page(_load(number), form, refusal.status)
    if sending:
        flash(_("Report sent to %(unit)s. Its figures are kept as they are now.",
                unit=report.unit.name if report.department_id else report.unit.parent.name if report.unit.parent
                else _("the provincial People's Committee")),
              "success")
    else:
        flash(_("Draft saved. It is not sent yet."), "success")
    return redirect(url_for("reporting.show", number=number))


@bp.route(f"/<{ID}:number>/return", methods=["POST"])
@requires("reporting.review")
def send_back(number):
    report = _load(number)
    try:
        services.return_report(current_user, report, request.form.get("reason", ""))
    except CaseRefused as refusal:
        _refused(refusal, "unit_reports", number)
    else:
        flash(_("Report of %(unit)s returned with your reason; it is due again.", unit=report.reporter_name), "success")
    return redirect(url_for("reporting.show", number=number))


@bp.route(f"/<{ID}:number>/accept", methods=["POST"])
@requires("reporting.review")
def accept(number):
    report = _load(number)
    try:
        services.accept(current_user, report)
    except CaseRefused as refusal:
        _refused(refusal, "unit_reports", number)
    else:
        flash(_("Report of %(unit)s accepted; its figures count in your consolidated report.",
                unit=report.reporter_name), "success")
    return redirect(url_for("reporting.show", number=number))


@bp.route(f"/<{ID}:number>/comment", methods=["POST"])
@requires("reporting.read")
def comment(number):
    report = _load(number)
    try:
        services.comment(current_user, report, request.form.get("body", ""))
    except CaseRefused as refusal:
        _refused(refusal, "unit_reports", number)
    else:
        flash(_("Comment added."), "success")
    return redirect(url_for("reporting.show", number=number) + "#comments")


@bp.route(f"/<{ID}:number>.<any(pdf, xlsx):fmt>")
@requires("reporting.read")
def document(number, fmt):
    report = _load(number)
    # A department's report has no figures to export.
    if report.submitted_at is None or (fmt == "xlsx" and report.department_id is not None):
        refuse(404, entity="unit_reports", entity_id=number)
    data = documents.export(report, fmt, current_user, utcnow())
    mimetype = ("application/pdf" if fmt == "pdf"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return download(data, mimetype, f"bao-cao-{report.id}.{fmt}", inline=fmt == "pdf")


@bp.route(f"/escalations/<{ID}:number>/acknowledge", methods=["POST"])
@requires("reporting.review")
def acknowledge(number):
    escalation = services.get_escalation(current_user, number)
    if escalation is None or not may_acknowledge_report_escalation(current_user, escalation):
        refuse(404, entity="unit_report_escalations", entity_id=number)
    try:
        services.acknowledge(current_user, escalation)
    except CaseRefused as refusal:
        _refused(refusal, "unit_report_escalations", number)
    else:
        flash(_("You acknowledged that %(unit)s has not sent its report; it is yours to follow up.",
                unit=escalation.report.reporter_name), "success")
    return redirect(url_for("reporting.index"))
