"""A new child whose personal ID is on another commune's register (`registered_elsewhere`): refused naming that
commune, the match in the trail under both communes, and only within the province."""
import json

import pytest
import sqlalchemy as sa

from app.children.services import new_child
from app.extensions import db
from app.register.models import RegisterEntry
from app.units.services import load_units
from tests.factories import PASSWORD, audit_entries, child_details, register_child

ID_NUMBER = "030215001234"
NEW_CHILD = {"full_name": "Trần Văn Bình", "sex": "male", "date_of_birth": "2015-06-01", "group": "orphaned",
             "sub_case": "both_died", "since": "2026-01-05", "living_place": "with_relatives",
             "lives_with": "Ông bà nội", "id_number": ID_NUMBER, "confirmed_new": "y"}
NEW = {"full_name": "Trần Văn Bình", "sex": "male", "date_of_birth": "2015-06-01", "address_unit": "10933",
       "groups": ["orphaned"], "id_number": ID_NUMBER}
OTHER_PROVINCE = ("code,name,level,parent_code\n98,Tỉnh Thử,province,\n981,Huyện Thử,district,98\n"
                  "98001,Xã Thử,commune,981\n")


def registered_by(user):
    return register_child(user, child=new_child(child_details(address_unit=user.unit, id_number=ID_NUMBER)))


@pytest.fixture
def tan_viet(make_user):
    return registered_by(make_user("worker", unit="10966"))


@pytest.fixture
def other_province(make_user):
    load_units(OTHER_PROVINCE.encode(), "2024")
    db.session.commit()
    return registered_by(make_user("worker", unit="98001"))


def api_auth(client, user):
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]
    return {"Authorization": f"Bearer {token}"}


def entries_on_this_register(worker):
    return db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)
                             .where(RegisterEntry.unit_id == worker.unit_id))


def assert_recorded_under_both(worker, elsewhere):
    [mine] = audit_entries(action="register_found_elsewhere", unit_path=worker.unit.path)
    [theirs] = audit_entries(action="register_found_elsewhere", entity_id=str(elsewhere.id))
    assert json.loads(mine.changes) == {"matches": 1} and mine.entity_id is None
    assert theirs.unit_path == elsewhere.unit.path and theirs.entity == "register_entries"


def test_a_hand_entry_refused_for_another_commune_s_register_is_recorded_under_both_communes(
        client, sign_in, make_user, tan_viet):
    worker = sign_in(make_user("worker"))
    response = client.post("/register/new", data=NEW_CHILD)
    assert response.status_code == 422 and tan_viet.unit.name in response.get_data(as_text=True)
    assert entries_on_this_register(worker) == 0
    assert_recorded_under_both(worker, tan_viet)


def test_an_api_entry_refused_for_another_commune_s_register_is_recorded_under_both_communes(
        client, make_user, tan_viet):
    worker = make_user("worker")
    response = client.post("/api/v1/children", json=NEW, headers=api_auth(client, worker))
    assert response.status_code == 422 and tan_viet.unit.name in json.dumps(response.json, ensure_ascii=False)
    assert entries_on_this_register(worker) == 0
    assert_recorded_under_both(worker, tan_viet)


def test_a_hand_entry_matching_another_province_s_register_neither_names_it_nor_is_blocked(
        client, sign_in, make_user, other_province):
    worker = sign_in(make_user("worker"))
    response = client.post("/register/new", data=NEW_CHILD)
    assert response.status_code == 302 and entries_on_this_register(worker) == 1
    assert audit_entries(action="register_found_elsewhere") == []


def test_an_api_entry_matching_another_province_s_register_neither_names_it_nor_is_blocked(
        client, make_user, other_province):
    worker = make_user("worker")
    response = client.post("/api/v1/children", json=NEW, headers=api_auth(client, worker))
    assert response.status_code == 201, response.json
    assert other_province.unit.name not in json.dumps(response.json, ensure_ascii=False)
    assert entries_on_this_register(worker) == 1 and audit_entries(action="register_found_elsewhere") == []


def test_the_trail_tells_the_refusal_as_a_sentence_on_each_side(app, client, sign_in, make_user, tan_viet):
    from flask_babel import force_locale

    from app.audit.narrative import narrate

    sign_in(make_user("worker"))
    client.post("/register/new", data=NEW_CHILD)
    with app.test_request_context(), force_locale("en"):
        mine, theirs = [told.sentence for told in narrate(audit_entries(action="register_found_elsewhere"))]
    assert "another commune's register" in mine and tan_viet.child.full_name not in mine
    assert tan_viet.child.full_name in theirs
