"""The case pages: intake, the case page and its steps, the list, my work."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.access import Role
from app.cases.models import Case
from app.extensions import db
from app.deadlines.services import local_zone
from app.orm import utcnow
from tests.factories import isolate, make_case

INTAKE = {"full_name": "Lê Thị Mai", "sex": "female", "date_of_birth": "2016-02-03", "source": "hotline_111",
          "received_at": "2026-11-28T08:30", "categories": ["neglect"], "description": "Trẻ ở nhà một mình nhiều ngày.",
          "immediate_danger": "y", "harm_status": "abused", "child_consent": "agreed", "carer_consent": "agreed"}


def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_a_worker_opens_a_case_from_the_intake_page(client, worker):
    response = client.post("/cases/new", data=INTAKE)
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert response.headers["Location"] == f"/cases/{case.reference}#content"
    assert (case.child.full_name, case.immediate_danger, case.categories) == ("Lê Thị Mai", True, ["neglect"])


def test_the_intake_page_explains_what_is_missing_and_saves_nothing(client, worker):
    response = client.post("/cases/new", data={**INTAKE, "categories": [], "description": ""})
    assert response.status_code == 200 and 'id="description-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_a_probable_duplicate_is_offered_and_the_worker_chooses(client, worker):
    existing = make_case(worker)
    data = {**INTAKE, "full_name": "nguyen van an", "sex": "male", "date_of_birth": "2015-04-02"}
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    assert f'value="{existing.child.id}"' in page
    client.post("/cases/new", data={**data, "child_choice": str(existing.child.id)})
    assert {case.child_id for case in db.session.scalars(db.select(Case))} == {existing.child.id}


def test_choosing_a_new_child_records_one(client, worker):
    existing = make_case(worker)
    data = {**INTAKE, "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "2015-04-02",
            "child_choice": "new"}
    client.post("/cases/new", data=data)
    assert len({case.child_id for case in db.session.scalars(db.select(Case))} - {existing.child_id}) == 1


def test_a_probable_duplicate_elsewhere_is_told_and_the_worker_confirms_a_new_child(client, worker, make_user):
    make_case(make_user("worker", unit="10966"))
    english(client)
    data = {**INTAKE, "full_name": "nguyen van an", "sex": "male", "date_of_birth": "2015-04-02"}
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    assert "on record elsewhere in the province" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 1
    assert client.post("/cases/new", data={**data, "child_choice": "new"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 2


def test_the_case_page_shows_deadlines_and_the_steps_allowed(client, worker):
    case = make_case(worker, immediate_danger=True)
    english(client)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Emergency measures: due in" in page and "step-assess" in page and "step-approve_plan" not in page


def test_a_step_from_the_page_moves_the_case(client, worker):
    case = make_case(worker)
    response = client.post(f"/cases/{case.reference}/assess",
                           data={"version": case.version, "answers": ["sexual_abuse"]})
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.status, case.risk_level) == ("assessing", "high")


def test_a_stale_form_is_refused_shows_what_changed_and_keeps_the_input(client, worker, make_user):
    case = make_case(worker)
    from app.cases import services
    services.edit_case(case, make_user("commune_leader"), {"place": "Chợ"}, case.version)
    english(client)
    response = client.post(f"/cases/{case.reference}/edit",
                           data={"version": case.version - 1, "description": "Mô tả mới của tôi",
                                 "categories": ["violence"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Changed meanwhile" in page and "Mô tả mới của tôi" in page
    db.session.refresh(case)
    assert case.description != "Mô tả mới của tôi"


def test_a_form_without_a_version_is_refused_and_keeps_the_input(client, worker, make_user):
    case = make_case(worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/edit",
                           data={"description": "Mô tả mới của tôi", "categories": ["violence"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 428 and "did not say which version" in page and "Mô tả mới của tôi" in page
    db.session.refresh(case)
    assert case.description != "Mô tả mới của tôi" and case.version == 1


def test_a_closed_case_is_never_listed_as_overdue(client, worker):
    case = make_case(worker, immediate_danger=True, received_at=utcnow() - timedelta(days=3))
    case.status = "closed"
    db.session.commit()
    from app.cases import queries
    assert db.session.execute(queries.filtered(worker, queries.CaseFilter(overdue=True), utcnow())).all() == []


def test_a_closed_case_shows_no_next_deadline_in_the_list(client, worker):
    case = make_case(worker, immediate_danger=True, received_at=utcnow() - timedelta(days=3))
    case.status = "closed"
    db.session.commit()
    english(client)
    assert "Emergency measures" not in client.get("/cases/").get_data(as_text=True)


def test_the_end_of_an_isolation_is_recorded_from_the_case_page(client, worker, make_user):
    case = make_case(worker, immediate_danger=True)
    today = utcnow().date()
    isolate(case, worker, make_user("commune_leader"), today - timedelta(days=5), today)
    english(client)
    assert "step-end_isolation" in client.get(f"/cases/{case.reference}").get_data(as_text=True)
    response = client.post(f"/cases/{case.reference}/end_isolation", data={
        "version": case.version, "ended_on": today.isoformat(), "note": "Trẻ về nhà với mẹ"})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "The isolation ended on" in page and "step-end_isolation" not in page


def test_the_worker_proposes_an_isolation_and_the_leader_decides_it_from_the_case_page(client, worker, make_user,
                                                                                       sign_in):
    """Decree 56/2017 art. 32: proposed by the worker, decided by a commune leader, who is named."""
    case = make_case(worker, immediate_danger=True)
    today = utcnow().astimezone(local_zone()).date()
    english(client)
    proposal = {"isolation-version": case.version, "isolation-reason": "Cha đánh trẻ",
                "isolation-place": "Nhà bà ngoại", "isolation-with_whom": "Bà ngoại",
                "isolation-first_day": today.isoformat()}
    response = client.post(f"/cases/{case.reference}/propose_isolation", data={
        **proposal, "isolation-last_day": (today + timedelta(days=20)).isoformat()})
    assert response.status_code == 422 and "at the written request of a competent authority" in response.text
    response = client.post(f"/cases/{case.reference}/propose_isolation", data={
        **proposal, "isolation-last_day": (today + timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    assert "step-decide_isolation" not in client.get(f"/cases/{case.reference}").text
    client.post("/auth/sign-out")
    leader = sign_in(make_user("commune_leader", full_name="Trần Văn Chủ"))
    english(client)
    assert case.reference in client.get("/").text.split('id="to-approve"')[1].split("</section>")[0]
    db.session.refresh(case)
    assert client.post(f"/cases/{case.reference}/decide_isolation", data={"version": case.version}).status_code == 302
    page = client.get(f"/cases/{case.reference}").text
    assert "Decided by Trần Văn Chủ" in page and leader.full_name == "Trần Văn Chủ"


@pytest.mark.parametrize("version", ["²", "9" * 5000, "-1"])
def test_a_version_that_is_not_a_number_is_refused_as_missing(client, worker, version):
    case = make_case(worker)
    response = client.post(f"/cases/{case.reference}/edit", data={"version": version, "description": "Mới",
                                                                   "categories": ["violence"]})
    assert response.status_code == 428


@pytest.mark.parametrize("choice", ["²", "9" * 30])
def test_intake_with_a_child_choice_that_is_not_an_id_records_a_new_child(client, worker, choice):
    response = client.post("/cases/new", data={**INTAKE, "full_name": "Lê Thị Mai", "sex": "female",
                                               "date_of_birth": "2016-01-02", "child_choice": choice})
    assert response.status_code == 302


def test_a_page_refuses_a_json_body_with_400(client, worker):
    case = make_case(worker)
    assert client.post(f"/cases/{case.reference}/edit", json=[1, 2]).status_code == 400


def test_my_work_lists_the_overdue_first(client, worker):
    from datetime import timedelta

    from app.orm import utcnow
    later = make_case(worker)
    overdue = make_case(worker, received_at=utcnow() - timedelta(days=7))
    english(client)
    page = client.get("/").get_data(as_text=True)
    my_work = page[page.index("Open cases, the most urgent first"):]  # after the notices at the top
    assert my_work.index(overdue.reference) < my_work.index(later.reference) and "overdue by" in my_work


def test_the_list_searches_without_diacritics(client, worker):
    make_case(worker)
    assert "Nguyễn Văn An" in client.get("/cases/?q=nguyen+van").get_data(as_text=True)
    assert "Nguyễn Văn An" not in client.get("/cases/?q=tran").get_data(as_text=True)


def test_the_list_shows_each_case_with_its_next_deadline(client, worker):
    from datetime import timedelta

    from app.orm import utcnow
    overdue = make_case(worker, received_at=utcnow() - timedelta(days=7))
    english(client)
    page = client.get("/cases/").get_data(as_text=True)
    row = page[page.index(overdue.reference):]
    row = row[:row.index("</tr>")]
    assert "Nguyễn Văn An" in row and "Reported" in row and "Xã Cẩm Phúc" in row
    assert '<span class="overdue">Initial assessment (local standard): overdue by ' in row


def test_the_list_pages_by_25(client, worker):
    references = [make_case(worker).reference for _ in range(26)]
    first, second = client.get("/cases/").get_data(as_text=True), client.get("/cases/?page=2").get_data(as_text=True)
    assert sum(reference in first for reference in references) == 25 and "page=2" in first
    assert sum(reference in second for reference in references) == 1 and "page=1" in second


def test_the_list_takes_as_many_statements_for_many_cases_as_for_few(client, worker):
    def statements_for_the_list() -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/cases/").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    make_case(worker)
    client.get("/cases/")  # the header's badge is counted once a minute, not on every page
    few = statements_for_the_list()
    for _ in range(5):
        make_case(worker)
    assert statements_for_the_list() == few <= 3


def test_the_filters_keep_their_choice_in_the_reader_s_language(client, worker):
    vietnamese = client.get("/cases/?status=assessing").get_data(as_text=True)
    english(client)
    chosen = client.get("/cases/?status=assessing").get_data(as_text=True)
    assert '<option selected value="assessing">' in chosen and "Newest report first" in chosen
    assert "Newest report first" not in vietnamese
    assert '<option selected value="reported">' in client.get("/cases/?status=reported").get_data(as_text=True)


CASE_PAGES = [("get", "/cases/{ref}"), ("get", "/children/{child}"), ("post", "/cases/{ref}/log")]
IN = {Role.WORKER: "10933", Role.COMMUNE_LEADER: "10933", Role.SUPERVISOR: "295", Role.PROVINCE_OFFICER: "30",
      Role.INSPECTOR: "30", Role.COLLABORATOR: "10933"}
OUT = {Role.WORKER: "10966", Role.COMMUNE_LEADER: "10966", Role.SUPERVISOR: "296", Role.INSPECTOR: "296"}


@pytest.mark.parametrize("method, path", CASE_PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_every_case_page_answers_by_role_and_scope(app, make_user, role, method, path):
    owner = make_user("worker")
    case = make_case(owner)
    places = [("in", IN.get(role, "30")), ("out", OUT.get(role))]
    for where, unit_code in places:
        if unit_code is None:
            continue
        user = make_user(role, unit=unit_code)
        client = app.test_client()
        client.post("/auth/sign-in", data={"username": user.username, "password": "correct horse battery"})
        response = getattr(client, method)(path.format(ref=case.reference, child=case.child_id),
                                           data={"kind": "note", "occurred_at": "2026-11-28T08:00", "text": "x"})
        # An intake account reads only its own list of reports; a village collaborator and a department's officer
        # nothing of a case.
        if role in (Role.ADMIN, Role.INTAKE, Role.COLLABORATOR, Role.DEPARTMENT_OFFICER):
            assert response.status_code == 403, (role, where)
        elif where == "out":
            assert response.status_code == 404, (role, where, path)
        elif method == "post" and role is Role.INSPECTOR:
            assert response.status_code == 403, (role, where)
        else:
            assert response.status_code in (200, 302), (role, where, path, response.status_code)


def case_routes(app):
    """Every route that names a case or a child, pages and API alike, with the methods it accepts."""
    for rule in app.url_map.iter_rules():
        if {"reference", "child_id"} & set(rule.arguments):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


# Where each role is placed to have the case of a Cẩm Phúc (10933) worker in scope, and out of it. Hải Phòng (31)
# is another province, added for the province officer.
SCOPE_UNITS = {Role.WORKER: ("10933", "10966"), Role.COMMUNE_LEADER: ("10933", "10966"),
               Role.SUPERVISOR: ("295", "296"), Role.PROVINCE_OFFICER: ("30", "31"), Role.INSPECTOR: ("30", "296"),
               Role.ADMIN: ("30", "296"), Role.INTAKE: ("30", "296"), Role.COLLABORATOR: ("10933", "10966"),
               Role.DEPARTMENT_OFFICER: ("30", "31")}


@pytest.mark.parametrize("role", list(Role))
def test_every_route_that_names_a_case_answers_by_role_and_scope(app, make_user, role):
    """Pages and API alike. A role without the route's capability is refused (403) wherever the case is; out of
    scope, every other route answers 404 and changes nothing; in scope, never 404 and never an error."""
    from flask import url_for

    from app.access import can
    from app.api.cases import STEPS
    from app.cases.views import STEP_FORMS
    from app.units.models import Unit

    if not db.session.scalar(sa.select(Unit.id).where(Unit.code == "31")):
        db.session.add(Unit(edition="2024", code="31", name="Thành phố Hải Phòng", level="province", path="2024/31/"))
        db.session.commit()
    checked = set()
    for where, unit_code in zip(("in", "out"), SCOPE_UNITS[role], strict=True):
        case = make_case(make_user("worker", unit="10933"))
        user = make_user(role, unit=unit_code)
        client = app.test_client()
        client.post("/auth/sign-in", data={"username": user.username, "password": "correct horse battery"})
        token = client.post("/api/v1/tokens", json={"username": user.username,
                                                    "password": "correct horse battery"}).json["token"]
        for rule, method in case_routes(app):
            steps = [None] if "step" not in rule.arguments else STEPS if rule.rule.startswith("/api/") else STEP_FORMS
            for step in steps:
                # Mẫu 01, the report, is the one form every case may print.
                values = {"reference": case.reference, "child_id": case.child_id, "step": step, "form": "mau-01"}
                with app.test_request_context():
                    path = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
                api = path.startswith("/api/")
                response = client.open(path, method=method, json={} if api else None,
                                       headers={"Authorization": f"Bearer {token}", "If-Match": '"1"'} if api else {})
                capable = can(user, app.view_functions[rule.endpoint].capability)
                answer = (role, where, method, path, response.status_code)
                if not capable:
                    assert response.status_code == 403, answer
                elif where == "out" or role is Role.COLLABORATOR:
                    # A collaborator reads only the register entries they made: not even their own commune's case.
                    assert response.status_code == 404, answer
                else:
                    assert response.status_code not in (404, 500), answer
                checked.add((method, rule.rule, step))
        if where == "out":
            db.session.refresh(case)
            assert (case.status, case.version) == ("reported", 1)
    # case, history and child pages (3 + edit), API get and patch, the case file's page and API route;
    # referring (page get and post, API) and escalating (page, API); a statutory form (page, API with and without
    # ".pdf"); attaching a file (page, API) and the list of its files (API); the child's register page, adding
    # (get, post), the situation (get, post), a group, leaving it, support and a review, and the API's child;
    # confirming or rejecting a collaborator's entry; giving the next review to someone, and confirming or
    # rejecting a collaborator's review; and every step, page and API
    assert len(checked) == 9 + 5 + 3 + 3 + 10 + 2 + 3 + len(STEPS) + len(STEP_FORMS)


def test_intake_offers_the_province_s_communes_with_the_worker_s_own_chosen(client, worker):
    page = client.get("/cases/new").get_data(as_text=True)
    assert '<option selected value="10933">Xã Cẩm Phúc</option>' in page
    assert 'value="10966"' in page and 'value="295"' not in page


def test_intake_names_communes_by_name_and_two_of_one_name_by_their_district(client, worker):
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Xã Cộng Hòa (Huyện Nam Sách)" in page and "Xã Cộng Hòa (Huyện Kim Thành)" in page


def test_intake_records_the_commune_chosen_as_the_child_s_address(client, worker):
    response = client.post("/cases/new", data={**INTAKE, "child_choice": "new", "address_unit": "10966"})
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.child.address_unit.code == "10966" and case.unit.code == "10933"


def test_intake_refuses_an_address_that_is_not_a_commune_of_the_list(client, worker):
    response = client.post("/cases/new", data={**INTAKE, "child_choice": "new", "address_unit": "295"})
    assert response.status_code == 200 and db.session.scalar(sa.select(Case)) is None
