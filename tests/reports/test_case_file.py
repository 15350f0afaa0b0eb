"""The case file (hồ sơ): its contents in Vietnamese, its furniture, who may print it, and its audit entry."""
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from app.cases import services
from app.orm import utcnow
from tests.api.test_cases import token_for
from tests.factories import child_details, last_audit_entry, pdf_text, record_review

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))


@pytest.fixture
def worker(make_user):
    return make_user("worker", full_name="Trần Thị Bảo")


@pytest.fixture
def case(worker):
    from app.cases.services import open_case
    from tests.factories import report

    return open_case(worker, worker.unit, report(description="Bảo vệ trẻ em: hàng xóm báo trẻ bị đánh."),
                     child_details=child_details(full_name="Nguyễn Văn Ân"))


def followed_through(case, worker, leader):
    services.assess(case, worker, {"repeated_harm": True}, "Trẻ sợ về nhà.", case.version)
    services.draft_plan(case, worker, "Trẻ an toàn tại nhà", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    services.log(case, worker, "visit", utcnow() - timedelta(minutes=5), "Đã thăm nhà, trẻ ổn định.")
    record_review(case, worker, note="Gia đình hợp tác.")
    return case


def test_the_case_file_text_reads_back_as_the_same_vietnamese(client, sign_in, worker, case):
    sign_in(worker)
    response = client.get(f"/cases/{case.reference}/file.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Nguyễn Văn Ân" in text and "Bảo vệ trẻ em" in text


def test_the_case_file_holds_the_child_the_assessment_the_approved_plan_the_timeline_and_the_review(
        client, sign_in, worker, make_user, case):
    followed_through(case, worker, make_user("commune_leader", full_name="Lê Văn Chủ"))
    sign_in(worker)
    text = pdf_text(client.get(f"/cases/{case.reference}/file.pdf").data)
    for expected in ("Trẻ sợ về nhà.", "Trẻ an toàn tại nhà", "Thăm gia đình hằng tuần", "Lê Văn Chủ",
                     "Đã thăm nhà, trẻ ổn định.", "Gia đình hợp tác."):
        assert expected in text


def test_the_case_file_holds_the_referrals_and_escalations(client, sign_in, worker, make_user, case):
    from app.escalations.services import raise_by_hand
    from app.referrals.services import act
    from tests.factories import make_referral

    referral = make_referral(case, worker, to="10510", reason="Cần chuyển sang phường Bình Hàn.")
    act(referral, make_user("supervisor", full_name="Phạm Duyệt"), "approve")
    raise_by_hand(case, worker, "Gia đình đe doạ cán bộ.")
    sign_in(worker)
    text = " ".join(pdf_text(client.get(f"/cases/{case.reference}/file.pdf").data).split())  # cells wrap lines
    for expected in ("Cần chuyển sang phường Bình Hàn.", "Phạm Duyệt", "Gia đình đe doạ cán bộ.", "Huyện Cẩm Giàng"):
        assert expected in text


def test_every_page_carries_the_unit_the_reference_confidential_and_page_x_of_y(client, sign_in, worker, case):
    for number in range(60):
        services.log(case, worker, "note", utcnow() - timedelta(minutes=number), f"Ghi chú số {number}.")
    sign_in(worker)
    pages = PdfReader(io.BytesIO(client.get(f"/cases/{case.reference}/file.pdf").data)).pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "Xã Cẩm Phúc" in text and case.reference in text and "MẬT" in text
        assert f"Trang {number}/{len(pages)}" in text


def test_the_footer_names_who_printed_it_and_when_in_viet_nam_time(client, sign_in, worker, case):
    sign_in(worker)
    text = pdf_text(client.get(f"/cases/{case.reference}/file.pdf").data)
    local = (utcnow() + timedelta(hours=7)).strftime("%d/%m/%Y")
    assert f"In bởi Trần Thị Bảo ({worker.username})" in text and local in text


def test_printing_the_case_file_is_recorded_in_the_audit_trail(client, sign_in, worker, case):
    sign_in(worker)
    client.get(f"/cases/{case.reference}/file.pdf")
    entry = last_audit_entry(action="case_file_printed")
    assert entry.actor == worker.username and entry.case_ref == case.reference and entry.unit_path == case.unit.path


def test_a_case_outside_the_readers_area_answers_404_and_is_not_printed(client, sign_in, make_user, case):
    sign_in(make_user("worker", unit="10966"))
    assert client.get(f"/cases/{case.reference}/file.pdf").status_code == 404
    assert last_audit_entry(action="case_file_printed") is None
    assert last_audit_entry(action="access_denied") is not None


def test_an_administrator_may_not_print_a_case_file(client, sign_in, make_user, case):
    sign_in(make_user("admin"))
    assert client.get(f"/cases/{case.reference}/file.pdf").status_code == 403


def test_the_api_answers_the_case_file_and_records_the_printing(client, make_user, case):
    supervisor = make_user("supervisor")
    response = client.get(f"/api/v1/cases/{case.reference}/file.pdf", headers=token_for(client, supervisor))
    assert response.status_code == 200 and "Nguyễn Văn Ân" in pdf_text(response.data)
    assert last_audit_entry(action="case_file_printed").actor == supervisor.username


def test_the_api_answers_404_for_a_case_out_of_scope(client, make_user, case):
    response = client.get(f"/api/v1/cases/{case.reference}/file.pdf",
                          headers=token_for(client, make_user("worker", unit="10966")))
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_the_case_page_links_to_its_file(client, sign_in, worker, case):
    sign_in(worker)
    assert f"/cases/{case.reference}/file.pdf" in client.get(f"/cases/{case.reference}").text
