"""The limits per source address on everything that checks a password or an activation code (the sign-in page,
token creation, activation), counted together in the limiter's storage, which every process and host shares
(Redis in production). The limits per account are in app/auth/services.py; README, "Sign-in limits", says both.
"""
from flask import current_app, g

from app.extensions import limiter
from app.security import source_address


def _attempts() -> str:
    return current_app.config["SIGN_IN_ATTEMPTS_PER_ADDRESS"]


def _failures() -> str:
    return current_app.config["SIGN_IN_FAILURES_PER_ADDRESS"]


def _credentials_refused(response) -> bool:
    """Only a refused password, username or code counts as a failure (set by app/auth/services.py)."""
    return g.get("credentials_refused", False)


def _address() -> str:
    return source_address() or "unknown"


def limited_per_address(view):
    """Every attempt counts towards one limit, and failed ones towards a second; beyond either, 429."""
    view = limiter.shared_limit(_attempts, scope="sign-in-attempts", key_func=_address, methods=["POST"])(view)
    return limiter.shared_limit(_failures, scope="sign-in-failures", key_func=_address, methods=["POST"],
                                deduct_when=_credentials_refused)(view)
