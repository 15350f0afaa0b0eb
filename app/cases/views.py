"""Case pages: the list, intake, the case page and its steps. Each view loads within scope, reads its form
and calls one service; the rules are in services.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, SelectChoice

from app.access import (can, forwarded_content_visible, is_taken_up, record_refusal, refuse, requires, scoped_children,
                        scoped_forwarded)
from app.attachments.page import on_case_page
from app.audit.models import MAX_ENTRY_ID
from app.cases import checklist, queries, services, workflow
from app.cases.forms import (AssessmentForm, CaseFilterForm, ClosureForm, CompleteActionForm, DeclineIsolationForm,
                             DetailForm, EditForm,
                             EmergencyForm, EndIsolationForm, IntakeForm, IsolationForm, PlanForm, ReasonForm,
                             ReviewForm, TimelineForm, VersionedForm)
from app.cases.history import history_items
from app.cases.models import (ABUSE_SETTINGS, CARER_CONSENTS, CATEGORIES, CHILD_CONSENTS, CLOSURE_REASONS,
                              DATA_GROUNDS, DEADLINES, FORMER_REVIEW_CRITERIA, HARM_STATUSES, ISOLATION_STATUSES,
                              REVIEW_CRITERIA, RISK_LEVELS, SOURCES, TIMELINE_KINDS, Case)
from app.cases.narrative import FIELDS
from app.cases.story import case_story
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Child
from app.children.services import DuplicateCheck, check_for_duplicates
from app.deadlines.services import local_zone
from app.documents import services as documents
from app.extensions import db
from app.forms import person_choices
from app.i18n import display_date, display_datetime
from app.input_guard import whole_number
from app.orm import reads_only, utcnow
from app.referrals.workflow import STATUSES as REFERRAL_STATUSES
from app.reorganisation.history import whereabouts
from app.units.services import communes_of_province, communes_under, find_unit, name_in_its_time, named_apart
from app.users.services import active_workers

bp = Blueprint("cases", __name__, url_prefix="/cases", template_folder="templates")
# A phone's screenful or two; it also halves the list's cost per request (bench/README.md).
PER_PAGE = 25
LABEL_TABLES = {"statuses": workflow.STATUSES, "referral_statuses": REFERRAL_STATUSES,
                "action_labels": workflow.ACTIONS, "categories": CATEGORIES,
                "sources": SOURCES, "risks": RISK_LEVELS, "closure_reasons": CLOSURE_REASONS, "kinds": TIMELINE_KINDS,
                "criteria": {key: rule.label for key, rule in REVIEW_CRITERIA.items()},
                "former_criteria": FORMER_REVIEW_CRITERIA, "sexes": SEXES, "groups": SPECIAL_CIRCUMSTANCES,
                "deadlines": DEADLINES, "field_labels": FIELDS, "harm_statuses": HARM_STATUSES,
                "abuse_settings": ABUSE_SETTINGS,
                "child_consents": CHILD_CONSENTS, "carer_consents": CARER_CONSENTS, "data_grounds": DATA_GROUNDS,
                "isolation_statuses": ISOLATION_STATUSES}


def labels() -> dict:
    """The label tables in the reader's language, translated once per language and process, not once per row
    (nor once per request: eighty translations cost a list page half a millisecond)."""
    return _labels_in(str(get_locale()))


@lru_cache(maxsize=None)
def _labels_in(locale: str) -> dict:
    with force_locale(locale):
        tables = {name: {key: str(label) for key, label in table.items()} for name, table in LABEL_TABLES.items()}
        tables["questions"] = {key: (weight, str(label)) for key, (weight, label) in checklist.QUESTIONS.items()}
        tables["review_answers"] = {key: {level: str(answer) for level, answer in rule.answers.items()}
                                    for key, rule in REVIEW_CRITERIA.items()}
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
                           awaiting=filters.awaiting, **labels())


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
                                 open=bool(form.open.data), aged_16_or_over=bool(form.aged_16_or_over.data),
                                 received_from=form.received_from.data,
                                 received_to=form.received_to.data, q=form.q.data or None,
                                 sort=form.sort.data or "received", awaiting=MultiDict(query).get("awaiting") == "y")
    return filters, Markup(render_template("cases/_filters.html", form=form))


def _report_from(form) -> services.Report:
    return services.Report(
        source=form.source.data or "", received_at=_aware(form.received_at.data),
        categories=form.categories.data or [], description=form.description.data or "",
        immediate_danger=bool(form.immediate_danger.data), reporter_name=form.reporter_name.data,
        reporter_contact=form.reporter_contact.data, reporter_may_be_named=bool(form.reporter_may_be_named.data),
        place=form.place.data, action_taken=form.action_taken.data, harm_status=form.harm_status.data or None,
        harm_foreseen=form.harm_foreseen.data,
        abuse_setting=form.abuse_setting.data or None, child_consent=form.child_consent.data or None,
        carer_consent=form.carer_consent.data or None, data_ground=form.data_ground.data or None)


def _show_refusal(form, refusal: services.CaseRefused) -> None:
    """The refusal at the top of the page, and its problems on their fields: for a page that is one form."""
    flash(str(refusal), "error")
    place_refusal(form, refusal)


def place_refusal(form, refusal: services.CaseRefused) -> None:
    """The refusal's problems on their fields (the page says the refusal itself beside the form)."""
    if refusal.status == 403:
        record_refusal(403)
    for name, messages in refusal.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + messages


