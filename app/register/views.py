"""The commune's register of children in special circumstances and at risk (issue 18). Thin: the rules are in
app/register/services.py, the scope in app/access.py."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.access import (Role, can, current_reviewer, may_acknowledge_review_escalation, may_assign_review,
                        may_confirm_register, may_confirm_review, may_edit_register, may_read_register_details,
                        may_record_review, refuse, register_kept_by, requires, review_assignees, scoped_cases,
                        scoped_children, scoped_register)
from app.cases.models import Case
from app.cases.services import province_of
from app.cases.workflow import STATUSES
from app.children.models import SEXES, Child
from app.children.services import check_for_duplicates, child_problems, named
from app.deadlines.services import local_zone
from app.extensions import db
from app.i18n import display_datetime
from app.input_guard import whole_number
from app.orm import utcnow
from app.register import services
from app.register.forms import (GroupForm, LeaveForm, NewChildForm, RegisterFilterForm, RegisterForm, RejectForm,
                                RejectReviewForm, ReviewerForm, ReviewForm, SituationForm, SupportForm)
from app.register.groups import ARTICLES, GROUPS, LIVING_PLACES, SUB_CASES, SUPPORT_KINDS
from app.register.models import AWAITING, CONFIRMED, RegisterEntry
from app.units.services import communes_under

bp = Blueprint("register", __name__, url_prefix="/register", template_folder="templates")
PAGE_SIZE = 50


def _today():
    return utcnow().astimezone(local_zone()).date()


def labels() -> dict:
    return {"groups": GROUPS, "articles": ARTICLES, "sub_cases": {key: label for cases in SUB_CASES.values()
                                                                  for key, label in cases.items()},
            "living_places": LIVING_PLACES, "support_kinds": SUPPORT_KINDS, "sexes": SEXES}


@bp.route("/")
@requires("register.read")
def index():
    """The register, reviews due first: the next duty at the top."""
    form = RegisterFilterForm(request.args)
    communes = communes_under(current_user.unit) if current_user.unit.level != "commune" else []
    form.unit.choices = [("", _("All communes"))] + [(unit.code, unit.label) for unit in communes]
    form.validate()
    today = _today()
    scoped = scoped_register(current_user)
    # A collaborator follows what they added, whatever the worker decided; others read the confirmed register, and
    # the commune's worker and leader have what waits for them at the top: their next duty.
    awaiting = []
    if can(current_user, "register.confirm"):
        awaiting = list(db.session.scalars(scoped.where(RegisterEntry.confirmation == AWAITING,
                                                        RegisterEntry.unit_id.in_(register_kept_by(current_user)))
                                           .options(selectinload(RegisterEntry.child),
                                                    selectinload(RegisterEntry.groups),
                                                    selectinload(RegisterEntry.added_by))
                                           .order_by(RegisterEntry.created_at, RegisterEntry.id)))
    if can(current_user, "register.edit") or not can(current_user, "register.add"):
        scoped = scoped.where(RegisterEntry.confirmation == CONFIRMED)
    # The entry holds what the list filters and sorts by: counting a district's reviews due reads one index, not the
    # children too (bench/register.py).
    query = services.registered_query(scoped,
                                      form.group.data if form.group.data in GROUPS else None,
                                      today if form.due.data else None)
    chosen = next((unit for unit in communes if unit.code == form.unit.data), None)
    if chosen is not None:
        query = query.where(RegisterEntry.unit_id == chosen.id)
    if (form.q.data or "").strip():
        query = query.where(RegisterEntry.child_id.in_(named(form.q.data)))
    due_count = services.count_due(query, today)
    page = max(whole_number(request.args.get("page", "1")) or 1, 1)
    # Each row shows the child, the groups and the commune: the first two read for the page at once, not row by row;
    # the communes are those of the chooser above, or the reader's own, already read.
    shown = (selectinload(RegisterEntry.groups), selectinload(RegisterEntry.child))
    entries = list(db.session.scalars(query.options(*shown).order_by(RegisterEntry.next_review_on, RegisterEntry.id)
                                      .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    arguments = {key: value for key, value in (("group", form.group.data), ("due", "y" if form.due.data else None),
                                               ("q", (form.q.data or "").strip() or None),
                                               ("unit", chosen.code if chosen else None)) if value}
    return render_template("register/index.html", form=form, entries=entries[:PAGE_SIZE], today=today,
                           awaiting=awaiting, reject_form=RejectForm(formdata=None),
                           due_count=due_count, due_cap=services.DUE_COUNT_CAP, page=page,
                           has_next=len(entries) > PAGE_SIZE, arguments=arguments,
                           # The groups translated once for the page's fifty rows.
                           **{**labels(), "groups": {key: str(label) for key, label in GROUPS.items()}})


@bp.route("/export.<any(csv, xlsx):kind>")
@requires("register.read")
def export(kind):
    """The register the reader reads, in the import's columns (issue 18, point 3); recorded in the trail."""
    from app.register import transfer
    from app.reports.http import download

    query = scoped_register(current_user)
    if not can(current_user, "register.add") or can(current_user, "register.edit"):
        query = query.where(RegisterEntry.confirmation == CONFIRMED)
    entries = list(db.session.scalars(query.options(selectinload(RegisterEntry.child),
                                                    selectinload(RegisterEntry.groups),
                                                    selectinload(RegisterEntry.unit)).order_by(RegisterEntry.id)))
    mimetype = "text/csv" if kind == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return download(transfer.export(current_user, entries, kind), mimetype, f"danh-sach-tre-em.{kind}")


