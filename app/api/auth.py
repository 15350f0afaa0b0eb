"""Bearer authentication. The API never accepts the session cookie, so it needs no CSRF token."""
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp
from app.api.errors import ApiError
from app.auth.services import token_for
from app.extensions import login_manager
from app.input_guard import is_api_request

PUBLIC_ENDPOINTS = {"api.create_token", "api.openapi_document"}


def bearer_value() -> str | None:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@login_manager.request_loader
def load_user_from_bearer(req):
    if not is_api_request():
        return None
    raw = bearer_value()
    token = token_for(raw) if raw else None
    if token is None:
        return None
    req.environ["app.api_token"] = token
    return token.user


def current_token():
    return request.environ.get("app.api_token")


@bp.before_request
def require_bearer():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if not current_user.is_authenticated or current_token() is None:
        raise ApiError(401, "unauthorized", _("A valid bearer token is required."))
