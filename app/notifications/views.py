from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.cases.views import labels
from app.notifications.services import notices_for
from app.orm import utcnow

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")


@bp.route("/")
@login_required
def index():
    now = utcnow()
    return render_template("notifications/index.html", notices=notices_for(current_user, now), now=now, **labels())