@bp.route("/import", methods=["GET", "POST"])
@requires("register.import")
def import_file():
    """A list read and checked; nothing is written until the preview is confirmed."""
    from app.register import transfer
    from app.register.forms import ImportForm

    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            reading = transfer.check(current_user, upload.read(), upload.filename or "", _today())
        except transfer.FileRefused as refusal:
            form.file.errors = [str(refusal)]
        else:
            kept = transfer.stage(current_user, reading, upload.filename or "")
            return redirect(url_for("register.import_preview", import_id=kept.id))
    status = 422 if request.method == "POST" else 200
    return render_template("register/import.html", form=form), status


@bp.route("/import/<int(max=2147483647):import_id>", methods=["GET", "POST"])
@requires("register.import")
def import_preview(import_id):
    """The rows as they will be written, new, matched, conflicting and invalid, with the reasons; confirming writes
    them all or none."""
    from app.register import transfer
    from app.register.forms import ConfirmImportForm

    kept = transfer.staged(current_user, import_id)
    if kept is None:
        written = transfer.written_at(current_user, import_id)
        if written is None:
            refuse(404, entity="register_imports", entity_id=import_id)
        flash(_("This list was written to the register at %(time)s; its children are in the list below.",
                time=display_datetime(written)), "info")
        return redirect(url_for("register.index"))
    form = ConfirmImportForm()
    status = 200
    if form.validate_on_submit():
        try:
            written = transfer.apply(current_user, kept, _today())
        except transfer.ImportRefused as refusal:
            flash(str(refusal), "error")
            status = 422
            kept = transfer.staged(current_user, import_id)
        else:
            flash(_("The list was written. Children added to the register: %(added)d; children whose entry changed: "
                    "%(updated)d; rows already as the register has them: %(unchanged)d.", added=written.added,
                    updated=written.updated, unchanged=written.unchanged), "success")
            return redirect(url_for("register.index"))
    rows = transfer.rows_of(kept)
    order = {transfer.INVALID: 0, transfer.CONFLICTING: 1, transfer.NEW: 2, transfer.MATCHED: 3}
    rows.sort(key=lambda row: (order[row.status], row.number))
    counts = {status: sum(1 for row in rows if row.status == status) for status in order}
    for row in rows[:500]:
        row.born = transfer.born(row)
    return render_template("register/import_preview.html", kept=kept, rows=rows[:500], shown=min(len(rows), 500),
                           total=len(rows), counts=counts, form=form, **labels()), status


def _child(child_id: int) -> Child:
    child = db.session.scalar(scoped_children(current_user).where(Child.id == child_id))
    if child is None:
        refuse(404, entity="children", entity_id=child_id)
    return child


