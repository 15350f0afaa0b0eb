"""Language choice and the display of dates and times (dd/mm/yyyy, in the app's time zone) and of numbers."""
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal
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


# Counts are whole; measures (a median in hours) keep one decimal, shown even when it is zero.
WHOLE, ONE_DECIMAL = "#,##0", "#,##0.0"


def number_pattern(value) -> str:
    """The Babel (and spreadsheet) pattern that shows `value`: one decimal for a float, none for a count."""
    return ONE_DECIMAL if isinstance(value, float) else WHOLE


def display_number(value) -> str:
    """A number as the reader's language writes it: 1.234 and 6,0 in Vietnamese, 1,234 and 6.0 in English."""
    if value is None:
        return ""
    return format_decimal(value, number_pattern(value))


def init_app(app) -> None:
    app.jinja_env.filters["date"] = display_date
    app.jinja_env.filters["datetime"] = display_datetime
    app.jinja_env.filters["number"] = display_number
