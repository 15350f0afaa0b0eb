"""/api/v1/children (../shared/API.md, Children and the register): the list with its filters, one child with the
register's fields, in the caller's scope, every register entry read recorded."""
from datetime import date, timedelta

import pytest

from app.children.services import new_child
from app.register import services
from tests.factories import PASSWORD, audit_entries, child_details, make_case, register_child

FIELDS = {"id", "full_name", "sex", "date_of_birth", "birth_year", "address_unit", "groups", "cases", "next_review"}


def token_for(client, user):
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def worker(make_user):
    return make_user("worker")


@pytest.fixture
def auth(client, worker):
    return token_for(client, worker)


def test_the_list_holds_registered_children_and_children_with_a_case_with_api_md_s_fields(client, worker, auth):
    case = make_case(worker)
    entry = register_child(worker, child=new_child(child_details(full_name="Lê Thị Mai", sex="female")),
                           group="disabled")
    items = client.get("/api/v1/children", headers=auth).json["items"]
    assert {item["id"] for item in items} == {case.child_id, entry.child_id}
    assert all(set(item) == FIELDS for item in items)
    registered = next(item for item in items if item["id"] == entry.child_id)
    assert registered["groups"] == ["disabled"] and registered["next_review"] == entry.next_review_on.isoformat()
    with_case = next(item for item in items if item["id"] == case.child_id)
    assert with_case["cases"] == [case.reference] and with_case["groups"] == []


def test_the_list_filters_by_group_review_overdue_and_name(client, worker, auth):
    overdue = register_child(worker, group="at_risk", today=date.today() - timedelta(days=200))
    other = register_child(worker, child=new_child(child_details(full_name="Trần Văn Bình")), group="orphaned")

    def ids(query):
        return [item["id"] for item in client.get(f"/api/v1/children?{query}", headers=auth).json["items"]]

    assert ids("group=orphaned") == [other.child_id]
    assert ids("review_overdue=true") == [overdue.child_id]
    assert ids("q=tran van") == [other.child_id]
    assert ids("unit=10966") == []


def test_the_list_pages_with_a_next_link(client, worker, auth):
    for name in ("An", "Bình", "Chi"):
        register_child(worker, child=new_child(child_details(full_name=f"Nguyễn Văn {name}")))
    first = client.get("/api/v1/children?limit=2", headers=auth).json
    assert len(first["items"]) == 2 and first["next"]
    second = client.get(first["next"], headers=auth).json
    assert len(second["items"]) == 1 and second["next"] is None


def test_a_bad_filter_answers_422_naming_it(client, auth):
    response = client.get("/api/v1/children?group=orphans&review_overdue=yes", headers=auth)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"group", "review_overdue"}


def test_one_child_carries_the_register_s_fields(client, worker, auth):
    entry = register_child(worker, group="orphaned", since=date(2025, 1, 1))
    services.leave_group(entry, entry.groups[0].id, date.today(), "Được nhận làm con nuôi.", date.today())
    services.add_support(entry, services.Support("cash_allowance", "Trợ cấp xã hội", date(2025, 2, 1), None,
                                                 900_000), date.today())
    child = client.get(f"/api/v1/children/{entry.child_id}", headers=auth).json
    register = child["register"]
    assert child["groups"] == [] and register["living_place"] == "with_relatives"
    assert register["groups"][0]["left_reason"] == "Được nhận làm con nuôi."
    assert register["supports"][0]["monthly_amount"] == 900_000


def test_reading_a_child_over_the_api_records_the_register_entry_read(client, worker, auth):
    entry = register_child(worker)
    client.get(f"/api/v1/children/{entry.child_id}", headers=auth)
    client.get("/api/v1/children", headers=auth)
    assert len(audit_entries(action="register_viewed", entity_id=str(entry.id))) == 2


def test_reading_children_over_the_api_records_each_child_read_as_the_page_does(client, worker, auth):
    case = make_case(worker)
    entry = register_child(worker)
    client.get(f"/api/v1/children/{case.child_id}", headers=auth)
    client.get("/api/v1/children", headers=auth)
    viewed = [reading.entity_id for reading in audit_entries(action="child_viewed")]
    assert sorted(viewed) == sorted([str(case.child_id), str(case.child_id), str(entry.child_id)])


def test_a_child_out_of_scope_answers_404(client, make_user, auth):
    entry = register_child(make_user("worker", unit="10966"))
    response = client.get(f"/api/v1/children/{entry.child_id}", headers=auth)
    assert response.status_code == 404 and response.json["error"]["code"]
    assert client.get("/api/v1/children", headers=auth).json["items"] == []


def test_the_admin_may_not_read_children(client, make_user):
    register_child(make_user("worker"))
    response = client.get("/api/v1/children", headers=token_for(client, make_user("admin")))
    assert response.status_code == 403


def test_the_openapi_document_describes_the_children(client, units):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/children" in paths and "/children/{child_id}" in paths


NEW = {"full_name": "Đỗ Thị Hoa", "sex": "female", "date_of_birth": "2017-03-04", "address_unit": "10933",
       "groups": ["orphaned", "at_risk"]}


def test_a_worker_adds_a_child_to_the_register_over_the_api(client, worker, auth):
    response = client.post("/api/v1/children", json=NEW, headers=auth)
    assert response.status_code == 201, response.json
    child = response.json
    assert child["groups"] == ["orphaned", "at_risk"] and child["address_unit"] == "10933"
    assert child["register"]["unit"] == "10933" and child["register"]["living_place"] is None
    assert response.headers["Location"].endswith(f"/api/v1/children/{child['id']}")


@pytest.mark.parametrize("change, field", [({"groups": []}, "groups"), ({"groups": ["orphans"]}, "groups"),
                                           ({"address_unit": "10966"}, "address_unit"),
                                           ({"sex": "boy"}, "sex"), ({"date_of_birth": "2005-01-01"},
                                                                     "date_of_birth")])
def test_adding_a_child_with_a_bad_field_answers_422_naming_it_and_keeps_nothing(client, auth, change, field):
    from app.children.models import Child
    from app.extensions import db
    import sqlalchemy as sa

    response = client.post("/api/v1/children", json={**NEW, **change}, headers=auth)
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Child)) == 0


def test_adding_a_child_already_on_record_answers_409(client, worker, auth):
    case = make_case(worker)
    response = client.post("/api/v1/children", json={**NEW, "full_name": "Nguyễn Văn An", "sex": "male",
                                                     "date_of_birth": "2015-04-02"}, headers=auth)
    assert response.status_code == 409 and str(case.child_id) in response.json["error"]["message"]


def test_a_supervisor_may_not_add_children_to_a_register(client, make_user):
    response = client.post("/api/v1/children", json=NEW, headers=token_for(client, make_user("supervisor")))
    assert response.status_code == 403


def test_the_list_holds_only_confirmed_entries_and_the_collaborator_their_own(client, worker, auth, make_user):
    from app.extensions import db

    collaborator = make_user("collaborator", unit=worker.unit.code)
    awaiting, rejected = register_child(collaborator), register_child(collaborator)
    services.reject(worker, rejected, "Trẻ không sống ở xã.")
    db.session.commit()
    confirmed = register_child(worker)

    def ids(headers, query=""):
        return {item["id"] for item in client.get(f"/api/v1/children?{query}", headers=headers).json["items"]}

    assert ids(auth) == ids(auth, "group=orphaned") == {confirmed.child_id}
    assert ids(token_for(client, make_user("supervisor"))) == {confirmed.child_id}
    assert ids(token_for(client, collaborator)) == {awaiting.child_id, rejected.child_id}
