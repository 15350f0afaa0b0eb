"""Case pages: the list, intake, the case page and its steps. Each view loads within scope, reads its form
and calls one service; the rules are in services.py."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from app.access import record_refusal, refuse, requires, scoped_children
from app.audit.models import MAX_ENTRY_ID
from app.cases import checklist, queries, services, workflow
from app.cases.forms import (AssessmentForm, CaseFilterForm, ClosureForm, DetailForm, EditForm, EmergencyForm,
                             EndIsolationForm, IntakeForm, PlanForm, ReasonForm, ReviewForm, TimelineForm,
                             VersionedForm)
from app.cases.history import history_items
from app.cases.models import (CATEGORIES, CLOSURE_REASONS, DEADLINES, REVIEW_CRITERIA, RISK_LEVELS, SOURCES,
                              TIMELINE_KINDS, Case)
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Child
from app.children.services import probable_duplicates
from app.deadlines.services import local_zone
from app.extensions import db
from app.forms import person_choices
from app.input_guard import whole_number
from app.orm import reads_only, utcnow
from app.referrals.workflow import STATUSES as REFERRAL_STATUSES
from app.units.services import communes_of_province, find_unit
from app.users.services import active_workers

bp = Blueprint("cases", __name__, url_prefix="/cases", template_folder="templates")
# A phone's screenful or two; it also halves the list's cost per request (bench/README.md).
PER_PAGE = 25
LABEL_TABLES = {"statuses": workflow.STATUSES, "referral_statuses": REFERRAL_STATUSES,
                "action_labels": workflow.ACTIONS, "categories": CATEGORIES,
                "sources": SOURCES, "risks": RISK_LEVELS, "closure_reasons": CLOSURE_REASONS, "kinds": TIMELINE_KINDS,
                "criteria": REVIEW_CRITERIA, "sexes": SEXES, "groups": SPECIAL_CIRCUMSTANCES, "deadlines": DEADLINES}


def labels() -> dict:
    """The label tables in the reader's language, translated once per language and process, not once per row
    (nor once per request: eighty translations cost a list page half a millisecond)."""
    return _labels_in(str(get_locale()))


@lru_cache(maxsize=None)
def _labels_in(locale: str) -> dict:
    with force_locale(locale):
        tables = {name: {key: str(label) for key, label in table.items()} for name, table in LABEL_TABLES.items()}
        tables["questions"] = {key: (weight, str(label)) for key, (weight, label) in checklist.QUESTIONS.items()}
    return tables


def _aware(moment: datetime | None) -> datetime | None:
    """A time typed in a form is local time."""
    return moment.replace(tzinfo=local_zone()) if moment else None


def _version(form: VersionedForm) -> int | None:
    return whole_number(form.version.data)


def _load(reference: str) -> Case:
    case = queries.get_case(current_user, reference)
    if case is None:
        refuse(404, entity="cases", entity_id=reference)
    return case


@bp.route("/")
@reads_only
@requires("cases.read")
def index():
    filters, fields = _filters(str(get_locale()), tuple(item for item in request.args.items(multi=True)
                                                        if item[0] != "page"))
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    now = utcnow()
    cases = queries.rows_of(current_user, filters, now, page, PER_PAGE)
    arguments = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("cases/index.html", fields=fields, cases=cases, now=now, arguments=arguments,
                           **labels())


@lru_cache(maxsize=256)
def _filters(locale: str, query: tuple) -> tuple[queries.CaseFilter, Markup]:
    """The list's filters read from the query, and their fields as HTML, remembered: they depend only on the
    language and the query, and WTForms took longer to read and render them than the database took to find the
    page."""
    form = CaseFilterForm(MultiDict(query))
    if query:
        form.validate()
    filters = queries.CaseFilter(status=form.status.data or None, category=form.category.data or None,
                                 risk=form.risk.data or None, unit=form.unit.data or None,
                                 worker=form.worker.data or None, overdue=bool(form.overdue.data),
                                 open=bool(form.open.data), received_from=form.received_from.data,
                                 received_to=form.received_to.data, q=form.q.data or None,
                                 sort=form.sort.data or "received")
    return filters, Markup(render_template("cases/_filters.html", form=form))


def _report_from(form) -> services.Report:
    return services.Report(
        source=form.source.data or "", received_at=_aware(form.received_at.data),
        categories=form.categories.data or [], description=form.description.data or "",
        immediate_danger=bool(form.immediate_danger.data), reporter_name=form.reporter_name.data,
        reporter_contact=form.reporter_contact.data, reporter_may_be_named=bool(form.reporter_may_be_named.data),
        place=form.place.data, action_taken=form.action_taken.data)


def _show_refusal(form, refusal: services.CaseRefused) -> None:
    if refusal.status == 403:
        record_refusal(403)
    flash(str(refusal), "error")
    for name, messages in refusal.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + messages


@bp.route("/new", methods=["GET", "POST"])
@requires("cases.create")
def create():
    """Intake. When a probable duplicate child is found, the worker chooses: this child, or a new one."""
    form = IntakeForm()
    form.address_unit.choices = [SelectChoice(unit.code, unit.label)
                                 for unit in communes_of_province(current_user.unit)]
    if request.method == "GET":
        form.received_at.data = utcnow().astimezone(local_zone()).replace(second=0, microsecond=0, tzinfo=None)
        form.address_unit.data = current_user.unit.code
    duplicates, elsewhere = [], 0
    if form.validate_on_submit():
        details = form.details(find_unit(form.address_unit.data) if form.address_unit.data else None)
        choice = form.child_choice.data
        if not choice:
            duplicates, elsewhere = probable_duplicates(details, services.province_of(current_user.unit),
                                                        scoped_children(current_user))
        if not duplicates and not elsewhere:
            child = None
            if choice and choice != "new":
                child_id = whole_number(choice)
                child = db.session.scalar(scoped_children(current_user).where(Child.id == child_id)) \
                    if child_id else None
            try:
                case = services.open_case(current_user, current_user.unit, _report_from(form), child=child,
                                          child_details=None if child else details)
            except services.CaseRefused as refusal:
                db.session.rollback()
                _show_refusal(form, refusal)
            else:
                flash(_("Case %(reference)s opened. Assess the child's safety within 12 hours.",
                        reference=case.reference), "success")
                return redirect(url_for("cases.show", reference=case.reference))
    return render_template("cases/new.html", form=form, duplicates=duplicates, elsewhere=elsewhere, **labels())


def _forms_for(case: Case) -> dict:
    version = {"version": case.version}
    now_local = utcnow().astimezone(local_zone()).replace(second=0, microsecond=0, tzinfo=None)
    plan = case.current_plan
    plan_data = {"goals": plan.goals, "actions": [{"description": a.description, "responsible": a.responsible,
                                                  "due_date": a.due_date} for a in plan.actions]} if plan else {}
    return {
        "edit": EditForm(data={**version, "description": case.description, "place": case.place,
                               "action_taken": case.action_taken, "immediate_danger": case.immediate_danger,
                               "categories": case.categories,
                               "assigned_worker": case.assigned_worker.username if case.assigned_worker else ""}),
        "assess": AssessmentForm(data=version),
        "detail": DetailForm(data=version),
        "emergency": EmergencyForm(data={**version, "taken_at": now_local}),
        "end_isolation": EndIsolationForm(data={**version, "ended_on": now_local.date()}),
        "plan": PlanForm(data={**version, **plan_data}),
        "reason": ReasonForm(data=version),
        "log": TimelineForm(data={"occurred_at": now_local}),
        "review": ReviewForm(data=version),
        "closure": ClosureForm(data=version),
        "confirm": VersionedForm(data=version),
    }


def _shown(case: Case, forms: dict | None = None, changes=None, status: int = 200):
    """The case page. Every showing of it is a reading of the child's file, and so goes in the trail."""
    all_forms = _forms_for(case)
    all_forms.update(forms or {})
    all_forms["edit"].assigned_worker.choices = person_choices(active_workers(case.unit), _("Choose…"))
    page = render_template("cases/show.html", case=case, now=utcnow(), forms=all_forms, changes=changes,
                           actions=workflow.actions_for(case.status, current_user.role), **labels())
    services.record_view(case)
    return page, status


