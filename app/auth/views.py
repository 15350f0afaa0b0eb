from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.forms import ActivationForm, ChangePasswordForm, SignInForm
from app.auth.limits import limited_per_address
from app.auth.services import (AccountLocked, ActivationRefused, AwaitingApproval, PasswordRejected, SignInDelayed,
                               SignInRefused, activate as activate_account, authenticate, change_own_password,
                               record_sign_out, remember_locale)
from app.security import retry_after
from app.orm import utcnow
from app.extensions import db, login_manager
from app.input_guard import is_api_request
from app.users.models import User

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

SEEN_KEY = "seen_at"
SEEN_RESOLUTION = timedelta(minutes=1)


def safe_next(target: str | None) -> str:
    """Only paths on this site, so a crafted link cannot send someone elsewhere after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


def _end_session(reason: str) -> None:
    """Sign out and forget the session, keeping only the chosen language."""
    if current_user.is_authenticated:
        record_sign_out(current_user, reason)
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _start_session(user) -> None:
    """A fresh session (no fixation), in the user's language, or the one chosen before signing in."""
    chosen = session.get("locale")
    session.clear()
    login_user(user)
    session.permanent = True
    session[SEEN_KEY] = utcnow().timestamp()
    if user.locale is None and chosen:
        remember_locale(user, chosen)
    if user.locale:
        session["locale"] = user.locale


@bp.route("/sign-in", methods=["GET", "POST"])
@limited_per_address
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except (SignInRefused, AwaitingApproval) as refusal:
            form.password.errors.append(str(refusal))
        except SignInDelayed as delay:
            form.password.errors.append(str(delay))
            status, headers = 429, {"Retry-After": retry_after(delay.seconds)}
        else:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/sign_in.html", form=form), status, headers


@bp.route("/activate", methods=["GET", "POST"])
@limited_per_address
def activate():
    """A person chooses their password with the one-time code an administrator gave them."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            user = activate_account(form.username.data, form.code.data, form.new_password.data)
        except ActivationRefused as refusal:
            form.code.errors.append(str(refusal))
        except PasswordRejected as rejection:
            form.new_password.errors.append(str(rejection))
        else:
            if user.awaiting_approval:
                flash(_("Your password is set. Your account can be used once a second person approves its access "
                        "to cases; then sign in here."), "success")
            else:
                flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/activate.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    _end_session("signed_out")
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.old_password.data, form.new_password.data)
        except AccountLocked:
            _end_session("locked")
            flash(_("Too many wrong passwords: you have been signed out. Sign in again; you may have to wait a "
                    "while first."), "error")
            return redirect(url_for("auth.sign_in"))
        except PasswordRejected as rejection:
            getattr(form, rejection.field).errors.append(str(rejection))
        else:
            # The new session version ends every other session; this one carries on.
            _start_session(current_user._get_current_object())
            flash(_("Your password has been changed. Other sessions have been signed out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.before_app_request
def end_idle_sessions():
    """Sign out a session that has been idle too long; the clock lives in the signed cookie."""
    if is_api_request() or SEEN_KEY not in session:
        return None
    now = utcnow().timestamp()
    idle = now - session[SEEN_KEY]
    if idle > current_app.config["IDLE_TIMEOUT"].total_seconds():
        _end_session("idle")
        flash(_("You were signed out after %(minutes)d minutes without activity.",
                minutes=int(current_app.config["IDLE_TIMEOUT"].total_seconds() // 60)), "info")
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    # Moving the clock re-signs and re-sends the cookie; once a minute keeps the limit to within a minute (a
    # session may end up to a minute early, never late) without doing so on every request.
    if idle >= SEEN_RESOLUTION.total_seconds():
        session[SEEN_KEY] = now
    return None


login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user_from_session(user_id: str):
    """The session's user, unless their session version moved on (password changed, deactivated)."""
    if is_api_request():
        return None
    raw_id, _sep, version = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user
