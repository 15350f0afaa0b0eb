"""The statutory forms of Decree 56/2017, printed for signature: each form as the appendix lays it out, filled from
the case, with the national header, the committee, the place and date, the signer's title; decisions with their
number from the register; blank fields dotted; printing audited; 404 where the case is not the reader's, the form
unknown or its step not reached."""
from datetime import date, timedelta

import pytest

from app.cases import services
from app.documents.statutory import FORMS
from app.extensions import db
from tests.api.test_cases import token_for
from tests.factories import child_details, last_audit_entry, pdf_text, report

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))
NATIONAL_HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
COMMITTEE = ("ỦY BAN NHÂN DÂN", "XÃ CẨM PHÚC")
CHILD = "Nguyễn Văn Ân"
# The title each form's signer signs under, as the followed-through case below prints it.
SIGNERS = {"mau-01": "NGƯỜI TIẾP NHẬN THÔNG TIN", "mau-02": "NGƯỜI LÀM CÔNG TÁC BẢO VỆ TRẺ EM",
           "mau-03": "NGƯỜI LÀM CÔNG TÁC BẢO VỆ TRẺ EM", "mau-04": "NGƯỜI LẬP KẾ HOẠCH",
           "mau-05": "KT. CHỦ TỊCH", "mau-06": "NGƯỜI LÀM CÔNG TÁC BẢO VỆ TRẺ EM", "mau-07": "CHỦ TỊCH"}


def with_office(user, office):
    user.office = office
    db.session.commit()
    return user


@pytest.fixture
def worker(make_user):
    return make_user("worker", full_name="Trần Thị Bảo")


@pytest.fixture
def chairman(make_user):
    return with_office(make_user("commune_leader", full_name="Lê Văn Chủ"), "chairman")


@pytest.fixture
def vice_chairman(make_user):
    return with_office(make_user("commune_leader", full_name="Phạm Thị Phó"), "vice_chairman")


def open_case(worker, **overrides):
    return services.open_case(worker, worker.unit, report(description="Hàng xóm báo trẻ bị đánh.", **overrides),
                              child_details=child_details(full_name=CHILD))


def assessed_case(worker):
    case = open_case(worker)
    services.assess(case, worker, {}, None, case.version)
    return case


def isolate(case, leader):
    """The worker who opened the case proposes an isolation; `leader` decides it (Decree 56/2017 art. 32)."""
    services.propose_isolation(case, case.created_by, services.IsolationProposal(
        reason="Đưa trẻ đến nhà bà ngoại.", place="Nhà bà ngoại, thôn Đông", with_whom="Bà ngoại Trần Thị Mơ",
        first_day=date.today(), last_day=date.today() + timedelta(days=5)), case.version)
    services.decide_isolation(case, leader, case.version)


def approve_a_plan(case, worker, leader):
    services.draft_plan(case, worker, "Trẻ an toàn tại nhà", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)


@pytest.fixture
def case(worker, chairman, vice_chairman):
    """A case through every step: the report, the initial assessment (danger found), an isolation the chairman
    decided, the detailed assessment, a plan a vice-chairman approved, and a review."""
    case = open_case(worker)
    services.assess(case, worker, {"life_in_danger": True}, "Trẻ sợ về nhà.", case.version)
    isolate(case, chairman)
    services.record_detailed_assessment(case, worker, "Gia đình khó khăn.", "Họp ngày 5.", case.version)
    approve_a_plan(case, worker, vice_chairman)
    services.review(case, worker, {"harm": "low", "abuser_access": "low", "care_obstacles": "medium",
                                   "self_protection": "high"}, "Gia đình hợp tác.", case.version,
                    notes={"care_obstacles": "Nhà xa trường."})
    return case


