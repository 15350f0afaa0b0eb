"""Two levels of local government (since 1 July 2025): where a province has no districts, the supervisor sits at
the province, approves what leaves a commune, takes the communes' escalations, and is named for it."""
from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.escalations import services as escalations
from app.escalations.models import Escalation
from app.extensions import db
from app.notifications import mail
from app.orm import utcnow
from app.referrals import services as referrals
from app.cases.services import NotAllowed
from app.users.services import UserRejected, check_role_fits_unit, find_user
from tests.factories import load_hai_duong, load_two_levels, make_case, make_referral, make_user, unit


@pytest.fixture
def province(app, monkeypatch):
    """Hải Phòng (31) in the 2025 list, its communes Cẩm Giàng (10933) and Tuệ Tĩnh (10966) right under it."""
    load_two_levels()
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    return unit("31", "2025")


@pytest.fixture
def commune_worker(province):
    return make_user("worker", unit="10933")


@pytest.fixture
def province_supervisor(province):
    return make_user("supervisor", unit="31", full_name="Lê Minh Tuấn")


def test_a_supervisor_is_placed_at_the_province(province):
    assert check_role_fits_unit("supervisor", province) == "supervisor"


def test_a_supervisor_is_not_placed_at_a_commune(province):
    with pytest.raises(UserRejected) as refusal:
        check_role_fits_unit("supervisor", unit("10933", "2025"))
    assert refusal.value.field == "unit"


def test_an_admin_creates_a_province_supervisor_on_the_accounts_page(client, sign_in, province):
    sign_in(make_user("admin", unit="31"))
    page = client.get("/admin/users/new").text
    assert "Cán bộ giám sát cấp tỉnh" in page and "Cán bộ giám sát cấp huyện" not in page
    client.post("/admin/users/new", data={"username": "tuan.le", "full_name": "Lê Minh Tuấn",
                                          "role": "supervisor", "unit": "31"})
    assert find_user("tuan.le").unit == province


def test_the_accounts_page_refuses_a_supervisor_at_a_commune_naming_the_province(client, sign_in, province):
    sign_in(make_user("admin", unit="31"))
    page = client.post("/admin/users/new", data={"username": "tuan.le", "full_name": "Lê Minh Tuấn",
                                                 "role": "supervisor", "unit": "10933"}).text
    assert 'id="unit-error"' in page and "Cán bộ giám sát cấp tỉnh" in page
    assert find_user("tuan.le") is None


def test_a_referral_leaving_a_commune_waits_for_the_province_supervisor(commune_worker, province_supervisor):
    referral = make_referral(make_case(commune_worker), commune_worker, to="10966")
    assert referral.status == "pending_approval"
    referrals.act(referral, province_supervisor, "approve")
    assert referral.status == "sent" and referral.approved_by_id == province_supervisor.id


def test_the_commune_s_own_worker_cannot_approve(commune_worker, province_supervisor):
    referral = make_referral(make_case(commune_worker), commune_worker, to="10966")
    with pytest.raises(NotAllowed):
        referrals.act(referral, commune_worker, "approve")
    assert referral.status == "pending_approval"


def test_the_province_supervisor_sees_the_referral_waiting_and_approves_it(client, sign_in, commune_worker,
                                                                           province_supervisor):
    referral = make_referral(make_case(commune_worker), commune_worker, to="10966")
    sign_in(province_supervisor)
    assert f"/referrals/{referral.id}" in client.get("/referrals/?box=approval").text
    assert client.post(f"/referrals/{referral.id}/approve", data={}).status_code == 302
    db.session.refresh(referral)
    assert referral.status == "sent"


def test_the_referral_page_says_the_province_supervisor_approves(client, sign_in, commune_worker):
    case = make_case(commune_worker)
    sign_in(commune_worker)
    page = client.get(f"/cases/{case.reference}/refer").text
    assert "cán bộ giám sát cấp tỉnh" in page and "cấp huyện" not in page


def test_the_referral_page_of_a_commune_in_a_district_says_the_district_supervisor_approves(client, sign_in, worker,
                                                                                            case):
    sign_in(worker)
    assert "cán bộ giám sát cấp huyện" in client.get(f"/cases/{case.reference}/refer").text


def test_the_province_supervisor_is_told_of_what_waits_for_approval(commune_worker, province_supervisor):
    province_supervisor.email = "giamsat@example.vn"
    db.session.commit()
    assert mail.supervisors_above(unit("10933", "2025")) == [province_supervisor]


def test_the_worker_s_overview_says_referrals_wait_for_the_province(client, sign_in, commune_worker):
    sign_in(commune_worker)
    page = client.get("/").text
    assert "chuyển tuyến chờ cấp tỉnh phê duyệt" in page and "cấp huyện" not in page


def test_an_escalation_by_hand_goes_from_the_commune_to_the_province(commune_worker, province_supervisor):
    escalation = escalations.raise_by_hand(make_case(commune_worker), commune_worker, "Gia đình đe doạ cán bộ.")
    assert escalation.to_unit.code == "31"
    escalations.acknowledge(escalation, province_supervisor, "Đã gọi xã.")
    assert escalation.acknowledged_by == province_supervisor


def test_the_sweep_raises_a_late_commune_case_to_the_province(commune_worker):
    make_case(commune_worker, received_at=utcnow() - timedelta(days=7))
    escalations.sweep()
    [escalation] = db.session.scalars(db.select(Escalation))
    assert (escalation.from_unit.code, escalation.to_unit.code) == ("10933", "31")


def test_the_supervisor_at_a_province_is_named_province_supervisor(province_supervisor):
    with force_locale("en"):
        assert str(province_supervisor.role_label) == "Province supervisor"
    with force_locale("vi"):
        assert str(province_supervisor.role_label) == "Cán bộ giám sát cấp tỉnh"


def test_a_supervisor_at_a_district_keeps_district_supervisor(app):
    load_hai_duong()
    with force_locale("en"):
        assert str(make_user("supervisor", unit="295").role_label) == "District supervisor"


def test_the_accounts_list_names_the_province_supervisor(client, sign_in, province_supervisor):
    sign_in(make_user("admin", unit="31"))
    assert "Cán bộ giám sát cấp tỉnh" in client.get("/admin/users/").text


def test_the_province_supervisor_s_home_page_names_them_and_their_board(client, sign_in, province_supervisor):
    sign_in(province_supervisor)
    page = client.get("/").text
    assert "Cán bộ giám sát cấp tỉnh" in page and "Bảng theo dõi cấp tỉnh" in page and "cấp huyện" not in page

