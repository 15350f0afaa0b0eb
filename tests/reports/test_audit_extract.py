"""The audit extract: the filtered entries, the chain's head and its verification, printed for inspectors."""
import json
import re
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.audit import services
from app.audit.models import AuditHead
from app.audit.recorder import record
from app.extensions import db
from tests.api.test_cases import token_for
from tests.database import behind_the_back
from tests.factories import audit_entries, last_audit_entry, make_case, pdf_text


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
    assert "Tính toàn vẹn của chuỗi nhật ký" in text and "MẬT" in text


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


# The chain's check on the extract: walked on from the last full verification, its basis stated.

def _head() -> int:
    return db.session.scalar(sa.select(AuditHead.last_id))


def _extract_text(client, **filters) -> str:
    return " ".join(pdf_text(client.get("/audit/extract.pdf", query_string=filters).data).split())


def _local(app, moment) -> str:
    return moment.astimezone(ZoneInfo(app.config["APP_TIMEZONE"])).strftime("%d/%m/%Y %H:%M")


def _tamper(entry_id):
    with behind_the_back() as connection:
        connection.execute(sa.text("UPDATE audit_entries SET actor = 'someone.else' WHERE id = :id"), {"id": entry_id})


def _verified_up_to() -> int:
    return json.loads(last_audit_entry(action="audit_verify").changes)["head_id"]


def test_the_extract_walks_on_from_the_last_full_verification_and_states_it(app, client, sign_in, make_user):
    sign_in(make_user("inspector", full_name="Đặng Thanh Tra"))
    client.post("/audit/verify")
    verification, verified_up_to = last_audit_entry(action="audit_verify"), _verified_up_to()
    make_user("worker")
    make_user("worker")
    after = _head() - verified_up_to
    text = _extract_text(client, action="sign_in")
    assert (f"Tính toàn vẹn của chuỗi nhật ký đã kiểm tra đầy đủ lúc {_local(app, verification.at)} bởi Đặng Thanh "
            f"Tra (đến bản ghi số {verified_up_to}), và kiểm tra thêm {after} bản ghi sau đó lúc in: "
            "nguyên vẹn.") in text
    assert len(audit_entries(action="audit_verify")) == 1


def test_the_extract_reads_only_the_entries_after_the_last_verification(client, sign_in, make_user):
    sign_in(make_user("inspector"))
    client.post("/audit/verify")
    verified_up_to = _verified_up_to()
    for _number in range(3):
        make_user("worker")
    check = services.verify_since_last_verification()
    assert check.verdict.ok and check.basis_head == verified_up_to
    assert check.verdict.entries == _head() - verified_up_to < verified_up_to


def test_the_extract_says_what_its_basis_does_not_prove(app, client, sign_in, make_user):
    sign_in(make_user("inspector"))
    client.post("/audit/verify")
    verification, verified_up_to = last_audit_entry(action="audit_verify"), _verified_up_to()
    text = _extract_text(client, action="sign_in")
    assert (f"Điều lần kiểm tra này không chứng minh Các bản ghi đến số {verified_up_to} không được đọc lại cho bản "
            f"trích lục này: thay đổi nào đối với chúng kể từ {_local(app, verification.at)} sẽ được phát hiện ở lần "
            "kiểm tra đầy đủ tiếp theo") in text


def test_an_entry_changed_after_the_last_verification_is_reported_on_the_extract(client, sign_in, make_user):
    sign_in(make_user("inspector"))
    client.post("/audit/verify")
    victim = make_user("worker")
    victim_entry = last_audit_entry(entity="users", entity_id=str(victim.id))
    make_user("worker")
    _tamper(victim_entry.id)
    text = _extract_text(client, action="sign_in")
    assert (f"rồi kiểm tra tiếp từ đó lúc in: bị đứt tại bản ghi số {victim_entry.id}. Hãy báo cáo Thanh tra "
            "tỉnh.") in text
    assert '"chain_ok": false' in last_audit_entry(action="audit_export").changes


def test_the_entry_the_last_verification_reached_must_still_hold(client, sign_in, make_user):
    sign_in(make_user("inspector"))
    client.post("/audit/verify")
    verified_up_to = _verified_up_to()
    _tamper(verified_up_to)
    assert f"bị đứt tại bản ghi số {verified_up_to}." in _extract_text(client, action="sign_in")


def test_a_change_before_the_last_verification_is_left_to_the_next_full_one(client, sign_in, make_user):
    """What the extract's basis does not prove, as it says: the entries before it are not read again."""
    sign_in(make_user("inspector"))
    client.post("/audit/verify")
    _tamper(_verified_up_to() - 5)
    assert services.verify_since_last_verification().verdict.ok
    assert not services.verify_chain().ok


def test_without_a_verification_the_extract_verifies_the_whole_chain_and_records_it(client, sign_in, make_user):
    sign_in(make_user("inspector"))
    head = _head()
    text = _extract_text(client, action="sign_in")
    assert f"đã kiểm tra đầy đủ ngay lúc in, {head} bản ghi: nguyên vẹn." in text
    assert "Điều lần kiểm tra này không chứng minh" not in text
    recorded = json.loads(last_audit_entry(action="audit_verify").changes)
    assert recorded["ok"] and recorded["head_id"] == head
    assert services.verify_since_last_verification().basis_head == head


def test_a_verification_that_found_a_break_is_no_basis(client, sign_in, make_user):
    sign_in(make_user("inspector"))
    client.post("/audit/verify")
    victim = _verified_up_to() - 5
    _tamper(victim)
    client.post("/audit/verify")
    text = _extract_text(client, action="sign_in")
    assert f"đã kiểm tra đầy đủ ngay lúc in: bị đứt tại bản ghi số {victim}. Hãy báo cáo Thanh tra tỉnh." in text


def test_a_verification_naming_an_entry_after_its_own_is_no_basis(app, make_user):
    """Else a forged one could place the basis past itself, and the walk would never read it."""
    record(db.session, "audit_verify", changes={"ok": True, "head_id": 10**9, "head_hash": "0" * 64})
    db.session.commit()
    assert services.verified_basis() is None


def test_the_extract_states_its_basis_in_the_reader_s_language_with_local_time(app, client, sign_in, make_user):
    sign_in(make_user("inspector", full_name="Đặng Thanh Tra"))
    client.post("/audit/verify")
    verification, verified_up_to = last_audit_entry(action="audit_verify"), _verified_up_to()
    client.post("/language", data={"locale": "en"})
    after = _head() - verified_up_to
    text = _extract_text(client, action="sign_in")
    assert (f"Integrity of the chain fully verified on {_local(app, verification.at)} by Đặng Thanh Tra (up to "
            f"entry {verified_up_to}), and the {after} entries after it checked now: whole.") in text
    assert f"The entries up to {verified_up_to} were not read again for this extract" in text


def test_the_api_s_extract_states_its_basis_in_the_language_asked_for(client, make_user):
    headers = {**token_for(client, make_user("province_officer")), "Accept-Language": "en"}
    first = " ".join(pdf_text(client.get("/api/v1/audit/extract.pdf", headers=headers).data).split())
    second = " ".join(pdf_text(client.get("/api/v1/audit/extract.pdf", headers=headers).data).split())
    assert "Integrity of the chain fully verified now," in first
    assert re.search(r"Integrity of the chain fully verified on \d\d/\d\d/\d{4} \d\d:\d\d by .+ \(up to entry "
                     r"[\d,]+\), and the \d+ entr(y|ies) after it checked now: whole\.", second)
