from flask import jsonify
from flask_login import current_user

from app.api import bp
from app.api.auth import current_token
from app.api.errors import ApiError, json_body
from app.auth.limits import limited_per_address
from app.auth.services import (AwaitingApproval, SignInDelayed, SignInRefused, authenticate, issue_token,
                               revoke_token)
from app.security import too_many_attempts


@bp.post("/tokens")
@limited_per_address
def create_token():
    payload = json_body({"username": str, "password": str})
    try:
        user = authenticate(payload["username"], payload["password"])
    except SignInRefused as refusal:
        raise ApiError(401, "invalid_credentials", str(refusal)) from None
    except AwaitingApproval as refusal:
        raise ApiError(403, "approval_pending", str(refusal)) from None
    except SignInDelayed as delay:
        return too_many_attempts(delay.seconds, str(delay))
    raw, token = issue_token(user)
    return jsonify({"token": raw, "expires_at": token.expires_at.isoformat()}), 201


@bp.delete("/tokens/current")
def delete_current_token():
    revoke_token(current_token())
    return "", 204


@bp.get("/me")
def me():
    return jsonify({"username": current_user.username, "full_name": current_user.full_name,
                    "role": current_user.role, "unit": current_user.unit.code, "locale": current_user.locale})
