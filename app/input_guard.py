"""Refuse input that no database can store, before any view sees it.

PostgreSQL text holds neither a NUL character nor a lone UTF-16 surrogate; without
this guard such a value would reach the driver (or the password hasher) and fail
there as a server error. JSON bodies are parsed once, here, for the API to use.
"""
import json

from flask import abort, g, request

_MALFORMED = object()


def is_api_request() -> bool:
    return request.path.startswith("/api/")


MAX_ID = 2**31 - 1  # ids and versions are 32-bit integers in the database


def whole_number(text: str | None) -> int | None:
    """`text` as an id or a version, or None: ASCII digits only (str.isdigit also takes "²") and within 32 bits."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


def _storable(value) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_storable(key) and _storable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_storable(item) for item in value)
    return True


def _parse_json_body():
    try:
        return json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return _MALFORMED


def json_payload():
    """The request body as JSON, or None when it is not valid JSON."""
    payload = g.get("json_payload", _MALFORMED)
    return None if payload is _MALFORMED else payload


def refuse_unstorable_input():
    if not _storable(request.path) or not all(_storable(v) for values in request.args.listvalues() for v in values):
        abort(400)
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if request.is_json and not is_api_request():
        abort(400)  # pages take forms; Flask-WTF would read a JSON array as form data and fail
    if is_api_request():
        g.json_payload = _parse_json_body()
        if g.json_payload is not _MALFORMED and not _storable(g.json_payload):
            abort(400)
    elif not all(_storable(v) for values in request.form.listvalues() for v in values):
        abort(400)


def init_app(app) -> None:
    app.before_request(refuse_unstorable_input)