def printed(client, case, form) -> str:
    response = client.get(f"/cases/{case.reference}/documents/{form}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf", form
    return " ".join(pdf_text(response.data).split())


# Every form, filled

@pytest.mark.parametrize("form", list(FORMS))
def test_each_form_prints_with_the_national_header_the_committee_the_child_and_the_signers_title(
        client, sign_in, worker, case, form):
    sign_in(worker)
    text = printed(client, case, form)
    for expected in (*NATIONAL_HEADER, *COMMITTEE, CHILD, SIGNERS[form], f"Mẫu số {form[-2:]}"):
        assert expected in text, (form, expected)


def test_the_place_and_date_line_names_the_commune_and_the_day_in_words(client, sign_in, worker, case):
    sign_in(worker)
    day = case.received_at.astimezone(services.local_zone()).date()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    assert f"Cẩm Phúc, ngày {day.day:02d} tháng {month} năm {day.year}" in printed(client, case, "mau-01")


def test_the_report_form_holds_what_the_report_said(client, sign_in, worker, case):
    sign_in(worker)
    text = printed(client, case, "mau-01")
    assert "Hàng xóm báo trẻ bị đánh." in text and case.reference in text and "Trần Thị Bảo" in text


def test_the_plan_and_its_activities_print_on_mau_04(client, sign_in, worker, case):
    sign_in(worker)
    text = printed(client, case, "mau-04")
    assert "Trẻ an toàn tại nhà" in text and "Thăm gia đình hằng tuần" in text and "01/01/2030" in text


def test_the_isolation_decision_names_the_place_and_the_days(client, sign_in, worker, case):
    sign_in(worker)
    text = printed(client, case, "mau-07")
    assert "Nhà bà ngoại, thôn Đông" in text and date.today().strftime("%d/%m/%Y") in text
    assert "Lê Văn Chủ" in text


# Decisions and their signers

def test_decisions_carry_their_number_from_the_register(client, sign_in, worker, case):
    sign_in(worker)
    assert "Số: 1/QĐ-UBND" in printed(client, case, "mau-05")
    assert "Số: 2/QĐ-UBND" in printed(client, case, "mau-07")


def test_a_decision_printed_again_keeps_its_number(client, sign_in, worker, case):
    sign_in(worker)
    printed(client, case, "mau-07")
    printed(client, case, "mau-05")
    assert "Số: 1/QĐ-UBND" in printed(client, case, "mau-07")
    assert "Số: 2/QĐ-UBND" in printed(client, case, "mau-05")


def test_a_vice_chairman_signs_on_the_chairmans_behalf(client, sign_in, worker, case):
    sign_in(worker)
    text = printed(client, case, "mau-05")
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Phạm Thị Phó" in text


def test_the_chairman_signs_as_chairman(client, sign_in, worker, chairman):
    case = assessed_case(worker)
    approve_a_plan(case, worker, chairman)
    sign_in(worker)
    text = printed(client, case, "mau-05")
    assert "CHỦ TỊCH (Ký, ghi rõ họ tên, đóng dấu) Lê Văn Chủ" in text
    assert "KT. CHỦ TỊCH" not in text


def test_a_leader_whose_office_is_not_recorded_leaves_the_title_to_write_by_hand(client, sign_in, worker,
                                                                                  make_user):
    case = assessed_case(worker)
    approve_a_plan(case, worker, make_user("commune_leader", full_name="Đỗ Văn Lãnh"))
    sign_in(worker)
    text = printed(client, case, "mau-05")
    assert "Đỗ Văn Lãnh" in text and "KT. CHỦ TỊCH" not in text and "......" in text


def test_a_plan_waiting_for_approval_prints_a_draft_decision_without_a_number(client, sign_in, worker):
    case = assessed_case(worker)
    services.draft_plan(case, worker, "Trẻ an toàn tại nhà", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    sign_in(worker)
    text = printed(client, case, "mau-05")
    assert "Số: ...." in text and "/QĐ-UBND" in text and "Số: 1/QĐ-UBND" not in text
    assert last_audit_entry(action="create", entity="decision_numbers") is None


# Blank forms and forms not reached

def test_a_step_not_yet_taken_prints_blank_with_dotted_lines(client, sign_in, worker):
    case = open_case(worker)
    sign_in(worker)
    text = printed(client, case, "mau-02")
    assert CHILD in text and "Nhận định, đề xuất: ......" in text and "ngày ...." in text


def test_fields_the_case_does_not_hold_print_dotted(client, sign_in, worker, case):
    sign_in(worker)
    text = printed(client, case, "mau-01")
    assert "Nghề nghiệp: ......" in text and "Tuổi: ......" in text


def test_mau_01_prints_the_carers_age_and_occupation_whether_abused_and_the_harm_foreseen(client, sign_in, worker):
    grandmother = {"name": "Bà Lan", "relationship": "Bà ngoại", "age": 62, "occupation": "Làm ruộng"}
    case = services.open_case(worker, worker.unit, report(harm_status="at_risk", harm_foreseen="Trẻ có thể bỏ học."),
                              child_details=child_details(full_name=CHILD, carers=[grandmother]))
    sign_in(worker)
    text = printed(client, case, "mau-01")
    assert "Tuổi: 62" in text and "Nghề nghiệp: Làm ruộng" in text
    assert "nguy cơ bị xâm hại: Có nguy cơ bị xâm hại" in text and "Trẻ có thể bỏ học." in text


def test_mau_06_prints_the_decree_s_four_criteria_with_their_notes(client, sign_in, worker, case):
    sign_in(worker)
    text = printed(client, case, "mau-06")
    assert "Đối tượng xâm hại còn khả năng tiếp cận trẻ em không?" in text
    assert "Nhà xa trường." in text and "Gia đình hợp tác." in text


@pytest.mark.parametrize("form", ["mau-05", "mau-06", "mau-07"])
def test_a_form_whose_step_the_case_has_not_reached_answers_404(client, sign_in, worker, form):
    case = open_case(worker)
    sign_in(worker)
    assert client.get(f"/cases/{case.reference}/documents/{form}.pdf").status_code == 404
    assert last_audit_entry(action="form_printed") is None


def test_a_child_in_danger_may_have_the_isolation_decision_printed_blank(client, sign_in, worker):
    case = open_case(worker, immediate_danger=True)
    sign_in(worker)
    text = printed(client, case, "mau-07")
    assert "Số: ...." in text and "QUYẾT ĐỊNH" in text


@pytest.mark.parametrize("form", ["mau-08", "mau-00", "file", "mau-01.pdf"])
def test_an_unknown_form_answers_404(client, sign_in, worker, form):
    case = open_case(worker)
    sign_in(worker)
    assert client.get(f"/cases/{case.reference}/documents/{form}.pdf").status_code == 404


# Scope, roles and the trail

def test_a_case_outside_the_readers_area_answers_404_and_is_not_printed(client, sign_in, make_user, case):
    sign_in(make_user("worker", unit="10966"))
    assert client.get(f"/cases/{case.reference}/documents/mau-05.pdf").status_code == 404
    assert last_audit_entry(action="form_printed") is None
    assert last_audit_entry(action="create", entity="decision_numbers") is None
    assert last_audit_entry(action="access_denied") is not None


def test_an_administrator_may_not_print_a_form(client, sign_in, make_user, case):
    sign_in(make_user("admin"))
    assert client.get(f"/cases/{case.reference}/documents/mau-01.pdf").status_code == 403


def test_printing_a_form_leaves_a_trail_entry_naming_the_form_and_the_decision_number(app, client, sign_in, worker,
                                                                                      case):
    from flask_babel import force_locale

    from app.audit.narrative import narrate

    sign_in(worker)
    printed(client, case, "mau-05")
    entry = last_audit_entry(action="form_printed")
    assert entry.actor == worker.username and entry.case_ref == case.reference and entry.unit_path == case.unit.path
    with app.test_request_context(), force_locale("en"):
        sentence = narrate([entry])[0].sentence
    assert "printed Mẫu 05" in sentence and case.reference in sentence and "1/QĐ-UBND" in sentence


def test_the_register_s_line_reads_as_who_entered_which_decision(app, client, sign_in, worker, case):
    from flask_babel import force_locale

    from app.audit.narrative import narrate

    sign_in(worker)
    printed(client, case, "mau-07")
    entry = last_audit_entry(action="create", entity="decision_numbers")
    assert entry.case_ref == case.reference and entry.unit_path == case.unit.path
    with app.test_request_context(), force_locale("vi"):
        sentence = narrate([entry])[0].sentence
    assert "Trần Thị Bảo vào sổ quyết định số 1 năm" in sentence
    assert "Mẫu 07: quyết định tạm thời cách ly" in sentence and case.reference in sentence


# The API

@pytest.mark.parametrize("suffix", [".pdf", ""])
def test_the_api_answers_the_form_and_records_the_printing(client, make_user, case, suffix):
    supervisor = make_user("supervisor")
    response = client.get(f"/api/v1/cases/{case.reference}/documents/mau-05{suffix}",
                          headers=token_for(client, supervisor))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Số: 1/QĐ-UBND" in pdf_text(response.data)
    assert last_audit_entry(action="form_printed").actor == supervisor.username


def test_the_api_answers_404_out_of_scope_and_for_an_unknown_form(client, make_user, case):
    outsider = token_for(client, make_user("worker", unit="10966"))
    response = client.get(f"/api/v1/cases/{case.reference}/documents/mau-01.pdf", headers=outsider)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    insider = token_for(client, make_user("supervisor"))
    response = client.get(f"/api/v1/cases/{case.reference}/documents/mau-09.pdf", headers=insider)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_the_api_document_describes_the_route(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/cases/{reference}/documents/{form}.pdf" in paths


# The case page

def test_the_case_page_links_to_each_form_whose_step_exists(client, sign_in, worker, case):
    sign_in(worker)
    page = client.get(f"/cases/{case.reference}").text
    for form in FORMS:
        assert f"/cases/{case.reference}/documents/{form}.pdf" in page


def test_a_new_case_offers_only_the_report_and_the_forms_it_may_print_blank(client, sign_in, worker):
    case = open_case(worker)
    sign_in(worker)
    page = client.get(f"/cases/{case.reference}").text
    assert "/documents/mau-01.pdf" in page and "/documents/mau-02.pdf" in page
    for form in ("mau-03", "mau-04", "mau-05", "mau-06", "mau-07"):
        assert f"/documents/{form}.pdf" not in page