@bp.route("/<reference>")
@requires("cases.read")
def show(reference):
    return _shown(_load(reference))


@bp.route("/<reference>/history")
@requires("cases.read")
def history(reference):
    """The changes to the case and its parts, newest first; views and exports are only in the full trail."""
    case = _load(reference)
    before = request.args.get("before", type=int)
    rows, older = queries.history(current_user, case.reference, before if before and before <= MAX_ENTRY_ID else None)
    page = render_template("cases/history.html", case=case, entries=history_items(rows), older=older)
    services.record_view(case)
    return page


STEP_FORMS = {"edit": ("edit", EditForm), "assess": ("assess", AssessmentForm), "detail": ("detail", DetailForm),
              "emergency": ("emergency", EmergencyForm), "end_isolation": ("end_isolation", EndIsolationForm),
              "draft_plan": ("plan", PlanForm),
              "new_plan": ("plan", PlanForm), "submit_plan": ("confirm", VersionedForm),
              "approve_plan": ("confirm", VersionedForm), "return_plan": ("reason", ReasonForm),
              "log": ("log", TimelineForm), "review": ("review", ReviewForm),
              "propose_closure": ("closure", ClosureForm), "approve_closure": ("confirm", VersionedForm),
              "reopen": ("reason", ReasonForm)}


