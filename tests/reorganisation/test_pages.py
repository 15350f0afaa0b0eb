"""The reorganisation's pages: the preview and the run for the province, the queue of cases waiting for their
commune."""
import sqlalchemy as sa

from app.cases.models import Case
from app.extensions import db
from app.reorganisation import services
from app.reorganisation.models import Move
from app.units.models import UnitEnding
from app.units.services import load_units
from tests.factories import unit
from tests.reorganisation.conftest import DIVIDED, MAO_DIEN


def unit_of(case) -> str:
    db.session.expire_all()
    return db.session.get(Case, case.id).unit.code


def waiting_move():
    return db.session.scalar(sa.select(Move).where(Move.entity == "cases", Move.to_unit_id.is_(None)))


def test_the_province_officer_previews_what_will_move_before_anything_moves(client, successions, divided_case,
                                                                            make_user, sign_in):
    sign_in(make_user("province_officer"))

    page = client.get("/reorganisation/").get_data(as_text=True)

    assert "Kết quả dự kiến khi thực hiện" in page
    assert "Xã Cẩm Phúc, huyện Cẩm Giàng" in page
    assert "Thực hiện sắp xếp" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitEnding)) == 0


def test_the_province_s_admin_carries_it_out_and_is_told_what_moved_and_what_waits(client, successions, divided_case,
                                                                                   make_user, sign_in):
    sign_in(make_user("admin"))
    assert "Thực hiện sắp xếp" in client.get("/reorganisation/").get_data(as_text=True)

    response = client.post("/reorganisation/run", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Đợt sắp xếp số" in page and "1 hồ sơ chờ cán bộ cấp tỉnh chọn xã" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitEnding)) == 248


def test_no_one_but_the_province_s_admin_carries_it_out(client, successions, make_user, sign_in):
    for person in (make_user("province_officer"), make_user("admin", unit="295")):
        sign_in(person)
        assert client.post("/reorganisation/run").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitEnding)) == 0


def test_the_pages_are_not_for_commune_workers(client, successions, worker, sign_in):
    sign_in(worker)

    assert client.get("/reorganisation/").status_code == 403
    assert client.get("/reorganisation/waiting").status_code == 403


def test_the_officer_s_home_page_leads_to_the_cases_waiting_for_their_commune(client, successions, divided_case,
                                                                               make_user, sign_in):
    services.reorganise("2024", "2025", "30")
    sign_in(make_user("province_officer", unit="31"))

    home = client.get("/").get_data(as_text=True)

    assert "1 hồ sơ chờ bạn xác định xã mới" in home
    waiting = client.get("/reorganisation/waiting").get_data(as_text=True)
    assert divided_case.reference in waiting and "Thôn Phúc Điền" in waiting


def test_the_officer_gives_a_waiting_case_its_commune(client, successions, divided_case, make_user, sign_in):
    services.reorganise("2024", "2025", "30")
    sign_in(make_user("province_officer", unit="31"))
    move = waiting_move()

    response = client.post(f"/reorganisation/waiting/{move.id}",
                           data={f"move{move.id}-commune": str(unit(MAO_DIEN, "2025").id)})

    assert response.status_code == 302
    assert unit_of(divided_case) == MAO_DIEN


def test_a_commune_must_be_chosen_and_nothing_changes_without_one(client, successions, divided_case, make_user,
                                                                  sign_in):
    services.reorganise("2024", "2025", "30")
    sign_in(make_user("province_officer", unit="31"))
    move = waiting_move()

    for chosen in ("", str(unit(DIVIDED).id), "abc"):
        response = client.post(f"/reorganisation/waiting/{move.id}", data={f"move{move.id}-commune": chosen})
        assert response.status_code == 422
    assert unit_of(divided_case) == "31"


def test_a_waiting_case_of_another_province_answers_404(client, successions, divided_case, make_user, sign_in):
    services.reorganise("2024", "2025", "30")
    load_units(b"code,name,level,parent_code\n01,Th\xc3\xa0nh ph\xe1\xbb\x91 H\xc3\xa0 N\xe1\xbb\x99i,province,\n",
               "2025")
    sign_in(make_user("province_officer", unit="01"))
    move = waiting_move()

    response = client.post(f"/reorganisation/waiting/{move.id}",
                           data={f"move{move.id}-commune": str(unit(MAO_DIEN, "2025").id)})

    assert response.status_code == 404
    assert unit_of(divided_case) == "31"


def test_the_admin_s_home_page_names_the_accounts_the_run_closed_for_placing_anew(client, successions, worker,
                                                                                   make_user, sign_in):
    admin = make_user("admin")
    services.reorganise("2024", "2025", "30")
    db.session.refresh(admin)
    sign_in(admin)

    home = client.get("/").get_data(as_text=True)

    assert 'id="accounts-to-place"' in home and "1 tài khoản bị khoá khi sắp xếp đơn vị" in home
