"""Every PDF prints with every free-text field at the longest the pages and the API accept: long texts flow
across pages instead of failing as a table cell taller than a page (the case file could not be printed again once
a 6,000-character description was saved)."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.audit.services import AuditFilter
from app.cases import services
from app.escalations.services import acknowledge, raise_by_hand
from app.extensions import db
from app.orm import utcnow
from app.referrals.services import act
from app.reports.audit_extract import print_extract
from app.units.models import Unit
from tests.api.test_cases import token_for
from tests.factories import GOOD_REVIEW, child_details, make_referral, pdf_text, report

WORDS = "Trẻ bị đánh nhiều lần, hàng xóm nghe tiếng khóc vào ban đêm và báo cho trưởng thôn. "


def text(length: int, name: str) -> str:
    """Vietnamese prose of exactly `length` characters in paragraphs, ending in a mark that says where it ends."""
    end = f" [hết {name}]"
    body = ""
    while len(body) < length - len(end):
        body += WORDS + ("\n" if len(body) % 1500 < len(WORDS) else "")
    return body[:length - len(end)] + end


@pytest.fixture
def worker(make_user):
    return make_user("worker", full_name=text(200, "tên"))


@pytest.fixture
def leader(make_user):
    return make_user("commune_leader", full_name=text(200, "tên lãnh đạo"))


@pytest.fixture
def longest_case(worker, leader, make_user):
    """A case whose every free-text field, its child's and its parts', is as long as it may be."""
    now = utcnow()
    case = services.open_case(
        worker, worker.unit,
        report(description=text(20000, "mô tả"), action_taken=text(20000, "đã làm"), place=text(300, "nơi"),
               reporter_name=text(200, "người báo"), reporter_contact=text(100, "liên hệ"),
               reporter_may_be_named=True),
        child_details=child_details(
            full_name=text(200, "họ tên"), other_names=text(200, "tên khác"), ethnicity=text(80, "dân tộc"),
            address_detail=text(300, "địa chỉ"), school=text(200, "trường"),
            carers=[{"name": text(200, "người chăm sóc"), "relationship": text(80, "quan hệ"),
                     "phone": "0912 345 678 901 234"}]))
    services.record_emergency(case, worker, services.Emergency(
        description=text(20000, "biện pháp"), taken_at=now - timedelta(minutes=30)), case.version)
    services.propose_isolation(case, worker, services.IsolationProposal(
        reason=text(20000, "lý do cách ly"), place=text(300, "nơi cách ly"), with_whom=text(300, "ở cùng"),
        first_day=date.today() - timedelta(days=1), last_day=date.today() + timedelta(days=5)), case.version)
    services.decide_isolation(case, leader, case.version)
    services.end_isolation(case, leader, date.today(), text(5000, "kết thúc cách ly"), case.version)
    services.assess(case, worker, {"repeated_harm": True}, text(20000, "đánh giá"), case.version)
    services.record_detailed_assessment(case, worker, text(20000, "đánh giá chi tiết"), text(50000, "biên bản"),
                                        case.version)
    actions = [services.PlannedAction(text(2000, f"hành động {n}"), text(200, f"người phụ trách {n}"),
                                      date(2030, 1, n)) for n in (1, 2)]
    services.draft_plan(case, worker, text(20000, "mục tiêu"), actions, case.version)
    services.submit_plan(case, worker, case.version)
    services.return_plan(case, leader, text(5000, "lý do trả lại"), case.version)
    services.draft_plan(case, worker, text(20000, "mục tiêu mới"), actions, case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    for number in (1, 2):
        services.log(case, worker, "visit", now - timedelta(minutes=number), text(20000, f"dòng thời gian {number}"))
    services.review(case, worker, GOOD_REVIEW, text(20000, "nhận xét"), case.version,
                    notes={key: text(5000, "ghi chú tiêu chí") for key in GOOD_REVIEW})
    services.propose_closure(case, worker, "other", text(5000, "ghi chú kết thúc"), case.version)
    referral = make_referral(case, worker, to="10510", reason=text(5000, "lý do chuyển"), service=text(300, "dịch vụ"))
    act(referral, make_user("supervisor"), "reject", text(5000, "lý do từ chối"))
    escalation = raise_by_hand(case, worker, text(5000, "lý do báo cáo"))
    acknowledge(escalation, make_user("supervisor", full_name=text(200, "cán bộ huyện")), text(5000, "ghi nhận"))
    return case


def test_the_case_file_prints_with_every_text_at_its_longest_and_loses_none_of_it(client, sign_in, worker,
                                                                                   longest_case):
    sign_in(worker)
    response = client.get(f"/cases/{longest_case.reference}/file.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    printed = " ".join(pdf_text(response.data).split())
    for name in ("mô tả", "đã làm", "biện pháp", "lý do cách ly", "ở cùng", "kết thúc cách ly", "đánh giá",
                 "biên bản", "mục tiêu mới", "hành động 2", "dòng thời gian 1", "dòng thời gian 2", "nhận xét",
                 "ghi chú kết thúc", "lý do chuyển", "lý do từ chối", "lý do báo cáo"):
        assert f"[hết {name}]" in printed, name


def test_the_case_file_over_the_api_prints_the_longest_texts_too(client, worker, longest_case):
    response = client.get(f"/api/v1/cases/{longest_case.reference}/file.pdf", headers=token_for(client, worker))
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_the_audit_extract_prints_the_longest_entries_and_filters(client, make_user, longest_case):
    inspector = make_user("inspector", full_name=text(200, "thanh tra"))
    response = client.get("/api/v1/audit/extract.pdf", query_string={"case": longest_case.reference},
                          headers=token_for(client, inspector))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    longest_filters = AuditFilter(actor="a" * 80, unit="1" * 16, case=longest_case.reference, action="update")
    assert print_extract(inspector, longest_filters, utcnow()).startswith(b"%PDF")
    whatever_a_caller_sends = AuditFilter(actor=text(8000, "bộ lọc"))
    assert "[hết bộ lọc]" in " ".join(pdf_text(print_extract(inspector, whatever_a_caller_sends, utcnow())).split())


def test_the_api_refuses_audit_filters_longer_than_what_they_filter(client, make_user):
    headers = token_for(client, make_user("inspector"))
    for path in ("/api/v1/audit", "/api/v1/audit/extract.pdf"):
        response = client.get(path, query_string={"actor": "a" * 8000, "case": "c" * 41}, headers=headers)
        assert response.status_code == 422 and set(response.json["error"]["fields"]) == {"actor", "case"}


def test_the_statistics_print_with_the_longest_unit_and_person_names(client, make_user):
    commune = db.session.scalar(sa.select(Unit).where(Unit.code == "10933"))
    commune.name = text(200, "tên xã")
    db.session.commit()
    response = client.get("/api/v1/reports/statistics.pdf",
                          query_string={"unit": "295", "from": "2026-01-01", "to": "2026-12-31"},
                          headers=token_for(client, make_user("supervisor", full_name=text(200, "cán bộ"))))
    assert response.status_code == 200 and "[hết tên xã]" in " ".join(pdf_text(response.data).split())


# What each statutory form prints of the longest case (app/documents/statutory.py): every text whole.
FORM_TEXTS = {
    "mau-01": ("mô tả", "đã làm", "họ tên", "nơi", "người chăm sóc", "quan hệ", "tên xã"),
    "mau-02": ("đánh giá", "biện pháp", "họ tên", "tên xã"),
    "mau-03": ("đánh giá chi tiết", "biên bản", "tên xã"),
    "mau-04": ("mục tiêu mới", "hành động 1", "hành động 2", "người phụ trách 2", "tên", "tên xã"),
    "mau-05": ("mục tiêu mới", "tên lãnh đạo", "tên xã"),
    "mau-06": ("nhận xét", "tên", "tên xã"),
    "mau-07": ("lý do cách ly", "nơi cách ly", "ở cùng", "tên lãnh đạo", "tên xã"),
}


@pytest.mark.parametrize("form", list(FORM_TEXTS))
def test_each_statutory_form_prints_with_every_text_at_its_longest(client, sign_in, worker, leader, longest_case,
                                                                    form):
    from app.documents.statutory import FORMS

    assert set(FORM_TEXTS) == set(FORMS)
    longest_case.unit.name = text(200, "tên xã")
    leader.office = "vice_chairman"
    db.session.commit()
    sign_in(worker)
    response = client.get(f"/cases/{longest_case.reference}/documents/{form}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    printed = " ".join(pdf_text(response.data).split())
    for name in FORM_TEXTS[form]:
        assert f"[hết {name}]" in printed, name
