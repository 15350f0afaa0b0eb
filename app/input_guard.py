"""Refuse input that no database can store, before any view sees it.

PostgreSQL text holds neither a NUL character nor a lone UTF-16 surrogate; without
this guard such a value would reach the driver (or the password hasher) and fail
there as a server error. JSON bodies are parsed once, here, for the API to use, after
their nesting is measured without recursion: a body nested hundreds of levels deep
would otherwise exhaust the stack of whatever walks it.
"""
import json
import re
from typing import Callable

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

_MALFORMED = object()
# No body of the API nests deeper than a case's child's carers (4 levels).
MAX_JSON_DEPTH = 20
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]|[\]}]')


class Unacceptable(BadRequest):
    """Input refused before any view sees it, for a reason the answer says in the reader's language."""

    def __init__(self, message: str):
        super().__init__(description=message)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


MAX_ID = 2**31 - 1  # ids and versions are 32-bit integers in the database


def whole_number(text: str | None) -> int | None:
    """`text` as an id or a version, or None: ASCII digits only (str.isdigit also takes "²") and within 32 bits."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


def _storable_text(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _storable(value) -> bool:
    """Every string in `value` (keys too) is storable; walked with a list, not recursion."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            if not _storable_text(item):
                return False
        elif isinstance(item, dict):
            waiting.extend(item.keys())
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
    return True


def nesting_depth(text: str, limit: int) -> int:
    """How deep the arrays and objects of JSON `text` nest, counted up to `limit` + 1 (brackets in strings do not
    count)."""
    depth = deepest = 0
    for token in _JSON_TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        elif mark in "]}":
            depth -= 1
    return deepest


def _parse_json_body():
    body = request.get_data(cache=True)
    try:
        text = body.decode(json.detect_encoding(body))
    except (UnicodeDecodeError, LookupError):
        return _MALFORMED
    if nesting_depth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise Unacceptable(_("The request body nests more than %(limit)d levels deep.", limit=MAX_JSON_DEPTH))
    try:
        return json.loads(text)
    except ValueError:
        return _MALFORMED


def json_payload():
    """The request body as JSON, or None when it is not valid JSON."""
    payload = g.get("json_payload", _MALFORMED)
    return None if payload is _MALFORMED else payload


def fit_remote_address() -> None:
    """The client's address goes into every audit entry (a column of 64 characters). Behind proxies it is what
    they passed on in X-Forwarded-For, which a misconfigured one lets the client write."""
    from app.audit.models import AuditEntry
    from app.orm import fit

    request.remote_addr = fit(request.remote_addr, AuditEntry.ip)


def accepts_body(config_key: str, refusal: Callable[[int], str]):
    """Mark a view that takes a body larger than MAX_CONTENT_LENGTH (an upload): up to app.config[config_key]
    bytes. A larger body is refused with 413, saying `refusal(limit)`, before any of it is read."""
    def mark(view):
        view.body_limit = (config_key, refusal)
        return view
    return mark


def _body_limit():
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "body_limit", None)


def set_body_limit(_endpoint, _values) -> None:
    marked = _body_limit()
    if marked is not None:
        request.max_content_length = current_app.config[marked[0]]


def too_large_message() -> str | None:
    """What a view marked by `accepts_body` says of a body above its limit; None for other views."""
    marked = _body_limit()
    return marked[1](current_app.config[marked[0]]) if marked is not None else None


def refuse_unstorable_input():
    if not _storable_text(request.path) or \
            not all(_storable_text(v) for values in request.args.listvalues() for v in values):
        abort(400)
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if request.is_json and not is_api_request():
        abort(400)  # pages take forms; Flask-WTF would read a JSON array as form data and fail
    # An upload over the API is a form (multipart), read like the pages' forms: its file goes to a temporary file,
    # never whole into memory.
    if is_api_request() and request.mimetype != "multipart/form-data":
        g.json_payload = _parse_json_body()
        if g.json_payload is not _MALFORMED and not _storable(g.json_payload):
            abort(400)
    elif not all(_storable_text(v) for values in request.form.listvalues() for v in values):
        abort(400)


def init_app(app) -> None:
    # Before every before_request function: CSRF protection reads the form, and so the body.
    app.url_value_preprocessor(set_body_limit)
    app.before_request(fit_remote_address)
    app.before_request(refuse_unstorable_input)
