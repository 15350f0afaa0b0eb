import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import refuse, requires, scoped_cases, scoped_children, scoped_register
from app.cases.models import Case
from app.cases.workflow import STATUSES
from app.children.forms import ChildEditForm
from app.children.models import Child
from app.cases.services import province_of
from app.children.services import ChildChanged, ChildRejected, check_for_duplicates, record_views, update_child
from app.deadlines.services import local_zone
from app.extensions import db
from app.input_guard import whole_number
from app.orm import utcnow
from app.register.models import RegisterEntry
from app.register.services import record_views as record_register_views
from app.register.views import labels as register_labels


def local_today():
    return utcnow().astimezone(local_zone()).date()


bp = Blueprint("children", __name__, url_prefix="/children", template_folder="templates")


def _load(child_id: int) -> Child:
    child = db.session.scalar(scoped_children(current_user).where(Child.id == child_id))
    if child is None:
        refuse(404, entity="children", entity_id=child_id)
    return child


@bp.route("/<int(max=2147483647):child_id>")
@requires("cases.read")
def show(child_id):
    """The child's details, their register entry and their cases."""
    child = _load(child_id)
    cases = list(db.session.scalars(scoped_cases(current_user).where(Case.child_id == child.id)
                                    .order_by(Case.received_at.desc())))
    entry = db.session.scalar(scoped_register(current_user).where(RegisterEntry.child_id == child.id))
    # The register's groups are the 14 of art. 10 and "at risk": they label the child's special circumstances too.
    page = render_template("children/show.html", child=child, cases=cases, entry=entry, statuses=STATUSES,
                           today=local_today(), **register_labels())
    record_views(current_user, [child])
    record_register_views([entry] if entry is not None else [])
    return page


@bp.route("/<int(max=2147483647):child_id>/edit", methods=["GET", "POST"])
@requires("children.edit")
def edit(child_id):
    child = _load(child_id)
    form = ChildEditForm(obj=None if request.method == "POST" else _as_form_data(child))
    status = 200
    if form.validate_on_submit():
        details = form.details(child.address_unit)
        try:
            completed = update_child(child, details, utcnow().astimezone(local_zone()).date(),
                                     whole_number(form.version.data))
        except ChildRejected as refusal:
            db.session.rollback()
            for name, messages in refusal.fields.items():
                getattr(form, name).errors = list(getattr(form, name).errors) + messages
            status = 422
        except ChildChanged as refusal:
            db.session.rollback()
            db.session.refresh(child)
            flash(str(refusal), "error")
            status = 409
        else:
            flash(_("The child's details were saved."), "success")
            if completed:
                _check_again(child, details)
            return redirect(url_for("children.show", child_id=child.id))
    elif request.method == "POST":
        status = 422
    # Whichever commune keeps the entry, the child's circumstances follow its groups (children/services.py).
    registered = db.session.scalar(sa.select(RegisterEntry.id).where(RegisterEntry.child_id == child.id)) is not None
    page = render_template("children/edit.html", child=child, form=form, registered=registered)
    entry = db.session.scalar(scoped_register(current_user).where(RegisterEntry.child_id == child.id))
    record_views(current_user, [child])
    record_register_views([entry] if entry is not None else [])
    return page, status


def _check_again(child: Child, details) -> None:
    """A child first recorded with what the reporter did not know is checked for duplicates once completed
    (Mẫu 01): the name or birth now known may match a child on record."""
    check = check_for_duplicates(current_user, details, province_of(current_user.unit), scoped_children(current_user))
    others = [other for other in check.found if other.id != child.id]
    for other in others:
        flash(_("This child may already be on record as %(name)s, born %(year)d. If it is the same child, ask your "
                "district to join the two records.", name=other.name_shown, year=other.birth_year), "info")
    if check.elsewhere:
        flash(_("A child with these details is on record elsewhere in the province. If it is the same child, ask "
                "your district to refer the case."), "info")


class _as_form_data:
    """The child's values under the form's field names."""

    def __init__(self, child: Child):
        for name in ("full_name", "other_names", "sex", "date_of_birth", "birth_year", "id_number", "ethnicity",
                     "address_detail", "school", "special_circumstances", "version"):
            setattr(self, name, getattr(child, name))
        self.child_description = child.description
        self.carers = [{"name": carer.name, "relationship": carer.relationship_to_child, "phone": carer.phone,
                        "age": carer.age, "occupation": carer.occupation} for carer in child.carers]