@bp.route("/new", methods=["GET", "POST"])
@requires("cases.create")
def create():
    """Intake. When a probable duplicate child is found, the worker chooses: this child, or a new one."""
    form = IntakeForm()
    forwarding = can(current_user, "cases.forward")
    # Named, not numbered: two lists of a province's communes are most of the page's weight.
    form.address_unit.choices = [SelectChoice(code, name) for code, name in named_apart(
        communes_of_province(current_user.unit))]
    if forwarding:
        form.unit.choices = [SelectChoice("", _("Choose…"))] + [
            SelectChoice(code, name) for code, name in named_apart(communes_under(current_user.unit))]
    else:
        del form.unit
    # A case for a child on record (from the register or the child's page) starts from that child's details.
    known = _known_child(request.args.get("child") if request.method == "GET" else form.child_choice.data)
    if request.method == "GET":
        form.received_at.data = utcnow().astimezone(local_zone()).replace(second=0, microsecond=0, tzinfo=None)
        if current_user.unit.level == "commune":
            form.address_unit.data = current_user.unit.code
            if forwarding:
                form.unit.data = current_user.unit.code
        if known is not None:
            _prefill_child(form, known)
    check = DuplicateCheck([], 0)
    if form.validate_on_submit():
        details = form.details(find_unit(form.address_unit.data) if form.address_unit.data else None)
        choice = form.child_choice.data
        if not choice:
            check = check_for_duplicates(current_user, details, services.province_of(current_user.unit),
                                         scoped_children(current_user))
        if not check.found and not check.elsewhere:
            child = None
            if choice and choice != "new":
                child_id = whole_number(choice)
                child = db.session.scalar(scoped_children(current_user).where(Child.id == child_id)) \
                    if child_id else None
            unit = find_unit(form.unit.data) if forwarding else current_user.unit
            try:
                case = services.open_case(current_user, unit, _report_from(form), child=child,
                                          child_details=None if child else details)
            except services.CaseRefused as refusal:
                db.session.rollback()
                _show_refusal(form, refusal)
            else:
                if forwarding:
                    flash(_("Report %(reference)s recorded and sent to %(unit)s: its worker and leader see it now.",
                            reference=case.reference, unit=case.unit.name), "success")
                elif can(current_user, "cases.read"):
                    flash(opened_message(case), "success")
                else:
                    # A village collaborator hands the report to the commune and reads nothing of the case.
                    flash(_("Your report was recorded and sent to the commune's child-protection worker. Thank "
                            "you."), "success")
                if check.paused_until:
                    flash(_("You have made many duplicate checks this hour, so children on record outside your "
                            "commune were not checked; from %(time)s they will be again. Your district can find and "
                            "join two records of one child.", time=display_datetime(check.paused_until)), "info")
                if forwarding and not can(current_user, "cases.read"):
                    return redirect(url_for("cases.received", _anchor="content"))
                if not can(current_user, "cases.read"):
                    return redirect(url_for("main.home"))
                return redirect(url_for("cases.show", reference=case.reference, _anchor="content"))
    return render_template("cases/new.html", form=form, duplicates=check.found, elsewhere=check.elsewhere,
                           check_paused_until=check.paused_until, forwarding=forwarding, known_child=known,
                           **labels())


