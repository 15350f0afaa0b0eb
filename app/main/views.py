import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required

from app.access import can, scoped_waiting_moves
from app.auth.services import remember_locale
from app.cases import queries
from app.cases.views import labels
from app.extensions import db
from app.escalations import services as escalations
from app.notifications.services import notices_for
from app.orm import utcnow
from app.referrals.services import approving_level
from app.register import services as register
from app.reorganisation import services as reorganisation
from app.reports import dashboard
from app.auth.views import safe_next

bp = Blueprint("main", __name__, template_folder="templates")


@bp.route("/")
@login_required
def home():
    now = utcnow()
    work = {}
    if can(current_user, "cases.work"):
        work = {"my_work": queries.my_work(current_user, now),
                "to_approve": queries.awaiting_approval(current_user, now),
                "overview": queries.overview(current_user, now), "approving_level": approving_level(current_user.unit)}
    if can(current_user, "register.confirm"):
        work["to_confirm"] = register.awaiting_confirmation(current_user)
    if can(current_user, "register.add") and not can(current_user, "register.edit"):
        work["my_entries"] = register.added_by(current_user)
    if can(current_user, "reports.dashboard"):
        work["board"] = dashboard.board(current_user, now)
    if can(current_user, "cases.place"):
        work["waiting_for_commune"] = db.session.scalar(
            scoped_waiting_moves(current_user).with_only_columns(sa.func.count()))
    if can(current_user, "users.manage"):
        work["accounts_to_place"] = reorganisation.accounts_to_place(current_user)
    if any(can(current_user, capability) for capability in ("escalations.raise", "facilities.manage",
                                                             "register.review", "reporting.prepare")):
        work["notices"] = notices_for(current_user, now)
    if not can(current_user, "escalations.raise") and can(current_user, "cases.read"):
        work["open_escalations"] = escalations.listing(current_user, only_open=True)
    return render_template(f"main/home_{current_user.role}.html", now=now, **labels(), **work)


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the chosen language in the session and, once signed in, on the account."""
    locale = request.form.get("locale")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            remember_locale(current_user, locale)
    return redirect(safe_next(request.form.get("next")))
