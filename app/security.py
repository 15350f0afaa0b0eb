"""What every response carries to protect its reader: security headers, and no caching of what may hold a child's
data. Rate limits (Flask-Limiter, `app.extensions.limiter`) are bound and answered here too."""
from __future__ import annotations

import ipaddress
import math
import time

from flask import Flask, current_app, has_request_context, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from werkzeug.exceptions import ServiceUnavailable

from app.config import ConfigError
from app.extensions import db, limiter
from app.input_guard import is_api_request

# Only the application's own scripts and styles: no inline script or style attribute anywhere (tests walk the
# templates for them), so an injected <script> or style has nothing to run with.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if _production():
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    # Any page or answer may carry a child's data, and none is worth keeping in a shared office computer's cache
    # or a proxy's: only the static files (the same for everyone) may be kept.
    if request.endpoint != "static" and "no-store" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "no-store"
    return response


def _production() -> bool:
    return current_app.config["APP_ENV"] == "production"


def source_address() -> str | None:
    """Where the request comes from, as the sign-in limits count it: an IPv4 address whole, an IPv6 one by its /64
    network (a device picks new addresses within it at will). Behind PROXY_COUNT proxies, the client's."""
    if not has_request_context():
        return None
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(getattr(address, "ipv4_mapped", None) or address)


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


def too_many_attempts(seconds: float, message: str | None = None):
    """429 in the reader's language (a page, or the API's error format), saying when to try again."""
    message = message or _("Too many attempts from your address. Wait %(seconds)d seconds, then try again.",
                           seconds=int(retry_after(seconds)))
    return _error_response(429, "too_many_requests", _("Too many attempts"), message, seconds)


def _error_response(status: int, code: str, title: str, message: str, seconds: float):
    db.session.rollback()
    if is_api_request():
        from app.api.errors import error_response

        response = error_response(status, code, message)
    else:
        response = make_response(render_template("errors/error.html", status=status, title=title, message=message),
                                 status)
    response.headers["Retry-After"] = retry_after(seconds)
    return response


def handle_rate_limit(error: RateLimitExceeded):
    """429; a limit with a message of its own (uploads per account) says it, the others the sign-in's."""
    limit = limiter.current_limit
    seconds = limit.reset_at - time.time() if limit is not None else 60
    return too_many_attempts(seconds, error.description if error.limit.error_message else None)


class PasswordCheckBusy(ServiceUnavailable):
    """Every password-hashing slot of this process stayed taken for too long (a flood of sign-ins)."""

    retry_seconds = 10


def handle_busy(error: PasswordCheckBusy):
    return _error_response(503, "busy", _("Busy"), _("The server is busy checking other sign-ins. Wait %(seconds)d "
                                                     "seconds, then try again.", seconds=error.retry_seconds),
                           error.retry_seconds)


def init_app(app: Flask) -> None:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        raise ConfigError("RATELIMIT_STORAGE_URI must be set in production (redis://host:6379/0), so that every "
                          "process and host counts sign-in attempts together")
    limiter.init_app(app)
    app.after_request(add_security_headers)
    app.register_error_handler(RateLimitExceeded, handle_rate_limit)
    app.register_error_handler(PasswordCheckBusy, handle_busy)
