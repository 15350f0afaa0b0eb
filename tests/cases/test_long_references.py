"""A case reference longer than any case's (40 characters) is simply not found, on every route that names a case.

SQLite does not enforce column lengths; PostgreSQL does, so this runs on both: the refusal is recorded with the
reference cut to the trail's column, marked as cut.
"""
import pytest
from flask import url_for

from app.api.cases import STEPS
from app.audit.models import AuditEntry
from app.cases.views import STEP_FORMS
from tests.cases.test_pages import case_routes
from tests.factories import audit_entries

LONG_REFERENCES = ["HD-10933-2026-" + "9" * 27, "HD-" + "ả" * 300]


@pytest.mark.parametrize("reference", LONG_REFERENCES, ids=["41-characters", "300-characters"])
def test_every_case_route_answers_404_to_a_reference_too_long_for_any_case_and_records_it(app, make_user, sign_in,
                                                                                       client, reference):
    user = sign_in(make_user("worker"))
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": "correct horse battery"}
                        ).json["token"]
    limit = AuditEntry.entity_id.type.length
    for rule, method in case_routes(app):
        if "reference" not in rule.arguments:
            continue
        steps = [None] if "step" not in rule.arguments else STEPS if rule.rule.startswith("/api/") else STEP_FORMS
        for step in steps:
            with app.test_request_context():
                path = url_for(rule.endpoint, reference=reference, **({"step": step} if step else {}),
                               **({"form": "mau-01"} if "form" in rule.arguments else {}))
            api = path.startswith("/api/")
            before = len(audit_entries(action="access_denied"))
            response = client.open(path, method=method, json={} if api else None,
                                   headers={"Authorization": f"Bearer {token}", "If-Match": '"1"'} if api else {})
            assert response.status_code == 404, (method, path, response.status_code)
            refusals = audit_entries(action="access_denied")
            assert len(refusals) == before + 1, (method, path)
            assert refusals[-1].entity_id == reference[:limit - 1] + "…"
