"""The JSON API under /api/v1 (../shared/API.md): bearer tokens, the same services as the pages."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import attachments, audit, auth, cases, children, errors, openapi, referrals, reports, tokens  # noqa: E402,F401  (handlers and routes register on import)
