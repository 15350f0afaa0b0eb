"""Refuse input no database can store, before any view sees it.

PostgreSQL text cannot hold a NUL character; without this guard a NUL in any
field would reach the driver and fail there as a server error.
"""
from flask import abort, request


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def refuse_nul_characters():
    if "\x00" in request.full_path:
        abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if any(_holds_nul(value) for value in request.form.values()) or \
                (request.is_json and _holds_nul(request.get_json(silent=True))):
            abort(400)


def init_app(app) -> None:
    app.before_request(refuse_nul_characters)