def _call(step: str, case: Case, form):
    user = current_user._get_current_object()
    version = _version(form) if isinstance(form, VersionedForm) else None
    if step == "edit":
        return services.edit_case(case, user, {name: getattr(form, name).data for name in (
            "description", "place", "action_taken", "immediate_danger", "categories", "assigned_worker")
            if name != "assigned_worker" or form.assigned_worker.data}, version)
    if step == "assess":
        return services.assess(case, user, {key: True for key in form.answers.data or []}, form.summary.data,
                               version)
    if step == "detail":
        return services.record_detailed_assessment(case, user, form.summary.data, form.meeting_minutes.data, version)
    if step == "emergency":
        return services.record_emergency(case, user, services.Emergency(
            description=form.description.data or "", taken_at=_aware(form.taken_at.data),
            isolation=bool(form.isolation.data), isolation_place=form.isolation_place.data,
            isolation_from=form.isolation_from.data, isolation_until=form.isolation_until.data,
            decided_by=form.decided_by.data), version)
    if step == "end_isolation":
        return services.end_isolation(case, user, form.ended_on.data, form.note.data or "", version)
    if step in ("draft_plan", "new_plan"):
        actions = [services.PlannedAction(row["description"] or "", row["responsible"] or "", row["due_date"])
                   for row in form.actions.data if (row["description"] or "").strip()]
        write = services.draft_plan if step == "draft_plan" else services.new_plan
        return write(case, user, form.goals.data or "", actions, version)
    if step == "log":
        return services.log(case, user, form.kind.data, _aware(form.occurred_at.data), form.text.data or "")
    if step == "review":
        return services.review(case, user, {name: getattr(form, name).data for name in REVIEW_CRITERIA},
                               form.note.data, version)
    if step == "propose_closure":
        return services.propose_closure(case, user, form.reason.data, form.note.data, version)
    if step in ("return_plan", "reopen"):
        act = services.return_plan if step == "return_plan" else services.reopen
        return act(case, user, form.reason.data or "", version)
    act = {"submit_plan": services.submit_plan, "approve_plan": services.approve_plan,
           "approve_closure": services.approve_closure}[step]
    return act(case, user, version)


@bp.route("/<reference>/<any(" + ", ".join(STEP_FORMS) + "):step>", methods=["POST"])
@requires("cases.read")
def take_step(reference, step):
    case = _load(reference)
    key, form_class = STEP_FORMS[step]
    form = form_class()
    if not form.validate_on_submit():
        flash(_("Check the fields marked below."), "error")
        return _shown(case, {key: form}, status=422)
    try:
        _call(step, case, form)
    except services.StaleVersion as refusal:
        db.session.rollback()
        db.session.refresh(case)
        flash(str(refusal), "error")
        return _shown(case, {key: form}, changes=refusal.changes, status=409)
    except services.CaseRefused as refusal:
        db.session.rollback()
        _show_refusal(form, refusal)
        return _shown(case, {key: form}, status=refusal.status)
    flash(_("Case %(reference)s: “%(action)s” done.", reference=case.reference,
            action=workflow.ACTIONS[step]), "success")
    return redirect(url_for("cases.show", reference=case.reference))