def _entry(child: Child) -> RegisterEntry | None:
    return db.session.scalar(scoped_register(current_user).where(RegisterEntry.child_id == child.id))


def _editable(child_id: int) -> tuple[Child, RegisterEntry | None]:
    """The child and the entry the reader's commune keeps; a child registered by another commune is not theirs to
    change (404, as out of scope)."""
    child = _child(child_id)
    entry = _entry(child)
    if entry is not None and not may_edit_register(current_user, entry):
        refuse(404, entity="children", entity_id=child_id)
    return child, entry


def record_view(entry: RegisterEntry) -> None:
    services.record_views([entry])


@bp.route("/<int(max=2147483647):child_id>")
@requires("register.read")
def show(child_id):
    return _shown(_child(child_id))


def _shown(child: Child, status: int = 200, **forms):
    entry = _entry(child)
    editable = entry is not None and may_edit_register(current_user, entry)
    cases = list(db.session.scalars(scoped_cases(current_user).where(Case.child_id == child.id)
                                    .order_by(Case.received_at.desc())))
    today = _today()
    if editable:
        forms.setdefault("group_form", GroupForm(formdata=None, since=today))
        forms.setdefault("leave_form", LeaveForm(formdata=None, left_on=today))
        forms.setdefault("support_form", SupportForm(formdata=None, started_on=today))
    pending = entry.review_waiting if entry is not None else None
    # The latest review recorded, when the worker rejected it: everyone who reads the page, the collaborator too,
    # sees why, above the form to record it again.
    latest = max(entry.reviews, key=lambda review: review.id, default=None) if entry is not None else None
    rejected = latest if latest is not None and latest.rejected else None
    reviewable = entry is not None and pending is None and may_record_review(current_user, entry)
    if reviewable:
        forms.setdefault("review_form", ReviewForm(formdata=None, reviewed_on=today))
    if entry is not None and may_assign_review(current_user, entry):
        forms.setdefault("reviewer_form", _reviewer_form(entry, formdata=None))
    confirmable = entry is not None and may_confirm_register(current_user, entry)
    pending_confirmable = pending is not None and may_confirm_review(current_user, pending)
    if pending_confirmable:
        forms.setdefault("review_reject_form", RejectReviewForm(formdata=None))
    if confirmable:
        forms.setdefault("reject_form", RejectForm(formdata=None))
    page = render_template("register/show.html", child=child, entry=entry, cases=cases, editable=editable,
                           confirmable=confirmable, detailed=may_read_register_details(current_user),
                           reviewable=reviewable, pending=pending, rejected=rejected,
                           reviewer=current_reviewer(entry) if entry is not None else None,
                           pending_confirmable=pending_confirmable,
                           today=today, statuses=STATUSES, **forms, **labels())
    if entry is not None:
        record_view(entry)
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@requires("register.add")
def create():
    """A child the commune knows but who has no record yet (a case's child is added from the child's page)."""
    form = NewChildForm()
    today = _today()
    if request.method == "GET":
        form.since.data = today
    duplicates, elsewhere = [], 0
    if form.validate_on_submit():
        details = form.details(current_user.unit)
        if not form.confirmed_new.data and not child_problems(details, today):
            check = check_for_duplicates(current_user, details, province_of(current_user.unit),
                                         scoped_children(current_user))
            duplicates, elsewhere = check.found, check.elsewhere
        if not duplicates and not elsewhere:
            try:
                entry = services.register_new_child(current_user, details, _situation(form), [_membership(form)],
                                                    today)
                services.commit_registration()
            except services.RegisterRefused as refusal:
                db.session.rollback()
                _show_problems(form, refusal.fields)
            else:
                if entry.awaiting:
                    flash(_("%(name)s was added. The commune's child-protection worker will confirm the entry.",
                            name=entry.child.name_shown), "success")
                else:
                    flash(_("%(name)s is on the register. The first review is due on %(day)s.",
                            name=entry.child.name_shown, day=_day(entry.next_review_on)), "success")
                return redirect(url_for("register.show", child_id=entry.child_id))
    status = 422 if request.method == "POST" else 200
    return render_template("register/new.html", form=form, duplicates=duplicates, elsewhere=elsewhere,
                           **labels()), status


