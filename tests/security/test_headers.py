"""Headers every response carries, in development and production (issue 14, item 10)."""
import re
from pathlib import Path

import pytest

from app.security import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD

APP = Path(__file__).resolve().parents[2] / "app"


def _token(client, user):
    return client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]


@pytest.fixture
def responses(client, make_user, sign_in):
    """A page before sign-in, pages of a signed-in worker, an error page, and API answers."""
    found = {"sign-in page": client.get("/auth/sign-in")}
    worker = make_user("worker")
    token = _token(client.application.test_client(), worker)
    sign_in(worker)
    found["home page"] = client.get("/")
    found["case list"] = client.get("/cases/")
    found["not found page"] = client.get("/cases/HD-00000-2000-0000")
    api = client.application.test_client()
    found["API answer"] = api.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    found["API error"] = api.get("/api/v1/cases")
    return found


def test_every_response_carries_the_content_security_policy_and_its_companions(responses):
    for name, response in responses.items():
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name


def test_the_policy_allows_only_the_application_s_own_scripts_and_styles_and_no_framing():
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_pages_and_api_answers_are_never_stored_by_a_cache(responses):
    for name, response in responses.items():
        assert response.headers["Cache-Control"] == "no-store", name


def test_static_files_may_still_be_cached(client, units):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_is_sent_in_production_only(app, client, units):
    assert "Strict-Transport-Security" not in client.get("/auth/sign-in").headers
    app.config["APP_ENV"] = "production"
    try:
        assert client.get("/auth/sign-in").headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        app.config["APP_ENV"] = "testing"


def _templates():
    return sorted(APP.rglob("templates/**/*.html"))


def test_no_template_holds_an_inline_script_a_style_or_an_event_handler():
    """What the policy would block must not be needed: scripts come from files, styles from the stylesheet."""
    assert _templates()
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for script in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in script, f"inline script in {template}"
        assert not re.search(r"<style\b", text), f"<style> in {template}"
        assert not re.search(r"\sstyle\s*=", text), f"style attribute in {template}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"event handler attribute in {template}"
