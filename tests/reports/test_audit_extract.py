"""The audit extract: the filtered entries, the chain's head and its verification, printed for inspectors."""
import re

import sqlalchemy as sa

from app.audit.models import AuditHead
from app.extensions import db
from tests.api.test_cases import token_for
from tests.factories import last_audit_entry, make_case, pdf_text


def test_the_extract_holds_the_filtered_entries_the_head_hash_and_the_verdict(client, sign_in, make_user):
    case = make_case(make_user("worker"))
    other = make_case(make_user("worker"))
    sign_in(make_user("inspector"))
    head_hash = db.session.scalar(sa.select(AuditHead.last_hash))  # the extract's own entry follows it
    response = client.get(f"/audit/extract.pdf?case={case.reference}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert case.reference in text and other.reference not in text
    assert head_hash in text
    assert "Chuỗi nhật ký toàn vẹn" in text and "MẬT" in text


def test_printing_an_extract_is_recorded_as_an_export_with_the_verdict(client, sign_in, make_user):
    inspector = sign_in(make_user("inspector"))
    client.get("/audit/extract.pdf?action=sign_in")
    entry = last_audit_entry(action="audit_export")
    assert entry.actor == inspector.username
    assert '"format": "pdf"' in entry.changes and '"chain_ok": true' in entry.changes


def test_a_worker_may_not_print_an_extract(client, sign_in, make_user):
    sign_in(make_user("worker"))
    assert client.get("/audit/extract.pdf").status_code == 403


def test_the_audit_page_offers_the_extract_with_its_filters(client, sign_in, make_user):
    sign_in(make_user("inspector"))
    assert "/audit/extract.pdf?action=sign_in" in client.get("/audit/?action=sign_in").text


def test_the_api_prints_the_extract_and_refuses_bad_filters(client, make_user):
    headers = token_for(client, make_user("province_officer"))
    assert client.get("/api/v1/audit/extract.pdf?action=sign_in", headers=headers).mimetype == "application/pdf"
    response = client.get("/api/v1/audit/extract.pdf?since=yesterday", headers=headers)
    assert response.status_code == 422 and "since" in response.json["error"]["fields"]


def test_the_extract_tells_each_entry_as_a_sentence_in_the_reader_s_terms(client, sign_in, make_user):
    case = make_case(make_user("worker"), place="Thôn Đông")
    sign_in(make_user("inspector"))
    text = " ".join(pdf_text(client.get(f"/audit/extract.pdf?case={case.reference}").data).split())
    assert f"tiếp nhận thông tin và lập hồ sơ {case.reference}." in text
    assert "Địa điểm: Thôn Đông" in text
    assert '{"' not in text and "received_at" not in text and "case_categories" not in text
    assert not re.search(r"\d{4}-\d\d-\d\d", text)
