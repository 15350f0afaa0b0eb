"""History keeps its names (issue 16 point 3): a case, its timeline, printouts and the trail show the unit as it was
called then ("Xã Cẩm Phúc, huyện Cẩm Giàng (trước 01/07/2025)") and where the case is now."""
import html
import re
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reorganisation import services
from app.reorganisation.models import Reorganisation
from tests.factories import PASSWORD, audit_entries, make_case, pdf_text, unit
from tests.reorganisation.conftest import MAO_DIEN, WHOLE

CAM_PHUC_THEN = "Xã Cẩm Phúc, huyện Cẩm Giàng (trước 01/07/2025)"
TAN_VIET_THEN = "Xã Tân Việt, huyện Bình Giang (trước 01/07/2025)"
BEFORE_THE_CHANGE = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)  # 09:00 on 3 March 2025 in Hà Nội time


def reorganise():
    return services.reorganise("2024", "2025", "30")


def placed_at_mao_dien(make_user):
    """The province's officer gives the divided Cẩm Phúc's waiting case to Mao Điền; Mao Điền's worker."""
    officer = make_user("province_officer", unit="31")
    services.place(services.waiting_cases(officer)[0], unit(MAO_DIEN, "2025"), officer)
    return make_user("worker", unit=MAO_DIEN)


def run_number() -> int:
    return db.session.scalar(sa.select(Reorganisation.id))


