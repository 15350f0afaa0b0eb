"""Cases over the API, as ../shared/API.md specifies them."""
import pytest
import sqlalchemy as sa

from app.access import Role
from tests.factories import PASSWORD, make_case

INTAKE = {
    "unit": "10933",
    "child": {"full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "2015-04-02"},
    "categories": ["violence"], "source": "hotline_111", "received_at": "2026-11-28T08:30:00+07:00",
    "description": "Tổng đài 111 nhận tin trẻ bị đánh.", "immediate_danger": True,
}


def seen(case):
    """The If-Match header of a change made on `case` as it is now."""
    return {"If-Match": f'"{case.version}"'}


def token_for(client, user):
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def worker(make_user):
    return make_user("worker")


@pytest.fixture
def auth(client, worker):
    return token_for(client, worker)


def test_intake_answers_201_with_the_case(client, auth):
    response = client.post("/api/v1/cases", json=INTAKE, headers=auth)
    assert response.status_code == 201, response.json
    case = response.json
    assert case["status"] == "reported" and case["unit"] == "10933" and case["categories"] == ["violence"]
    assert case["risk_level"] is None and case["child"]["full_name"] == "Nguyễn Văn An"
    assert {d["name"] for d in case["deadlines"]} == {"initial_assessment", "emergency_measures"}
    assert case["version"] == 1 and response.headers["ETag"] == '"1"'


def test_intake_with_invalid_fields_answers_422_and_creates_nothing(client, auth):
    body = {**INTAKE, "categories": ["gossip"], "child": {**INTAKE["child"], "sex": "x"}}
    response = client.post("/api/v1/cases", json=body, headers=auth)
    assert response.status_code == 422
    assert {"categories", "child.sex"} <= set(response.json["error"]["fields"])
    assert client.get("/api/v1/cases", headers=auth).json["items"] == []


def test_intake_with_wrong_types_answers_422(client, auth):
    response = client.post("/api/v1/cases", json={**INTAKE, "immediate_danger": "yes", "received_at": "yesterday"},
                           headers=auth)
    assert response.status_code == 422
    assert {"immediate_danger", "received_at"} <= set(response.json["error"]["fields"])


def test_intake_naming_a_child_outside_the_worker_s_area_answers_422_and_creates_nothing(client, auth, make_user):
    from app.cases.models import Case
    from app.extensions import db

    elsewhere = make_case(make_user("worker", unit="10966"))
    cases = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
    body = {key: value for key, value in INTAKE.items() if key != "child"}

    response = client.post("/api/v1/cases", json={**body, "child_id": elsewhere.child_id}, headers=auth)

    assert response.status_code == 422 and "child_id" in response.json["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == cases


def test_an_inspector_cannot_open_a_case(client, make_user):
    response = client.post("/api/v1/cases", json=INTAKE, headers=token_for(client, make_user("inspector")))
    assert response.status_code == 403


def test_get_answers_the_case_with_its_etag(client, auth, worker):
    case = make_case(worker)
    response = client.get(f"/api/v1/cases/{case.reference}", headers=auth)
    assert response.status_code == 200 and response.headers["ETag"] == f'"{case.version}"'


def test_patch_with_the_current_version_saves(client, auth, worker):
    case = make_case(worker)
    response = client.patch(f"/api/v1/cases/{case.reference}", json={"place": "Chợ Cẩm Phúc"},
                            headers={**auth, "If-Match": f'"{case.version}"'})
    assert response.status_code == 200 and response.json["place"] == "Chợ Cẩm Phúc"
    assert response.headers["ETag"] == f'"{case.version + 1}"'


def test_patch_with_a_stale_version_answers_412_and_changes_nothing(client, auth, worker):
    case = make_case(worker)
    headers = {**auth, "If-Match": f'"{case.version}"'}
    client.patch(f"/api/v1/cases/{case.reference}", json={"place": "Chợ"}, headers=headers)
    response = client.patch(f"/api/v1/cases/{case.reference}", json={"place": "Trường"}, headers=headers)
    assert response.status_code == 412
    assert [change["fields"] for change in response.json["error"]["changes"]] == [["place"]]
    assert client.get(f"/api/v1/cases/{case.reference}", headers=auth).json["place"] == "Chợ"


@pytest.mark.parametrize("body", [{"description": 123}, {"description": None}, {"place": 5},
                                  {"immediate_danger": "yes"}, {"reporter_may_be_named": None},
                                  {"categories": [["violence"]]}, {"assigned_worker": 7}])
def test_patch_with_a_wrong_type_answers_422_and_changes_nothing(client, auth, worker, body):
    case = make_case(worker)
    response = client.patch(f"/api/v1/cases/{case.reference}", json=body,
                            headers={**auth, "If-Match": f'"{case.version}"'})
    assert response.status_code == 422 and set(response.json["error"]["fields"]) == set(body)
    assert client.get(f"/api/v1/cases/{case.reference}", headers=auth).json["version"] == case.version


@pytest.mark.parametrize("if_match", ['"²"', '"' + "9" * 5000 + '"'])
def test_an_if_match_that_is_not_a_version_answers_412(client, auth, worker, if_match):
    case = make_case(worker)
    response = client.patch(f"/api/v1/cases/{case.reference}", json={"place": "Chợ"},
                            headers={**auth, "If-Match": if_match})
    assert response.status_code == 412


def test_patch_without_if_match_answers_428(client, auth, worker):
    case = make_case(worker)
    assert client.patch(f"/api/v1/cases/{case.reference}", json={"place": "Chợ"}, headers=auth).status_code == 428


def test_list_filters_and_searches_without_diacritics(client, auth, worker):
    make_case(worker)
    found = client.get("/api/v1/cases", query_string={"q": "nguyen van an"}, headers=auth).json["items"]
    assert [item["child"]["full_name"] for item in found] == ["Nguyễn Văn An"]
    assert client.get("/api/v1/cases", query_string={"q": "tran thi"}, headers=auth).json["items"] == []
    assert client.get("/api/v1/cases", query_string={"status": "closed"}, headers=auth).json["items"] == []
    assert len(client.get("/api/v1/cases", query_string={"category": "violence"}, headers=auth).json["items"]) == 1


@pytest.mark.parametrize("name, value", [("status", "open"), ("category", "gossip"), ("risk", "extreme"),
                                         ("sort", "name"), ("overdue", "yes"), ("unit", "99999")])
def test_list_refuses_a_filter_it_does_not_know_with_422(client, auth, name, value):
    response = client.get("/api/v1/cases", query_string={name: value}, headers=auth)
    assert response.status_code == 422 and name in response.json["error"]["fields"]


@pytest.mark.parametrize("path", ["/api/v1/cases?limit=" + "9" * 5000, "/api/v1/referrals?offset=" + "9" * 5000,
                                  "/api/v1/audit?before=" + "9" * 5000, "/api/v1/cases?page=²"])
def test_a_paging_number_that_is_not_one_answers_422(client, make_user, path):
    response = client.get(path, headers=token_for(client, make_user("inspector", unit="30")))
    assert response.status_code == 422


def test_list_pages_with_a_next_link(client, auth, worker):
    for _ in range(3):
        make_case(worker)
    first = client.get("/api/v1/cases", query_string={"limit": 2}, headers=auth).json
    assert len(first["items"]) == 2 and first["next"]
    assert len(client.get(first["next"], headers=auth).json["items"]) == 1


def test_a_step_runs_through_the_same_rules(client, auth, worker):
    case = make_case(worker)
    response = client.post(f"/api/v1/cases/{case.reference}/assessment",
                           json={"answers": {"life_in_danger": True}}, headers={**auth, **seen(case)})
    assert response.status_code == 201 and response.json["status"] == "assessing"
    assert response.json["risk_level"] == "high"


def test_a_review_whose_scores_are_not_strings_answers_422(client, auth, worker):
    case = make_case(worker)
    case.status = "in_progress"
    from app.extensions import db
    db.session.commit()
    response = client.post(f"/api/v1/cases/{case.reference}/review", json={"scores": {"harm": ["high"]}},
                           headers={**auth, **seen(case)})
    assert response.status_code == 422 and "scores" in response.json["error"]["fields"]


def test_intake_refuses_a_carer_whose_name_is_null(client, auth):
    child = {**INTAKE["child"], "carers": [{"name": None, "relationship": "mẹ"}]}
    response = client.post("/api/v1/cases", json={**INTAKE, "child": child}, headers=auth)
    assert response.status_code == 422 and "child.carers" in response.json["error"]["fields"]
    assert client.get("/api/v1/cases", headers=auth).json["items"] == []


def test_a_step_without_if_match_answers_428_and_changes_nothing(client, auth, worker):
    case = make_case(worker)
    response = client.post(f"/api/v1/cases/{case.reference}/assessment", json={"answers": {}}, headers=auth)
    assert response.status_code == 428
    assert client.get(f"/api/v1/cases/{case.reference}", headers=auth).json["status"] == "reported"


def test_a_timeline_entry_needs_no_if_match(client, auth, worker):
    case = make_case(worker)
    case.status = "in_progress"
    from app.extensions import db
    db.session.commit()
    response = client.post(f"/api/v1/cases/{case.reference}/timeline", headers=auth,
                           json={"kind": "visit", "occurred_at": "2026-11-28T09:00:00+07:00", "text": "Thăm nhà"})
    assert response.status_code == 201


def test_an_isolation_is_proposed_decided_and_ended_over_the_api(client, auth, worker, make_user):
    """Decree 56/2017 art. 32: the worker proposes, a commune leader decides (named) and may end it early."""
    case = make_case(worker, immediate_danger=True)
    path = f"/api/v1/cases/{case.reference}"
    refused = client.post(f"{path}/emergency-measures", headers={**auth, **seen(case)}, json={
        "description": "Cách ly khỏi người cha", "taken_at": "2026-11-28T09:00:00+07:00", "isolation": True})
    assert refused.status_code == 422 and "isolation" in refused.json["error"]["fields"]
    proposed = client.post(f"{path}/isolation-proposal", headers={**auth, **seen(case)}, json={
        "reason": "Cha đánh trẻ", "place": "Nhà bà ngoại", "with_whom": "Bà ngoại", "first_day": "2026-11-28",
        "last_day": "2026-12-05"})
    assert proposed.status_code == 201, proposed.json
    assert proposed.json["isolations"][0]["status"] == "proposed"
    etag = proposed.headers["ETag"]
    assert client.post(f"{path}/isolation-decision", headers={**auth, "If-Match": etag}).status_code == 403
    leader = make_user("commune_leader", full_name="Trần Văn Chủ")
    as_leader = token_for(client, leader)
    decided = client.post(f"{path}/isolation-decision", headers={**as_leader, "If-Match": etag})
    assert decided.status_code == 200, decided.json
    isolation = decided.json["isolations"][0]
    assert (isolation["status"], isolation["decided_by"], isolation["decided_by_name"], isolation["with_whom"]) == (
        "decided", leader.username, "Trần Văn Chủ", "Bà ngoại")
    response = client.post(f"{path}/isolation-end", headers={**as_leader, "If-Match": decided.headers["ETag"]},
                           json={"ended_on": "2026-11-28", "note": "Trẻ về nhà với mẹ"})
    assert response.status_code == 200, response.json
    assert [d["met_at"] is not None for d in response.json["deadlines"] if d["name"] == "isolation_end"] == [True]


@pytest.mark.parametrize("year", [0, -5])
def test_intake_refuses_a_birth_year_that_makes_no_child(client, auth, year):
    child = {**INTAKE["child"], "date_of_birth": None, "birth_year": year}
    response = client.post("/api/v1/cases", json={**INTAKE, "child": child}, headers=auth)
    assert response.status_code == 422 and "child.birth_year" in response.json["error"]["fields"]


def test_intake_refuses_a_carer_whose_name_is_too_long_for_its_column(client, auth):
    child = {**INTAKE["child"], "carers": [{"name": "A" * 201, "relationship": "mẹ"}]}
    response = client.post("/api/v1/cases", json={**INTAKE, "child": child}, headers=auth)
    assert response.status_code == 422 and "child.carers" in response.json["error"]["fields"]


def test_a_plan_action_whose_responsible_is_too_long_for_its_column_answers_422(client, auth, worker):
    case = make_case(worker)
    case.status = "assessing"
    from app.extensions import db
    db.session.commit()
    response = client.post(f"/api/v1/cases/{case.reference}/plan", headers={**auth, **seen(case)}, json={
        "goals": "Trẻ an toàn", "actions": [{"description": "Thăm nhà", "responsible": "B" * 201,
                                             "due_date": "2026-12-31"}]})
    assert response.status_code == 422 and "actions" in response.json["error"]["fields"]


def test_a_step_that_does_not_fit_the_status_answers_409(client, auth, worker):
    case = make_case(worker)
    assert client.post(f"/api/v1/cases/{case.reference}/closure-approval",
                       headers={**auth, **seen(case)}).status_code == 409


def test_a_step_this_role_may_not_take_answers_403(client, auth, make_user):
    leader = make_user("commune_leader")
    case = make_case(leader)
    case.status = "planning"
    from app.extensions import db
    db.session.commit()
    assert client.post(f"/api/v1/cases/{case.reference}/plan-approval",
                       headers={**auth, **seen(case)}).status_code == 403


def test_the_worker_and_leader_journey_over_the_api(client, auth, worker, make_user):
    leader_auth = token_for(client, make_user("commune_leader"))
    response = client.post("/api/v1/cases", json=INTAKE, headers=auth)
    reference = response.json["reference"]
    steps = [
        (auth, "emergency-measures", {"description": "Đưa trẻ đến nhà bà ngoại",
                                      "taken_at": "2026-11-28T09:00:00+07:00"}),
        (auth, "assessment", {"answers": {"repeated_harm": True}}),
        (auth, "plan", {"goals": "Trẻ an toàn", "actions": [{"description": "Thăm nhà", "responsible": "Cán bộ xã",
                                                             "due_date": "2026-12-31"}]}),
        (auth, "plan-submission", None),
        (leader_auth, "plan-approval", None),
    ]
    for headers, step, body in steps:
        response = client.post(f"/api/v1/cases/{reference}/{step}", json=body,
                               headers={**headers, "If-Match": response.headers["ETag"]})
        assert response.status_code in (200, 201), (step, response.json)
    assert response.json["status"] == "in_progress" and response.json["plan"]["status"] == "approved"


CASE_ROUTES = [("get", "/api/v1/cases/{ref}", None, None),
               ("patch", "/api/v1/cases/{ref}", {"place": "x"}, "edit"),
               ("post", "/api/v1/cases/{ref}/timeline", {"kind": "note", "occurred_at": "2026-11-28T08:00:00+07:00",
                                                          "text": "x"}, "log")]
IN_SCOPE = {Role.WORKER: "10933", Role.COMMUNE_LEADER: "10933", Role.SUPERVISOR: "295", Role.PROVINCE_OFFICER: "30",
            Role.INSPECTOR: "30"}
OUT_OF_SCOPE = {Role.WORKER: "10966", Role.COMMUNE_LEADER: "10966", Role.SUPERVISOR: "296",
                Role.PROVINCE_OFFICER: None, Role.INSPECTOR: "296"}


@pytest.mark.parametrize("method, path, body, action", CASE_ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_every_case_route_answers_by_role_and_scope(client, make_user, worker, role, method, path, body, action):
    """Admins, intake accounts (which read only the reports they recorded, on their own list), village
    collaborators and department officers are refused everything (403); out of scope is 404; in scope, the state
    machine decides."""
    from app.cases.workflow import allowed

    case = make_case(worker)
    for where, units in (("in", IN_SCOPE), ("out", OUT_OF_SCOPE)):
        if role in (Role.ADMIN, Role.INTAKE, Role.DEPARTMENT_OFFICER):
            unit_code = "30"
        elif role is Role.COLLABORATOR:
            unit_code = "10933"  # the case's own commune: a collaborator reads no case even there
        elif units[role] is None:
            continue
        else:
            unit_code = units[role]
        headers = {**token_for(client, make_user(role, unit=unit_code)), "If-Match": f'"{case.version}"'}
        response = getattr(client, method)(path.format(ref=case.reference), json=body, headers=headers)
        if role in (Role.ADMIN, Role.INTAKE, Role.COLLABORATOR, Role.DEPARTMENT_OFFICER):
            assert response.status_code == 403, (role, where)
        elif where == "out":
            assert response.status_code == 404, (role, where)
        elif action is not None and not allowed(case.status, action, role):
            assert response.status_code == 403, (role, where)
        else:
            assert response.status_code in (200, 201), (role, where, method, response.json)
        from app.extensions import db
        db.session.refresh(case)


def test_list_finds_a_case_by_its_reference(client, auth, worker):
    case = make_case(worker)
    make_case(worker)
    found = client.get("/api/v1/cases", query_string={"q": case.reference.lower()}, headers=auth).json["items"]
    assert [item["reference"] for item in found] == [case.reference]


def test_search_also_looks_at_other_names(client, auth, worker):
    from app.cases.services import open_case
    from tests.factories import child_details, report
    open_case(worker, worker.unit, report(), child_details=child_details(full_name="Trần Văn Bé",
                                                                         other_names="Tí Nị"))
    found = client.get("/api/v1/cases", query_string={"q": "ti ni"}, headers=auth).json["items"]
    assert [item["child"]["full_name"] for item in found] == ["Trần Văn Bé"]


def test_intake_records_the_child_s_address_commune(client, auth):
    body = {**INTAKE, "child": {**INTAKE["child"], "address_unit": "10966"}}
    response = client.post("/api/v1/cases", json=body, headers=auth)
    assert response.status_code == 201, response.json
    from app.cases.models import Case
    from app.extensions import db
    assert db.session.scalar(sa.select(Case)).child.address_unit.code == "10966"


@pytest.mark.parametrize("code", ["295", "30", "99999"])
def test_intake_refuses_an_address_that_is_not_a_commune_in_force(client, auth, code):
    body = {**INTAKE, "child": {**INTAKE["child"], "address_unit": code}}
    response = client.post("/api/v1/cases", json=body, headers=auth)
    assert response.status_code == 422 and "child.address_unit" in response.json["error"]["fields"]
    assert client.get("/api/v1/cases", headers=auth).json["items"] == []