def _day(day) -> str:
    return day.strftime("%d/%m/%Y")


@bp.route("/<int(max=2147483647):child_id>/add", methods=["GET", "POST"])
@requires("register.edit")
def add(child_id):
    """A child on record (with a case) put on the commune's register; their art. 10 groups are prefilled."""
    child, entry = _editable(child_id)
    if entry is not None:
        return redirect(url_for("register.show", child_id=child.id))
    form = RegisterForm()
    today = _today()
    if request.method == "GET":
        form.school.data, form.since.data = child.school, today
        if child.special_circumstances:
            form.group.data = child.special_circumstances[0]
    if form.validate_on_submit():
        try:
            entry = services.register_child(current_user, child, _situation(form), _membership(form), today)
            services.commit_registration()
        except services.RegisterRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        else:
            flash(_("%(name)s is on the register. The first review is due on %(day)s.", name=child.name_shown,
                    day=_day(entry.next_review_on)), "success")
            return redirect(url_for("register.show", child_id=child.id))
    status = 422 if request.method == "POST" else 200
    return render_template("register/add.html", form=form, child=child, **labels()), status


@bp.route("/<int(max=2147483647):child_id>/situation", methods=["GET", "POST"])
@requires("register.edit")
def situation(child_id):
    child, entry = _editable(child_id)
    if entry is None:
        return redirect(url_for("register.add", child_id=child.id))
    form = SituationForm(obj=None if request.method == "POST" else _SituationData(entry))
    status = 200
    if form.validate_on_submit():
        try:
            services.update_situation(entry, _situation(form), whole_number(form.version.data or ""))
        except services.RegisterRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
            status = 422
        except services.RegisterChanged as refusal:
            db.session.rollback()
            db.session.refresh(entry)
            flash(str(refusal), "error")
            status = 409
        else:
            flash(_("The child's situation was saved."), "success")
            return redirect(url_for("register.show", child_id=child.id))
    elif request.method == "POST":
        status = 422
    page = render_template("register/situation.html", form=form, child=child, entry=entry, **labels())
    record_view(entry)
    return page, status


class _SituationData:
    def __init__(self, entry: RegisterEntry):
        for name in ("living_place", "lives_with", "health_insurance", "disability_certificate", "version"):
            setattr(self, name, getattr(entry, name))
        self.school = entry.child.school


def _not_registered(child: Child):
    flash(_("This child is not on the register yet."), "error")
    return redirect(url_for("register.add", child_id=child.id))


def _part(child_id: int, form, act, done: str, form_name: str):
    """A change to a part of the entry, from a form on the child's register page."""
    child, entry = _editable(child_id)
    if entry is None:
        return _not_registered(child)
    if form.validate_on_submit():
        try:
            act(entry)
        except services.RegisterRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        except services.RegisterChanged as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            return redirect(url_for("register.show", child_id=child.id))
        else:
            flash(done, "success")
            return redirect(url_for("register.show", child_id=child.id))
    db.session.refresh(entry)
    return _shown(child, 422, **{form_name: form})


@bp.route("/<int(max=2147483647):child_id>/groups", methods=["POST"])
@requires("register.edit")
def add_group(child_id):
    form = GroupForm()
    return _part(child_id, form, lambda entry: services.add_group(entry, _membership(form), _today()),
                 _("The group was added."), "group_form")


@bp.route("/<int(max=2147483647):child_id>/leave", methods=["POST"])
@requires("register.edit")
def leave(child_id):
    form = LeaveForm()
    return _part(child_id, form, lambda entry: services.leave_group(
        entry, whole_number(form.membership.data or ""), form.left_on.data, form.reason.data, _today()),
        _("The child's leaving the group was recorded."), "leave_form")


@bp.route("/<int(max=2147483647):child_id>/supports", methods=["POST"])
@requires("register.edit")
def add_support(child_id):
    form = SupportForm()
    support = services.Support(kind=form.kind.data or "", description=form.description.data or "",
                               started_on=form.started_on.data, ended_on=form.ended_on.data,
                               monthly_amount=form.monthly_amount.data)
    return _part(child_id, form, lambda entry: services.add_support(entry, support, _today()),
                 _("The support was recorded."), "support_form")


