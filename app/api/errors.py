"""The API's error format: {"error": {"code", "message", "fields"}}."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from app.api import bp
from app.input_guard import json_payload, whole_number


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def error_response(status: int, code: str, message: str, fields: dict | None = None, **more):
    """The API's error format; `more` adds members to the error object (a stale version's `changes`)."""
    body = {"error": {"code": code, "message": message, **more}}
    if fields:
        body["error"]["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(ApiError)
def handle_api_error(error: ApiError):
    return error_response(error.status, error.code, error.message, error.fields)


def json_body(fields: dict[str, type]) -> dict:
    """The request's JSON object, checked to hold each named field with the named type.

    Malformed JSON or a body that is not an object is 400; missing or mistyped fields are 422.
    """
    payload = _parse_json()
    problems: dict[str, list[str]] = {}
    for name, expected in fields.items():
        if payload.get(name) is None:
            problems[name] = [_("This field is required.")]
        elif not isinstance(payload[name], expected) or (expected is int and isinstance(payload[name], bool)):
            problems[name] = [_("Expected %(kind)s.", kind=_type_name(expected))]
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    return payload


def _parse_json() -> dict:
    payload = json_payload()
    if payload is None:
        raise ApiError(400, "malformed_json", _("The request body is not valid JSON."))
    if not isinstance(payload, dict):
        raise ApiError(400, "malformed_json", _("The request body must be a JSON object."))
    return payload


def _type_name(expected: type) -> str:
    return {str: _("a string"), bool: _("true or false"), int: _("a whole number"),
            list: _("a list"), dict: _("an object")}.get(expected, expected.__name__)


def number_argument(name: str, default, low: int, high: int, problems: dict):
    """The query's `name` as a whole number from `low` to `high`, or `default` when absent; a problem otherwise."""
    value = request.args.get(name)
    if value is None:
        return default
    number = whole_number(value)
    if number is None or not low <= number <= high:
        problems[name] = [_("Expected a whole number from %(low)d to %(high)d.", low=low, high=high)]
        return default
    return number
