import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import (can, reads_cases, refuse, requires, scoped_departments, scoped_grants, scoped_users,
                        units_under)
from app.extensions import db
from app.forms import unit_choices
from app.orm import utcnow
from app.reporting.models import Department
from app.units.models import Unit
from app.users import approvals
from app.units.services import edition_has_districts
from app.users.forms import ConfirmForm, UserCreateForm, UserPlacementForm, role_choices
from app.users.models import User
from app.users.services import UserRejected, change_role_and_unit, create_account, reset_access, set_active

bp = Blueprint("users", __name__, url_prefix="/admin/users", template_folder="templates")

PAGE_SIZE = 50
MAX_PAGE = 100_000


def _get_user(user_id: int) -> User:
    """The account if the signed-in admin may manage it; 404 otherwise, so that existence does not leak."""
    user = db.session.scalar(scoped_users(current_user).where(User.id == user_id))
    if user is None:
        refuse(404, entity="users", entity_id=user_id)
    return user


def _placeable_units(form: UserPlacementForm) -> UserPlacementForm:
    """The unit field offers the units of the admin's own subtree, where they may place accounts; the role field
    names the supervisor for the level where the list places them."""
    units = db.session.scalars(sa.select(Unit).where(Unit.id.in_(units_under(current_user.unit))).order_by(Unit.path))
    form.unit.choices = unit_choices(list(units), _("Choose…"))
    form.role.choices = role_choices(edition_has_districts(current_user.unit.edition))
    departments = db.session.scalars(scoped_departments(current_user).order_by(Department.name))
    form.department.choices = [("", _("None")), *((str(department.id), department.name) for department in departments
                                                  if department.active or str(department.id) == form.department.data)]
    return form


def _show_rejection(form, rejection: UserRejected) -> None:
    """Next to its field where the form has one; otherwise at the top of the page."""
    field = getattr(form, rejection.field, None)
    if field is None:
        flash(str(rejection), "error")
    else:
        field.errors.append(str(rejection))


def _waiting_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(scoped_grants(current_user).subquery()))


@bp.route("/")
@requires("users.manage")
def index():
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    query = scoped_users(current_user).order_by(User.username)
    users = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("users/index.html", users=users, waiting=_waiting_count(), now=utcnow())


@bp.route("/new", methods=["GET", "POST"])
@requires("users.manage")
def create():
    form = _placeable_units(UserCreateForm())
    if form.validate_on_submit():
        try:
            issued = create_account(username=form.username.data, full_name=form.full_name.data,
                                    role=form.role.data, unit_code=form.unit.data, email=form.email.data,
                                    office=form.office.data, department=form.department.data, by=current_user)
        except UserRejected as rejection:
            _show_rejection(form, rejection)
        else:
            # Shown in this answer only: the code is never stored readable, nor put in a link or a cookie.
            return render_template("users/activation.html", issued=issued, created=True)
    return render_template("users/create.html", form=form)


@bp.route("/<int(max=2147483647):user_id>", methods=["GET", "POST"])
@requires("users.manage")
def edit(user_id):
    user = _get_user(user_id)
    form = _placeable_units(UserPlacementForm(data={"role": user.role, "unit": user.unit.code,
                                                    "email": user.email or "", "office": user.office or "",
                                                    "department": str(user.department_id or "")}))
    if form.validate_on_submit():
        try:
            grant = change_role_and_unit(user, role=form.role.data, unit_code=form.unit.data, email=form.email.data,
                                         office=form.office.data, department=form.department.data, by=current_user)
        except UserRejected as rejection:
            _show_rejection(form, rejection)
        else:
            if grant is not None and grant.kind == "placement":
                flash(_("The change for %(username)s waits for a second person's approval (another administrator "
                        "of your unit or above, or the province officer); until then the account keeps its role "
                        "and unit.", username=user.username), "info")
            elif grant is not None:
                flash(_("Account %(username)s updated; it can sign in once a second person approves its access.",
                        username=user.username), "info")
            else:
                flash(_("Account %(username)s updated.", username=user.username), "success")
            return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/edit.html", user=user, form=form, now=utcnow(),
                           grant=approvals.open_grant(user))


@bp.route("/<int(max=2147483647):user_id>/password", methods=["GET", "POST"])
@requires("users.manage")
def password(user_id):
    """A new activation code (a forgotten password): asked first, since the account's password stops working."""
    user = _get_user(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("users/password.html", user=user, form=form, can_read_cases=reads_cases(user.role))
    try:
        issued = reset_access(user, by=current_user)
    except UserRejected as rejection:
        flash(str(rejection), "error")
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/activation.html", issued=issued, created=False)


@bp.route("/<int(max=2147483647):user_id>/deactivate", methods=["GET", "POST"])
@requires("users.manage")
def deactivate(user_id):
    """Asks first: a deactivated worker's cases wait for someone else, and the person is signed out at once."""
    user = _get_user(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("users/deactivate.html", user=user, form=form)
    try:
        set_active(user, False, by=current_user)
    except UserRejected as rejection:
        flash(str(rejection), "error")
        return redirect(url_for("users.edit", user_id=user.id))
    flash(_("Account %(username)s deactivated; it can no longer sign in.", username=user.username), "success")
    return redirect(url_for("users.index"))


@bp.route("/<int(max=2147483647):user_id>/reactivate", methods=["POST"])
@requires("users.manage")
def reactivate(user_id):
    user = _get_user(user_id)
    try:
        set_active(user, True, by=current_user)
    except UserRejected as rejection:
        flash(str(rejection), "error")
        return redirect(url_for("users.edit", user_id=user.id))
    flash(_("Account %(username)s reactivated. Its old sessions and API tokens stay ended.",
            username=user.username), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/approvals")
@requires("accounts.approve")
def waiting_for_approval():
    return render_template("users/approvals.html", grants=approvals.waiting_for(current_user),
                           manages=can(current_user, "users.manage"))


@bp.route("/approvals/<int(max=2147483647):grant_id>/<any(approve, refuse):decision>", methods=["POST"])
@requires("accounts.approve")
def decide(grant_id, decision):
    grant = approvals.grant_to_decide(grant_id, current_user)
    if grant is None:
        refuse(404, entity="access_grants", entity_id=grant_id)
    name = grant.user.full_name
    try:
        if decision == "approve":
            approvals.approve(grant, current_user)
            flash(_("Approved: %(name)s now has the access asked for.", name=name), "success")
        else:
            approvals.refuse(grant, current_user)
            flash(_("Refused: %(name)s gets no access to cases from this request.", name=name), "success")
    except (approvals.DecisionRefused, UserRejected) as problem:
        flash(str(problem), "error")
    return redirect(url_for("users.waiting_for_approval"))