# Short enough for a phone's closed select: the role's full name cut the option mid-word.
REVIEWER_KINDS = {Role.WORKER: _l("commune worker"), Role.COLLABORATOR: _l("village collaborator")}


def _reviewer_form(entry: RegisterEntry, **kwargs) -> ReviewerForm:
    form = ReviewerForm(**kwargs)
    people = db.session.scalars(review_assignees(entry).order_by("full_name", "id"))
    form.reviewer.choices = [("", _("Any worker of the commune"))] + [
        (str(person.id), f"{person.full_name} – {REVIEWER_KINDS.get(person.role, person.role_label)}")
        for person in people]
    if kwargs.get("formdata", True) is None:
        reviewer = current_reviewer(entry)
        form.reviewer.data, form.version.data = str(reviewer.id if reviewer else ""), entry.version
    return form


@bp.route("/<int(max=2147483647):child_id>/review", methods=["POST"])
@requires("register.review")
def review(child_id):
    """The commune's worker records a review; a village collaborator the one assigned to them, for the worker to
    confirm (out of their scope: 404; in it but not theirs to review: 403)."""
    child = _child(child_id)
    entry = _entry(child)
    if entry is None:
        return _not_registered(child)
    if not may_record_review(current_user, entry):
        refuse(403, entity="children", entity_id=child_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            review = services.record_review(current_user, entry, form.reviewed_on.data, form.notes.data,
                                            form.next_review_on.data, _today())
        except services.RegisterRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        except services.RegisterChanged as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            return redirect(url_for("register.show", child_id=child.id))
        else:
            flash(_("The review was recorded; the commune's child-protection worker will confirm it.")
                  if review.awaiting else _("The review was recorded; the next one is on the register's list."),
                  "success")
            return redirect(url_for("register.show", child_id=child.id))
    db.session.refresh(entry)
    return _shown(child, 422, review_form=form)


@bp.route("/<int(max=2147483647):child_id>/reviewer", methods=["POST"])
@requires("register.edit")
def reviewer(child_id):
    """The commune's worker gives the next review to one of the commune's workers or village collaborators."""
    child, entry = _editable(child_id)
    if entry is None:
        return _not_registered(child)
    if not may_assign_review(current_user, entry):
        flash(_("Only a confirmed entry's review is given to someone."), "error")
        return redirect(url_for("register.show", child_id=child.id))
    form = _reviewer_form(entry)
    if form.validate_on_submit():
        try:
            services.assign_reviewer(entry, whole_number(form.reviewer.data or "") if form.reviewer.data else None,
                                     whole_number(form.version.data or ""))
        except services.RegisterRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        except services.RegisterChanged as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            return redirect(url_for("register.show", child_id=child.id))
        else:
            flash(_("The next review is given to %(name)s.", name=entry.reviewer.full_name) if entry.reviewer
                  else _("The next review is any worker's of the commune."), "success")
            return redirect(url_for("register.show", child_id=child.id))
    db.session.refresh(entry)
    return _shown(child, 422, reviewer_form=form)


def _waiting_review(child_id: int):
    """The child, their entry and the collaborator's review waiting for this worker, or None with a note why not."""
    child = _child(child_id)
    entry = _entry(child)
    review = entry.review_waiting if entry is not None else None
    if review is None or not may_confirm_review(current_user, review):
        flash(_("No review of this child waits for your confirmation."), "info")
        return child, entry, None
    return child, entry, review


@bp.route("/<int(max=2147483647):child_id>/review/confirm", methods=["POST"])
@requires("register.confirm")
def confirm_review(child_id):
    """The worker confirms the review a collaborator recorded (one waits at a time)."""
    child, entry, review = _waiting_review(child_id)
    if review is None:
        return redirect(url_for("register.show", child_id=child.id))
    try:
        services.confirm_review(current_user, review)
    except services.RegisterChanged as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("The review was confirmed. The next one is due on %(day)s; it is any worker's of the commune until "
                "you give it to someone below.", day=_day(entry.next_review_on)), "success")
    return redirect(url_for("register.show", child_id=child.id))


