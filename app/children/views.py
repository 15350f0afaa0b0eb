from flask import Blueprint, render_template
from flask_login import current_user

from app.access import refuse, requires, scoped_cases, scoped_children
from app.cases.models import Case
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Child
from app.cases.workflow import STATUSES
from app.extensions import db

bp = Blueprint("children", __name__, url_prefix="/children", template_folder="templates")


@bp.route("/<int(max=2147483647):child_id>")
@requires("cases.read")
def show(child_id):
    child = db.session.scalar(scoped_children(current_user).where(Child.id == child_id))
    if child is None:
        refuse(404, entity="children", entity_id=child_id)
    cases = db.session.scalars(scoped_cases(current_user).where(Case.child_id == child.id)
                               .order_by(Case.received_at.desc()))
    return render_template("children/show.html", child=child, cases=list(cases), sexes=SEXES,
                           groups=SPECIAL_CIRCUMSTANCES, statuses=STATUSES)
