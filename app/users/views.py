import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import refuse, requires, scoped_users, units_under
from app.extensions import db
from app.forms import unit_choices
from app.orm import utcnow
from app.units.models import Unit
from app.users.forms import ConfirmForm, PasswordResetForm, UserCreateForm, UserPlacementForm
from app.users.models import User
from app.users.services import UserRejected, change_role_and_unit, create_user, reset_password, set_active

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
    """The unit field offers the units of the admin's own subtree, where they may place accounts."""
    units = db.session.scalars(sa.select(Unit).where(Unit.id.in_(units_under(current_user.unit))).order_by(Unit.path))
    form.unit.choices = unit_choices(list(units), _("Choose…"))
    return form


def _show_rejection(form, rejection: UserRejected) -> None:
    """Next to its field where the form has one; otherwise at the top of the page."""
    field = getattr(form, rejection.field, None)
    if field is None:
        flash(str(rejection), "error")
    else:
        field.errors.append(str(rejection))


@bp.route("/")
@requires("users.manage")
def index():
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    query = scoped_users(current_user).order_by(User.username)
    users = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("users/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@requires("users.manage")
def create():
    form = _placeable_units(UserCreateForm())
    if form.validate_on_submit():
        try:
            user = create_user(username=form.username.data, full_name=form.full_name.data, role=form.role.data,
                               unit_code=form.unit.data, password=form.password.data, email=form.email.data,
                               by=current_user)
        except UserRejected as rejection:
            _show_rejection(form, rejection)
        else:
            flash(_("Account %(username)s created. Give the password to the person in private: they will choose "
                    "their own when they first sign in.", username=user.username), "success")
            return redirect(url_for("users.index"))
    return render_template("users/create.html", form=form)


@bp.route("/<int(max=2147483647):user_id>", methods=["GET", "POST"])
@requires("users.manage")
def edit(user_id):
    user = _get_user(user_id)
    form = _placeable_units(UserPlacementForm(data={"role": user.role, "unit": user.unit.code,
                                                    "email": user.email or ""}))
    if form.validate_on_submit():
        try:
            change_role_and_unit(user, role=form.role.data, unit_code=form.unit.data, email=form.email.data,
                                 by=current_user)
        except UserRejected as rejection:
            _show_rejection(form, rejection)
        else:
            flash(_("Account %(username)s updated.", username=user.username), "success")
            return redirect(url_for("users.index"))
    return render_template("users/edit.html", user=user, form=form, locked=user.is_locked(utcnow()))


@bp.route("/<int(max=2147483647):user_id>/password", methods=["GET", "POST"])
@requires("users.manage")
def password(user_id):
    user = _get_user(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            reset_password(user, form.password.data, by=current_user)
        except UserRejected as rejection:
            _show_rejection(form, rejection)
        else:
            flash(_("A new password is set for %(username)s; their sessions have been signed out. They will choose "
                    "their own when they next sign in.", username=user.username), "success")
            return redirect(url_for("users.index"))
    return render_template("users/password.html", user=user, form=form)


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
    set_active(user, True, by=current_user)
    flash(_("Account %(username)s reactivated.", username=user.username), "success")
    return redirect(url_for("users.index"))