@bp.route("/<int(max=2147483647):child_id>/review/reject", methods=["POST"])
@requires("register.confirm")
def reject_review(child_id):
    """The worker rejects the review a collaborator recorded, saying why; the review stays due."""
    child, entry, review = _waiting_review(child_id)
    if review is None:
        return redirect(url_for("register.show", child_id=child.id))
    form = RejectReviewForm()
    if form.validate_on_submit():
        try:
            services.reject_review(current_user, review, form.reason.data)
        except services.RegisterRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        except services.RegisterChanged as refusal:
            flash(str(refusal), "error")
            return redirect(url_for("register.show", child_id=child.id))
        else:
            flash(_("The review was rejected; %(name)s sees why and may record it again. The review stays due on "
                    "%(day)s.", name=review.reviewed_by.full_name, day=_day(entry.next_review_on)), "success")
            return redirect(url_for("register.show", child_id=child.id))
    db.session.refresh(entry)
    return _shown(child, 422, review_reject_form=form)


@bp.route("/review-escalations/<int(max=2147483647):number>/acknowledge", methods=["POST"])
@requires("register.escalations")
def acknowledge_escalation(number):
    from app.cases.services import CaseRefused
    from app.register import escalations

    escalation = escalations.get_escalation(current_user, number)
    if escalation is None or not may_acknowledge_review_escalation(current_user, escalation):
        refuse(404, entity="register_review_escalations", entity_id=number)
    try:
        escalations.acknowledge(current_user, escalation)
    except CaseRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        flash(_("You acknowledged that the review of %(name)s in %(unit)s is long overdue; it is yours to follow up.",
                name=escalation.entry.child.name_shown, unit=escalation.entry.unit.name), "success")
    # The child's page is where the follow-up starts: the entry, its reviews and who is to make the next one.
    return redirect(url_for("register.show", child_id=escalation.entry.child_id))


def _confirmable(child_id: int) -> tuple[Child, RegisterEntry | None]:
    """The child (out of scope: 404) and their entry if it awaits the reader's confirmation."""
    child = _child(child_id)
    entry = _entry(child)
    if entry is not None and may_confirm_register(current_user, entry):
        return child, entry
    flash(_("No entry for this child waits for your confirmation."), "info")
    return child, None


@bp.route("/<int(max=2147483647):child_id>/confirm", methods=["POST"])
@requires("register.confirm")
def confirm(child_id):
    child, entry = _confirmable(child_id)
    if entry is None:
        return redirect(url_for("register.show", child_id=child.id))
    try:
        services.confirm(current_user, entry)
    except services.RegisterChanged as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("%(name)s is on the commune's register. The first review is due on %(day)s.",
                name=child.name_shown, day=_day(entry.next_review_on)), "success")
    return redirect(url_for("register.index"))


@bp.route("/<int(max=2147483647):child_id>/reject", methods=["POST"])
@requires("register.confirm")
def reject(child_id):
    child, entry = _confirmable(child_id)
    if entry is None:
        return redirect(url_for("register.show", child_id=child.id))
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject(current_user, entry, form.reason.data)
        except services.RegisterRefused as refusal:
            db.session.rollback()
            _show_problems(form, refusal.fields)
        except services.RegisterChanged as refusal:
            flash(str(refusal), "error")
            return redirect(url_for("register.index"))
        else:
            flash(_("The entry for %(name)s was rejected; the collaborator sees why.", name=child.name_shown),
                  "success")
            return redirect(url_for("register.index"))
    db.session.refresh(entry)
    return _shown(child, 422, reject_form=form)


def _situation(form) -> services.Situation:
    return services.Situation(living_place=form.living_place.data or "", lives_with=form.lives_with.data,
                              school=form.school.data, health_insurance=form.health_insurance.data,
                              disability_certificate=form.disability_certificate.data)


def _membership(form) -> services.Membership:
    return services.Membership(group=form.group.data or "", sub_case=form.sub_case.data or None,
                               since=form.since.data)


def _show_problems(form, fields: dict[str, list[str]]) -> None:
    for name, messages in fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + messages
        else:
            flash(" ".join(messages), "error")
