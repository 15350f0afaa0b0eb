"""Error pages in the reader's language, and JSON errors under /api."""
import psycopg
import sqlalchemy as sa
from flask import current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, RequestEntityTooLarge

from app.extensions import db
from app.input_guard import Unacceptable, is_api_request, too_large_message
from app.orm import release_session, saved_in_this_request


# Stable codes for the API's error format; the messages are translated, these are not.
API_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 413: "too_large", 500: "server_error", 503: "unavailable"}


def _explanations() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        401: (_("Sign in required"), _("Sign in to continue.")),
        403: (_("Not allowed"),
              _("Your role does not allow this. Ask your supervisor or the administrator if you need it.")),
        404: (_("Not found"), _("There is nothing here, or it is not within your area of work.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("The request is too large.")),
        500: (_("Server error"), _("Something went wrong on our side. Nothing was saved; please try again.")),
        503: (_("Please try again in a moment"),
              _("The database cannot be reached just now (it may be restarting). Nothing was saved; please try "
                "again in a moment.")),
    }


def _respond(status: int, message: str | None = None):
    if status not in API_CODES:
        status = 500 if status >= 500 else 400
    title, explanation = _explanations()[status]
    if is_api_request():
        from app.api.errors import error_response

        return error_response(status, API_CODES[status], message or explanation)
    return render_template("errors/error.html", status=status, title=title, message=message or explanation), status


def handle_http_error(error: HTTPException):
    message = error.description if isinstance(error, Unacceptable) else None
    if isinstance(error, RequestEntityTooLarge):
        message = too_large_message()
    response = make_response(_respond(error.code or 500, message))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_csrf_error(error: CSRFError):
    return _respond(400, _("This form has expired or did not come from this site. "
                           "Go back, reload the page and try again."))


# What a database that is restarting, unreachable or out of connections raises; psycopg's own errors come through
# where SQLAlchemy does not wrap them (in the pool's connect and checkout events).
DATABASE_UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError,
                        sa.exc.PendingRollbackError, sa.exc.TimeoutError, psycopg.OperationalError,
                        psycopg.InterfaceError)
RETRY_AFTER_SECONDS = 5


def handle_database_unavailable(error: Exception):
    """503 with Retry-After. The request's work is rolled back; a connection the server cut is dropped from the
    pool. A change this request had already committed is kept: the answer then says so, lest it be sent again."""
    current_app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, error)
    release_session()
    # The page is drawn as for a visitor: the signed-in user would be read from the database.
    g._login_user = current_app.login_manager.anonymous_user()
    saved = request.method not in ("GET", "HEAD", "OPTIONS") and saved_in_this_request()
    message = _("Your change was saved, but the database could not be reached to show it. Reload to see it; do "
                "not send it again.") if saved else None
    if saved and is_api_request():
        from app.api.errors import error_response

        response = error_response(503, "unavailable_after_saving", message)
    else:
        response = make_response(_respond(503, message))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_unexpected_error(error: Exception):
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return handle_http_error(InternalServerError())


def init_app(app) -> None:
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, handle_database_unavailable)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
