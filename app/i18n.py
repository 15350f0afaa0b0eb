"""Language choice and the display of dates and times (dd/mm/yyyy, in the app's time zone)."""
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime
from flask_login import current_user

from app.input_guard import is_api_request


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if is_api_request():
        return request.accept_languages.best_match(languages) or default
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return default


def display_date(value) -> str:
    return format_date(value, "dd/MM/yyyy") if value else ""


def display_datetime(value) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def init_app(app) -> None:
    app.jinja_env.filters["date"] = display_date
    app.jinja_env.filters["datetime"] = display_datetime