def _known_child(choice: str | None) -> Child | None:
    child_id = whole_number(choice or "")
    if not child_id:
        return None
    return db.session.scalar(scoped_children(current_user).where(Child.id == child_id))


def _prefill_child(form: IntakeForm, child: Child) -> None:
    form.child_choice.data = str(child.id)
    for name in ("full_name", "other_names", "sex", "date_of_birth", "birth_year", "id_number", "ethnicity",
                 "address_detail", "school", "special_circumstances"):
        getattr(form, name).data = getattr(child, name)
    form.child_description.data = child.description
    if child.address_unit is not None:
        form.address_unit.data = child.address_unit.code


@bp.route("/received")
@reads_only
@requires("cases.forward")
def received():
    """The reports the person recorded for a commune, and whether the commune has taken each up (Decree 56
    art. 26.1: the sender learns that it arrived)."""
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    rows = db.session.scalars(scoped_forwarded(current_user).offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)).all()
    items = [(case, is_taken_up(case), forwarded_content_visible(current_user, case)) for case in rows[:PER_PAGE]]
    return render_template("cases/received.html", items=items, page=page, has_next=len(rows) > PER_PAGE,
                           readable=can(current_user, "cases.read"), **labels())


def _forms_for(case: Case) -> dict:
    version = {"version": case.version}
    now_local = utcnow().astimezone(local_zone()).replace(second=0, microsecond=0, tzinfo=None)
    plan = case.current_plan
    plan_data = {"goals": plan.goals, "review_due_on": plan.review_due_on,
                 "actions": [{"description": a.description, "responsible": a.responsible,
                              "due_date": a.due_date} for a in plan.actions]} if plan else {}
    complete = CompleteActionForm(data={**version, "done_on": now_local.date()})
    complete.action.choices = _undone_choices(case)
    return {
        "complete_action": complete,
        "edit": EditForm(data={**version, "description": case.description, "place": case.place,
                               "action_taken": case.action_taken, "immediate_danger": case.immediate_danger,
                               "harm_status": case.harm_status, "harm_foreseen": case.harm_foreseen,
                               "abuse_setting": case.abuse_setting or "", "categories": case.categories,
                               "assigned_worker": case.assigned_worker.username if case.assigned_worker else ""}),
        "assess": AssessmentForm(data=version),
        "detail": DetailForm(data=version),
        "emergency": EmergencyForm(data={**version, "taken_at": now_local}),
        "isolation": IsolationForm(data={**version, "first_day": now_local.date()}),
        "end_isolation": EndIsolationForm(data={**version, "ended_on": now_local.date()}),
        "plan": PlanForm(data={**version, **plan_data}),
        "reason": ReasonForm(data=version),
        "decline": DeclineIsolationForm(data=version),
        "log": TimelineForm(data={"occurred_at": now_local}),
        "review": ReviewForm(data=version),
        "closure": ClosureForm(data=version),
        "confirm": VersionedForm(data=version),
    }


def _undone_choices(case: Case) -> list[tuple[int, str]]:
    plan = case.current_plan
    return [(action.id, f"{action.description} · {display_date(action.due_date)}")
            for action in (plan.actions if plan else []) if action.done_on is None]


@dataclass
class Failure:
    """A step refused: which, why, the problems that name no field shown (each field shows its own), and what
    changed meanwhile when the form was stale. The page says it inside that step's form."""

    step: str
    message: str
    unplaced: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)
    changes: list | None = None


def _shown(case: Case, forms: dict | None = None, failure: Failure | None = None, status: int = 200, **extra):
    """The case page. Every showing of it is a reading of the child's file, and so goes in the trail."""
    user = current_user._get_current_object()
    all_forms = _forms_for(case)
    all_forms.update(forms or {})
    all_forms["edit"].assigned_worker.choices = person_choices(active_workers(case.unit), _("Choose…"))
    all_forms["closure"].reason.choices = _closure_choices(case)
    actions = services.available_steps(case, user)
    duty = services.next_duty(case, user)
    in_duty = set(duty.steps) if duty else set()
    # The plan's and the closure's decisions sit with the plan, where they are read; notes with the story.
    plan_steps = [step for step in actions if step in DECISIONS and step not in in_duty]
    other_steps = [step for step in actions if step not in in_duty and step not in DECISIONS and step != "log"]
    plan = case.current_plan
    authors = queries.full_names([author.user_id for author in plan.authors]) if plan else {}
    statutory_forms = {form.key: form for form in documents.forms_for(case)}
    closure_blocked = (services.review_missing_message(case, case.closure_reason)
                       if case.closure_reason and services.closure_needs_review(case, case.closure_reason) else None)
    page = render_template("cases/show.html", case=case, now=utcnow(), forms=all_forms, form_keys=FORM_KEYS,
                           statutory_forms=statutory_forms, closure_blocked=closure_blocked,
                           actions=actions, duty=duty, plan_steps=plan_steps, other_steps=other_steps,
                           story=case_story(case), today=utcnow().astimezone(local_zone()).date(),
                           failure=failure, author_names=authors, where=whereabouts(case),
                           name_in_its_time=name_in_its_time,
                           **on_case_page(case, user, extra.pop("attachment_form", None)), **extra, **labels())
    services.record_view(case)
    return page, status