def text(response) -> str:
    """The page or the PDF as read, its spaces and line breaks folded."""
    assert response.status_code == 200
    body = pdf_text(response.data) if response.mimetype == "application/pdf" else html.unescape(
        re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return re.sub(r"\s+", " ", body)


@pytest.fixture
def placed_case(successions, divided_case, make_user, client, sign_in):
    """Cẩm Phúc's open case, carried through the reorganisation and placed at Mao Điền; Mao Điền's worker signed
    in."""
    reorganise()
    sign_in(placed_at_mao_dien(make_user))
    db.session.refresh(divided_case)
    return divided_case


def test_the_case_page_shows_the_commune_now_and_the_former_one_as_it_was_called(client, placed_case):
    page = text(client.get(f"/cases/{placed_case.reference}"))

    assert "Đơn vị hiện nay Xã Mao Điền (10930)" in page
    assert f"Đơn vị cũ {CAM_PHUC_THEN}" in page


def test_a_whole_commune_s_case_names_its_former_commune_on_its_page(successions, whole_case, make_user, client,
                                                                      sign_in):
    reorganise()
    sign_in(make_user("worker", unit=WHOLE))

    page = text(client.get(f"/cases/{whole_case.reference}"))

    assert "Đơn vị hiện nay Xã Bình Giang (10966)" in page
    assert f"Đơn vị cũ {TAN_VIET_THEN}" in page


def test_a_waiting_case_says_the_province_holds_it_and_leads_those_who_place_it_to_the_queue(
        successions, divided_case, make_user, client, sign_in):
    reorganise()
    sign_in(make_user("province_officer", unit="31"))

    response = client.get(f"/cases/{divided_case.reference}")

    page = text(response)
    assert "Đơn vị hiện nay Thành phố Hải Phòng (31)" in page
    assert "Thành phố Hải Phòng tạm giữ hồ sơ cho đến khi xác định được xã mới." in page
    assert f"Đơn vị cũ {CAM_PHUC_THEN}" in page
    assert 'href="/reorganisation/waiting#move-' in response.get_data(as_text=True)


def test_a_waiting_case_s_page_offers_no_placing_to_those_who_may_not_place_it(
        successions, divided_case, make_user, client, sign_in):
    reorganise()
    sign_in(make_user("inspector", unit="31"))

    response = client.get(f"/cases/{divided_case.reference}")

    assert "Thành phố Hải Phòng tạm giữ hồ sơ" in text(response)
    assert "/reorganisation/waiting" not in response.get_data(as_text=True)


def test_a_closed_case_that_stayed_at_its_ended_commune_names_it_then_and_who_holds_it_now(
        successions, whole_case, make_user, client, sign_in):
    whole_case.status = "closed"
    db.session.commit()
    reorganise()
    sign_in(make_user("worker", unit=WHOLE))

    page = text(client.get(f"/cases/{whole_case.reference}"))

    assert f"Đơn vị {TAN_VIET_THEN} nay do Xã Bình Giang giữ hồ sơ" in page


def test_the_timeline_tells_the_reorganisation_naming_the_former_commune_with_its_time(client, placed_case):
    page = text(client.get(f"/cases/{placed_case.reference}"))

    assert (f"Sắp xếp đơn vị hành chính từ 01/07/2025: {CAM_PHUC_THEN} bị chia tách, nên Thành phố Hải Phòng tạm "
            "giữ hồ sơ cho đến khi xác định được xã mới.") in page
    assert "Đã xác định xã mới: Xã Mao Điền." in page


def test_the_history_names_the_former_commune_with_its_time(client, placed_case):
    page = text(client.get(f"/cases/{placed_case.reference}/history"))

    reference, run = placed_case.reference, run_number()
    assert (f"khi sắp xếp đơn vị hành chính (đợt số {run}), giao hồ sơ {reference} của {CAM_PHUC_THEN} cho Thành phố "
            "Hải Phòng tạm giữ cho đến khi xác định được xã mới") in page
    assert f"chọn Xã Mao Điền là xã mới của hồ sơ {reference}, trước đây thuộc {CAM_PHUC_THEN}." in page
    assert f"chuyển hồ sơ {reference} từ {CAM_PHUC_THEN} sang Thành phố Hải Phòng." in page


def test_a_whole_commune_s_case_history_names_its_former_commune_with_its_time(
        successions, whole_case, make_user, client, sign_in):
    run = reorganise().run.id
    sign_in(make_user("worker", unit=WHOLE))

    page = text(client.get(f"/cases/{whole_case.reference}/history"))

    assert (f"khi sắp xếp đơn vị hành chính (đợt số {run}), chuyển hồ sơ {whole_case.reference} từ {TAN_VIET_THEN} "
            "sang Xã Bình Giang (kế thừa toàn bộ).") in page


def test_the_case_file_prints_the_unit_now_and_the_former_one_as_it_was_called(client, placed_case):
    printed = text(client.get(f"/cases/{placed_case.reference}/file.pdf"))

    assert "Đơn vị hiện nay Xã Mao Điền (10930)" in printed
    assert f"Đơn vị cũ {CAM_PHUC_THEN}" in printed


def test_a_form_dated_before_the_change_is_issued_by_the_commune_of_that_day(
        successions, worker, make_user, client, sign_in):
    case = make_case(worker, received_at=BEFORE_THE_CHANGE)
    reorganise()
    sign_in(placed_at_mao_dien(make_user))

    printed = text(client.get(f"/cases/{case.reference}/documents/mau-01.pdf"))

    assert "ỦY BAN NHÂN DÂN XÃ CẨM PHÚC" in printed
    assert "Cẩm Phúc, ngày 03 tháng 3 năm 2025" in printed


def test_a_form_dated_after_the_change_is_issued_by_the_commune_that_holds_the_case_now(client, placed_case):
    printed = text(client.get(f"/cases/{placed_case.reference}/documents/mau-01.pdf"))

    assert "ỦY BAN NHÂN DÂN XÃ MAO ĐIỀN" in printed
    assert "Mao Điền, ngày" in printed and "CẨM PHÚC" not in printed


def test_a_waiting_case_s_form_is_issued_by_the_new_province(successions, divided_case, make_user, client, sign_in):
    reorganise()
    sign_in(make_user("province_officer", unit="31"))

    printed = text(client.get(f"/cases/{divided_case.reference}/documents/mau-01.pdf"))

    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG" in printed
    assert "Hải Phòng, ngày" in printed


def test_the_trail_names_an_ended_unit_as_it_was_called(successions, worker, divided_case, make_user, app,
                                                         client, sign_in):
    sign_in(worker)
    assert client.get(f"/cases/{divided_case.reference}").status_code == 200  # read at Cẩm Phúc, before the change
    reorganise()
    placed_at_mao_dien(make_user)
    read = audit_entries(action="case_viewed", case_ref=divided_case.reference)[0]
    move = audit_entries(entity="reorganisation_moves", action="create", case_ref=divided_case.reference)[0]
    inspector = app.test_client()
    inspector.post("/auth/sign-in", data={"username": make_user("inspector", unit="31").username,
                                          "password": PASSWORD})

    by_the_worker = text(inspector.get(f"/audit/{read.id}"))
    the_move = text(inspector.get(f"/audit/{move.id}"))

    assert f"Đơn vị {CAM_PHUC_THEN}" in by_the_worker
    assert f"Đơn vị cũ: {CAM_PHUC_THEN}" in the_move
