"""Attachments over the API (../shared/API.md, Attachments): multipart in, the contract's fields out, the same
scope, refusals and trail as the case page."""
import hashlib
import io

import pytest
import sqlalchemy as sa

from app.attachments.models import Attachment
from app.extensions import db
from tests.attachments.web import files_kept_apart, numbered_plan_decision  # noqa: F401
from tests.factories import PASSWORD, attach_file, last_audit_entry, photo


def token_for(client, user):
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(client, worker):
    return token_for(client, worker)


def multipart(data=None, filename="anh.jpg", **fields):
    return {"file": (io.BytesIO(photo() if data is None else data), filename), "kind": "injury_photo",
            "description": "Vết bầm ở cánh tay trái", "made_on": "2026-12-01", **fields}


def test_an_upload_answers_201_with_the_contracts_fields_and_the_stored_bytes_hash(client, auth, case, worker):
    response = client.post(f"/api/v1/cases/{case.reference}/attachments", data=multipart(), headers=auth)
    assert response.status_code == 201, response.json
    body = response.json
    assert {"id", "case", "kind", "content_type", "size", "sha256", "created_at", "created_by"} <= set(body)
    assert body["case"] == case.reference and body["kind"] == "injury_photo" and body["content_type"] == "image/jpeg"
    assert body["created_by"] == worker.username
    stored = client.get(f"/api/v1/attachments/{body['id']}", headers=auth)
    assert hashlib.sha256(stored.data).hexdigest() == body["sha256"] and len(stored.data) == body["size"]
    assert body["sha256"] != body["original_sha256"]  # the location and the camera were taken out
    assert response.headers["Location"] == f"/api/v1/attachments/{body['id']}"


def test_the_description_and_the_date_may_be_left_out(client, auth, case):
    response = client.post(f"/api/v1/cases/{case.reference}/attachments", headers=auth,
                           data={"file": (io.BytesIO(photo()), "IMG_0012.jpg"), "kind": "medical"})
    assert response.status_code == 201, response.json
    assert "IMG_0012.jpg" in response.json["description"]


def test_a_type_that_is_not_allowed_answers_422_and_stores_nothing(client, auth, case):
    response = client.post(f"/api/v1/cases/{case.reference}/attachments", headers=auth,
                           data=multipart(b"PK\x03\x04 not a photo", filename="anh.jpg"))
    assert response.status_code == 422 and response.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_missing_and_unknown_fields_answer_422_naming_each(client, auth, case):
    response = client.post(f"/api/v1/cases/{case.reference}/attachments", headers=auth,
                           data={"kind": "gossip", "made_on": "yesterday", "form": "99"})
    assert response.status_code == 422
    assert {"file", "kind", "made_on", "form"} <= set(response.json["error"]["fields"])


def test_a_signed_form_names_its_decision_by_the_number_printed(client, auth, case, worker, make_user):
    line = numbered_plan_decision(case, worker, make_user("commune_leader"))
    response = client.post(f"/api/v1/cases/{case.reference}/attachments", headers=auth, data=multipart(
        kind="signed_form", form="05", decision=line.label, description="Quyết định 05 đã ký"))
    assert response.status_code == 201, response.json
    assert response.json["decision"] == line.label and response.json["form"] == "05"


def test_a_case_out_of_scope_answers_404(client, case, make_user):
    other = token_for(client, make_user("worker", unit="10966", username="worker.tanviet"))
    assert client.post(f"/api/v1/cases/{case.reference}/attachments", data=multipart(),
                       headers=other).status_code == 404
    assert client.get(f"/api/v1/cases/{case.reference}/attachments", headers=other).status_code == 404


def test_a_file_out_of_scope_answers_404_and_an_admins_token_403(client, case, worker, make_user):
    attachment = attach_file(case, worker)
    other = token_for(client, make_user("worker", unit="10966", username="worker.tanviet"))
    assert client.get(f"/api/v1/attachments/{attachment.id}", headers=other).status_code == 404
    admin = token_for(client, make_user("admin", username="admin.haiduong"))
    assert client.get(f"/api/v1/attachments/{attachment.id}", headers=admin).status_code == 403


def test_the_list_holds_the_cases_files_newest_first_without_the_withdrawn(client, auth, case, worker):
    first = attach_file(case, worker, description="Ảnh thứ nhất")
    second = attach_file(case, worker, description="Ảnh thứ hai")
    withdrawn = attach_file(case, worker, description="Ảnh nhầm")
    client.post(f"/api/v1/attachments/{withdrawn.id}/withdraw", json={"reason": "Nhầm hồ sơ"}, headers=auth)
    response = client.get(f"/api/v1/cases/{case.reference}/attachments", headers=auth)
    assert response.status_code == 200 and response.json["next"] is None
    assert [item["id"] for item in response.json["items"]] == [second.id, first.id]


def test_the_inspector_asks_for_the_withdrawn_files_too(client, case, worker, make_user):
    withdrawn = attach_file(case, worker, description="Ảnh nhầm")
    client.post(f"/api/v1/attachments/{withdrawn.id}/withdraw", json={"reason": "Nhầm hồ sơ"},
                headers=token_for(client, worker))
    inspector = token_for(client, make_user("inspector", unit="30", username="inspector.haiduong"))
    items = client.get(f"/api/v1/cases/{case.reference}/attachments?withdrawn=true", headers=inspector).json["items"]
    assert [(item["id"], item["withdrawal_reason"]) for item in items] == [(withdrawn.id, "Nhầm hồ sơ")]


def test_the_list_pages_by_limit(client, auth, case, worker):
    for number in range(3):
        attach_file(case, worker, description=f"Ảnh {number}")
    response = client.get(f"/api/v1/cases/{case.reference}/attachments?limit=2", headers=auth)
    assert len(response.json["items"]) == 2 and "page=2" in response.json["next"]


def test_a_download_is_an_attachment_never_sniffed_nor_cached_and_an_audit_entry(client, auth, case, worker):
    attachment = attach_file(case, worker)
    response = client.get(f"/api/v1/attachments/{attachment.id}", headers=auth)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    entry = last_audit_entry(action="attachment_viewed")
    assert entry.entity_id == str(attachment.id) and entry.actor == worker.username


def test_a_withdrawal_needs_a_reason_and_then_the_file_is_gone_from_the_workers_reach(client, auth, case, worker):
    attachment = attach_file(case, worker)
    assert client.post(f"/api/v1/attachments/{attachment.id}/withdraw", json={"reason": " "},
                       headers=auth).status_code == 422
    assert client.post(f"/api/v1/attachments/{attachment.id}/withdraw", json={"reason": "Nhầm"},
                       headers=auth).status_code == 200
    assert client.post(f"/api/v1/attachments/{attachment.id}/withdraw", json={"reason": "Nhầm"},
                       headers=auth).status_code == 404


def test_the_openapi_document_describes_the_upload_as_multipart(client):
    document = client.get("/api/v1/openapi.json").json
    upload = document["paths"]["/cases/{reference}/attachments"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"201", "413", "422", "429"} <= set(upload["responses"])
    assert "/attachments/{number}" in document["paths"]