def _closure_choices(case: Case) -> list[SelectChoice]:
    reasons = services.closure_reasons(case, utcnow().astimezone(local_zone()).date())
    return [SelectChoice("", _("Choose…"))] + [SelectChoice(key, label) for key, label in reasons.items()]


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
              "propose_isolation": ("isolation", IsolationForm), "decide_isolation": ("confirm", VersionedForm),
              "decline_isolation": ("decline", DeclineIsolationForm),
              "draft_plan": ("plan", PlanForm),
              "new_plan": ("plan", PlanForm), "submit_plan": ("confirm", VersionedForm),
              "approve_plan": ("confirm", VersionedForm), "return_plan": ("reason", ReasonForm),
              "log": ("log", TimelineForm), "complete_action": ("complete_action", CompleteActionForm),
              "review": ("review", ReviewForm),
              "propose_closure": ("closure", ClosureForm), "approve_closure": ("confirm", VersionedForm),
              "reopen": ("reason", ReasonForm)}
FORM_KEYS = {step: key for step, (key, _form) in STEP_FORMS.items()}
DECISIONS = ("submit_plan", "approve_plan", "return_plan", "approve_closure")


def _planned_rows(form: PlanForm) -> list[tuple[int, services.PlannedAction]]:
    """The plan's action rows that hold anything, with their place on the form: a row left half-filled is the
    service's to refuse, never silently dropped."""
    return [(number, services.PlannedAction(row["description"] or "", row["responsible"] or "", row["due_date"]))
            for number, row in enumerate(form.actions.data)
            if (row["description"] or "").strip() or (row["responsible"] or "").strip() or row["due_date"]]


def _place_problems(step: str, form, refusal: services.CaseRefused) -> tuple[list[str], dict[str, list[str]]]:
    """Put each of the service's problems on its field of the form; return those that have no field."""
    unplaced: list[str] = []
    rows = [number for number, _action in _planned_rows(form)] if step in ("draft_plan", "new_plan") else []
    for name, messages in refusal.fields.items():
        target = getattr(form, name, None)
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "actions" and parts[1].isdigit() and int(parts[1]) < len(rows):
            target = getattr(form.actions.entries[rows[int(parts[1])]].form, parts[2], None)
        if target is not None and not isinstance(target, FieldList):
            target.errors = list(target.errors) + messages
        else:
            unplaced.extend(messages)
    return unplaced, refusal.fields


