import re
from datetime import timedelta

import pytest

from app.auth.models import ApiToken
from app.extensions import db
from app.orm import utcnow
from tests.factories import PASSWORD


def get_token(client, user, password=PASSWORD):
    return client.post("/api/v1/tokens", json={"username": user.username, "password": password})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_issued_for_good_credentials(client, make_user):
    response = get_token(client, make_user("worker"))
    assert response.status_code == 201
    assert set(response.json) == {"token", "expires_at"} and "+00:00" in response.json["expires_at"]


def test_the_token_authenticates_requests(client, make_user):
    user = make_user("worker")
    token = get_token(client, user).json["token"]
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200 and response.json["username"] == user.username


def test_only_a_hash_of_the_token_is_stored(client, make_user):
    token = get_token(client, make_user("worker")).json["token"]
    stored = db.session.scalar(db.select(ApiToken))
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_wrong_credentials_get_401_in_the_error_format(client, make_user):
    response = get_token(client, make_user("worker"), password="not the password")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_credentials" and response.json["error"]["message"]


def test_the_sign_in_lockout_applies_to_tokens(client, make_user):
    user = make_user("worker")
    for _ in range(5):
        get_token(client, user, password="not the password")
    assert get_token(client, user).status_code == 401


def test_failures_on_the_page_and_the_api_count_together(client, make_user):
    user = make_user("worker")
    for _ in range(3):
        client.post("/auth/sign-in", data={"username": user.username, "password": "not the password"})
    for _ in range(2):
        get_token(client, user, password="not the password")
    assert get_token(client, user).status_code == 401


def test_revoking_the_current_token_answers_204_and_ends_it(client, make_user):
    token = get_token(client, make_user("worker")).json["token"]
    assert client.delete("/api/v1/tokens/current", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_an_expired_token_is_refused(client, make_user):
    token = get_token(client, make_user("worker")).json["token"]
    stored = db.session.scalar(db.select(ApiToken))
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_a_deactivated_users_token_stops_working(client, make_user):
    user = make_user("worker")
    token = get_token(client, user).json["token"]
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}])
def test_requests_without_a_valid_token_get_401(client, units, headers):
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_does_not_authenticate_the_api(client, make_user, sign_in):
    sign_in(make_user("worker"))
    assert client.get("/api/v1/me").status_code == 401


def test_malformed_json_gets_400(client, units):
    response = client.post("/api/v1/tokens", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == "malformed_json"


def test_a_json_body_that_is_not_an_object_gets_400(client, units):
    assert client.post("/api/v1/tokens", json=["username", "password"]).status_code == 400


def test_wrong_types_get_422_with_the_fields_named(client, units):
    response = client.post("/api/v1/tokens", json={"username": 12, "password": None})
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"username", "password"}


def test_messages_follow_accept_language(client, units):
    english = client.post("/api/v1/tokens", json={}, headers={"Accept-Language": "en"}).json
    vietnamese = client.post("/api/v1/tokens", json={}, headers={"Accept-Language": "vi"}).json
    assert english["error"]["fields"]["username"] == ["This field is required."]
    assert vietnamese["error"]["message"] != english["error"]["message"]


def test_vietnamese_is_the_default_language_of_the_api(client, units):
    default = client.post("/api/v1/tokens", json={}).json
    vietnamese = client.post("/api/v1/tokens", json={}, headers={"Accept-Language": "vi"}).json
    assert default == vietnamese


def test_an_unknown_api_path_gets_a_json_404(client, make_user):
    token = get_token(client, make_user("worker")).json["token"]
    response = client.get("/api/v1/nothing-here", headers=bearer(token))
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_a_wrong_method_gets_a_json_405(client, units):
    response = client.get("/api/v1/tokens")
    assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"


def test_the_openapi_document_describes_the_endpoints(client, units):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert {"/tokens", "/tokens/current", "/me"} <= set(document["paths"])


def test_every_api_route_is_in_the_openapi_document(app, client, units):
    """A case's steps are documented one by one, each with its own body and If-Match."""
    from app.api.cases import STEPS

    documented = {f"/api/v1{path}" for path in client.get("/api/v1/openapi.json").json["paths"]}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^>]*:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {path.replace("{step}", step) for step in STEPS} if "{step}" in path else {path}
    assert routes == documented


@pytest.mark.parametrize("body", [{"username": "a\u0000b", "password": "x"}, {"username": "a", "password": "\u0000"}])
def test_a_nul_character_gets_400_not_a_server_error(client, units, body):
    response = client.post("/api/v1/tokens", json=body)
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"


def test_a_very_long_username_is_simply_refused(client, units):
    assert client.post("/api/v1/tokens", json={"username": "x" * 10000, "password": "y"}).status_code == 401


@pytest.mark.parametrize("body", ['{"username": "abc\\u0000", "password": "x"}',
                                  '{"username": "\\ud800", "password": "x"}',
                                  '{"username": "abc", "password": "\\ud800"}'],
                         ids=["nul-as-text-plain", "surrogate-username", "surrogate-password"])
def test_unstorable_text_gets_400_whatever_the_content_type(client, make_user, body):
    make_user("worker", username="abc")
    response = client.post("/api/v1/tokens", data=body, content_type="text/plain")
    assert response.status_code == 400


@pytest.mark.parametrize("depth", [50, 500, 900, 100000])
def test_deeply_nested_json_gets_400_at_any_depth(client, units, depth):
    """The depth is refused before parsing, without recursion: at 500 levels the guard's own walk once ran out of
    stack below the depth that the parser refuses."""
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth, "[" * depth):
        response = client.post("/api/v1/tokens", data=body, content_type="application/json")
        assert response.status_code == 400 and response.json["error"]["code"] == "bad_request", (depth, body[:3])


def test_brackets_inside_strings_are_not_nesting(client, make_user):
    make_user("worker", username="abc")
    response = client.post("/api/v1/tokens", json={"username": "abc", "password": "[{" * 100 + '\\"' + "]" * 50})
    assert response.status_code == 401


def test_absurdly_nested_json_posted_to_a_page_is_not_a_server_error(client, units):
    response = client.post("/no-such-page", data="[" * 100000, content_type="application/json")
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("method, path, status", [("get", "/api/v1/nope", 404), ("get", "/api/v1/tokens", 405)])
def test_api_errors_for_unknown_routes_follow_accept_language(client, units, method, path, status):
    response = getattr(client, method)(path, headers={"Accept-Language": "en"})
    assert response.status_code == status and response.json["error"]["message"].isascii()


@pytest.mark.parametrize("method, path", [("get", "/api/v1/tokens"), ("put", "/api/v1/cases"),
                                          ("delete", "/auth/sign-in")])
def test_a_method_a_route_does_not_take_is_answered_405_with_the_methods_it_does(client, units, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert {"POST"} <= {allowed.strip() for allowed in response.headers["Allow"].split(",")}
