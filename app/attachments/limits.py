"""The limits on uploads: files per account and hour (Flask-Limiter, counted in the limiter's shared storage, Redis
in production, so that every process and host counts together), and the largest request body an upload route
reads (larger ones are refused with 413 before they are read)."""
import time

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import limiter
from app.input_guard import accepts_body
from app.security import source_address


def _per_hour() -> str:
    return current_app.config["ATTACHMENT_UPLOADS_PER_HOUR"]


def _account() -> str:
    # Those not signed in are refused anyway; they count by address meanwhile.
    return f"account-{current_user.id}" if current_user.is_authenticated else source_address() or "unknown"


def _too_many() -> str:
    limit = limiter.current_limit
    minutes = max(1, round((limit.reset_at - time.time()) / 60)) if limit is not None else 60
    return _("You have added as many files as one account may in an hour. Nothing of this one was kept: add it "
             "again in %(minutes)d minutes.", minutes=minutes)


def _too_large(limit: int) -> str:
    from app.attachments.page import size_label

    return _("The file is too large: files of at most %(size)s can be attached, and nothing was kept. Go back to the "
             "case and choose a smaller file, or scan the document at a lower resolution.",
             size=size_label(current_app.config["ATTACHMENT_MAX_BYTES"]))


def upload_route(view):
    """An upload: counted against the account's hourly limit (the page's and the API's together), its body read
    only up to ATTACHMENT_BODY_LIMIT."""
    view = limiter.shared_limit(_per_hour, scope="attachment-uploads", key_func=_account, methods=["POST"],
                                error_message=_too_many)(view)
    return accepts_body("ATTACHMENT_BODY_LIMIT", _too_large)(view)