def _call(step: str, case: Case, form):
    user = current_user._get_current_object()
    version = _version(form) if isinstance(form, VersionedForm) else None
    if step == "edit":
        return services.edit_case(case, user, {name: getattr(form, name).data for name in (
            "description", "place", "action_taken", "immediate_danger", "categories", "assigned_worker",
            "harm_status", "harm_foreseen", "abuse_setting")
            if name not in ("assigned_worker", "harm_status") or getattr(form, name).data}, version)
    if step == "assess":
        return services.assess(case, user, {key: True for key in form.answers.data or []}, form.summary.data,
                               version)
    if step == "detail":
        return services.record_detailed_assessment(case, user, form.summary.data, form.meeting_minutes.data, version)
    if step == "emergency":
        return services.record_emergency(case, user, services.Emergency(
            description=form.description.data or "", taken_at=_aware(form.taken_at.data)), version)
    if step == "propose_isolation":
        return services.propose_isolation(case, user, services.IsolationProposal(
            reason=form.reason.data or "", place=form.place.data or "", with_whom=form.with_whom.data or "",
            first_day=form.first_day.data, last_day=form.last_day.data,
            extension_authority=form.extension_authority.data, extension_number=form.extension_number.data,
            extension_date=form.extension_date.data), version)
    if step == "decline_isolation":
        return services.decline_isolation(case, user, form.reason.data or "", version)
    if step == "end_isolation":
        return services.end_isolation(case, user, form.ended_on.data, form.note.data or "", version)
    if step in ("draft_plan", "new_plan"):
        actions = [action for _number, action in _planned_rows(form)]
        write = services.draft_plan if step == "draft_plan" else services.new_plan
        return write(case, user, form.goals.data or "", actions, version, form.review_due_on.data)
    if step == "complete_action":
        return services.complete_action(case, user, form.action.data, form.done_on.data, version)
    if step == "log":
        return services.log(case, user, form.kind.data, _aware(form.occurred_at.data), form.text.data or "")
    if step == "review":
        return services.review(case, user, {name: getattr(form, name).data for name in REVIEW_CRITERIA},
                               form.note.data, version,
                               notes={name: getattr(form, f"{name}_note").data for name in REVIEW_CRITERIA})
    if step == "propose_closure":
        return services.propose_closure(case, user, form.reason.data, form.note.data, version)
    if step in ("return_plan", "reopen"):
        act = services.return_plan if step == "return_plan" else services.reopen
        return act(case, user, form.reason.data or "", version)
    act = {"submit_plan": services.submit_plan, "approve_plan": services.approve_plan,
           "approve_closure": services.approve_closure, "decide_isolation": services.decide_isolation}[step]
    return act(case, user, version)


@bp.route("/<reference>/<any(" + ", ".join(STEP_FORMS) + "):step>", methods=["POST"])
@requires("cases.read")
def take_step(reference, step):
    """One step. Refused, the page comes back with the step's form open, as typed, saying why inside it; done,
    the page opens at its top, which says what happened and what comes next."""
    case = _load(reference)
    key, form_class = STEP_FORMS[step]
    form = form_class()
    if step == "complete_action":
        form.action.choices = _undone_choices(case)
    if not form.validate_on_submit():
        return _shown(case, {key: form}, Failure(step, _("Check the fields marked below.")), status=422)
    try:
        _call(step, case, form)
    except services.StaleVersion as refusal:
        db.session.rollback()
        db.session.refresh(case)
        form.version.data = case.version  # they have now seen what changed
        return _shown(case, {key: form}, Failure(step, str(refusal), changes=refusal.changes), status=409)
    except services.CaseRefused as refusal:
        db.session.rollback()
        if refusal.status == 403:
            record_refusal(403)
        unplaced, problems = _place_problems(step, form, refusal)
        return _shown(case, {key: form}, Failure(step, str(refusal), unplaced, problems), status=refusal.status)
    done = workflow.ACTIONS[step]
    if step in ("draft_plan", "new_plan") and request.form.get("and_submit"):
        try:
            services.submit_plan(case, current_user._get_current_object(), case.version)
        except services.CaseRefused as refusal:
            db.session.rollback()
            flash(_("Case %(reference)s: the plan is saved as a draft but was not submitted: %(reason)s",
                    reference=case.reference, reason=str(refusal)), "error")
            return redirect(url_for("cases.show", reference=case.reference, _anchor="content"))
        done = _("Save the plan and submit it for approval")
    flash(done_message(case, done), "success")
    return redirect(url_for("cases.show", reference=case.reference, _anchor="content"))


def opened_message(case: Case) -> str:
    return _with_next(case, _("Case %(reference)s opened.", reference=case.reference))


def done_message(case: Case, done: str) -> str:
    return _with_next(case, _("Case %(reference)s: “%(action)s” done.", reference=case.reference, action=done))


def _with_next(case: Case, message: str) -> str:
    """What happened, and what comes next for this person."""
    duty = services.next_duty(case, current_user._get_current_object())
    if duty is None:
        return message
    if duty.steps:
        step = workflow.ACTIONS[duty.steps[0]]
        following = (_("Next: %(step)s, by %(when)s.", step=step, when=display_datetime(duty.deadline.due_at))
                     if duty.deadline else _("Next: %(step)s.", step=step))
    elif duty.deadline:
        following = _("%(waiting)s Due by %(when)s.", waiting=duty.waiting,
                      when=display_datetime(duty.deadline.due_at))
    else:
        following = duty.waiting
    return f"{message} {following}" if following else message
