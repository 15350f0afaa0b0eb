import pytest

from app.access import Role
from app.extensions import db
from app.users.services import find_user
from tests.factories import PASSWORD


@pytest.fixture
def admin(make_user, sign_in):
    return sign_in(make_user("admin"))


def new_account(client, **fields):
    data = {"username": "hoa.pham", "full_name": "Phạm Thị Hoa", "role": "worker", "unit": "10966", **fields}
    return client.post("/admin/users/new", data=data)


def test_an_admin_lists_the_accounts(client, admin, make_user):
    worker = make_user("worker")
    page = client.get("/admin/users/").get_data(as_text=True)
    assert worker.username in page and admin.username in page


def test_an_admin_creates_an_account(client, admin):
    assert new_account(client).status_code == 200
    user = find_user("hoa.pham")
    assert (user.full_name, user.role, user.unit.code) == ("Phạm Thị Hoa", "worker", "10966")


def test_a_refused_account_shows_the_reason_next_to_the_field_and_creates_nothing(client, admin):
    response = new_account(client, unit="295")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="unit-error"' in page
    assert find_user("hoa.pham") is None


def move(client, account, role, unit):
    """An administrator moves the account; a second administrator approves the move (tests/users/test_approvals.py
    tells the rule)."""
    from app.users import approvals

    client.post(f"/admin/users/{account.id}", data={"role": role, "unit": unit})
    grant = approvals.open_grant(account)
    if grant is not None:
        approvals.approve(grant, second_admin())
    db.session.refresh(account)


def second_admin():
    from tests.factories import make_user

    return make_user("admin", unit="30")


def test_an_admin_changes_role_and_unit(client, admin, make_user):
    worker = make_user("worker")
    move(client, worker, "commune_leader", "10966")
    assert (worker.role, worker.unit.code) == ("commune_leader", "10966")


def test_changing_role_signs_the_person_out(app, client, admin, make_user):
    worker = make_user("worker")
    worker_client = app.test_client()
    worker_client.post("/auth/sign-in", data={"username": worker.username, "password": PASSWORD})
    move(client, worker, "commune_leader", "10933")
    assert worker_client.get("/").status_code == 302


def test_moving_a_person_to_another_unit_revokes_their_api_tokens(app, client, admin, make_user):
    worker = make_user("worker")
    token = app.test_client().post("/api/v1/tokens", json={"username": worker.username,
                                                           "password": PASSWORD}).json["token"]
    move(client, worker, "worker", "10966")
    assert app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_worker_moved_away_is_no_longer_told_of_the_old_commune_s_deadlines(client, admin, make_user):
    from datetime import timedelta

    from app.notifications.services import notices_for
    from app.orm import utcnow
    from tests.factories import make_case

    worker = make_user("worker", unit="10933")
    make_case(worker, immediate_danger=True, received_at=utcnow() - timedelta(hours=1))
    assert notices_for(worker, utcnow()).deadlines
    move(client, worker, "worker", "10966")
    assert notices_for(worker, utcnow()).deadlines == []


def test_a_new_activation_code_opens_an_account_closed_after_failed_sign_ins(client, admin, make_user):
    worker = make_user("worker")
    for _ in range(5):
        client.application.test_client().post("/auth/sign-in",
                                              data={"username": worker.username, "password": "wrong one"})
    assert client.post(f"/admin/users/{worker.id}/password", data={"confirmed": "yes"}).status_code == 200
    db.session.refresh(worker)
    assert worker.locked_until is None and worker.failed_sign_ins == 0


def test_an_admin_deactivates_and_reactivates_an_account(client, admin, make_user):
    worker = make_user("worker")
    assert client.post(f"/admin/users/{worker.id}/deactivate", data={"confirmed": "yes"}).status_code == 302
    db.session.refresh(worker)
    assert worker.active is False
    client.post(f"/admin/users/{worker.id}/reactivate")
    db.session.refresh(worker)
    assert worker.active is True


def test_an_admin_cannot_deactivate_themself(client, admin):
    client.post(f"/admin/users/{admin.id}/deactivate", data={"confirmed": "yes"})
    db.session.refresh(admin)
    assert admin.active is True


def test_a_district_admin_does_not_see_accounts_outside_the_district(client, make_user, sign_in):
    sign_in(make_user("admin", unit="295"))
    outside = make_user("worker", unit="10966")  # Tân Việt lies in another district
    assert client.get(f"/admin/users/{outside.id}").status_code == 404
    assert outside.username not in client.get("/admin/users/").get_data(as_text=True)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
@pytest.mark.parametrize("path", ["/admin/users/", "/admin/users/new"])
def test_only_admins_reach_the_account_pages(client, make_user, sign_in, role, path):
    sign_in(make_user(role))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("method, path", [("get", "/admin/users/"), ("get", "/admin/users/new"),
                                          ("get", "/admin/users/1"), ("post", "/admin/users/1/deactivate")])
def test_account_pages_need_sign_in(client, units, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


def test_a_district_admin_cannot_create_an_account_above_the_district(client, make_user, sign_in):
    sign_in(make_user("admin", unit="295"))
    response = new_account(client, role="admin", unit="30")
    assert response.status_code == 200 and 'id="unit-error"' in response.get_data(as_text=True)
    assert find_user("hoa.pham") is None


def test_a_district_admin_cannot_move_an_account_out_of_the_district(client, make_user, sign_in):
    sign_in(make_user("admin", unit="295"))
    worker = make_user("worker", unit="10933")
    response = client.post(f"/admin/users/{worker.id}", data={"role": "worker", "unit": "10966"})
    assert response.status_code == 200 and 'id="unit-error"' in response.get_data(as_text=True)
    db.session.refresh(worker)
    assert worker.unit.code == "10933"


def test_an_admin_cannot_change_their_own_role(client, admin):
    client.post(f"/admin/users/{admin.id}", data={"role": "inspector", "unit": "30"})
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_an_admin_cannot_reset_their_own_password_without_the_current_one(client, admin):
    old_hash = admin.password_hash
    client.post(f"/admin/users/{admin.id}/password", data={"confirmed": "yes"})
    db.session.refresh(admin)
    assert admin.password_hash == old_hash and admin.activation_code_hash is None


def test_a_new_activation_code_revokes_the_accounts_api_tokens(client, admin, make_user):
    worker = make_user("worker")
    token = client.application.test_client().post(
        "/api/v1/tokens", json={"username": worker.username, "password": PASSWORD}).json["token"]
    client.post(f"/admin/users/{worker.id}/password", data={"confirmed": "yes"})
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize("path", ["/admin/users/99999999999999999999", "/admin/users/99999999999999999999/password"])
def test_an_absurd_account_number_is_simply_not_found(client, admin, path):
    assert client.get(path).status_code == 404


def test_an_absurd_page_number_shows_an_empty_page(client, admin):
    assert client.get("/admin/users/?page=99999999999999999999").status_code == 200


def test_deactivating_an_account_asks_first_and_changes_nothing_until_confirmed(client, admin, make_user):
    worker = make_user("worker")
    edit_page = client.get(f"/admin/users/{worker.id}").get_data(as_text=True)
    assert f'action="/admin/users/{worker.id}/deactivate"' not in edit_page
    assert f'href="/admin/users/{worker.id}/deactivate"' in edit_page
    question = client.get(f"/admin/users/{worker.id}/deactivate")
    assert question.status_code == 200 and worker.full_name in question.get_data(as_text=True)
    assert client.post(f"/admin/users/{worker.id}/deactivate").status_code == 200
    db.session.refresh(worker)
    assert worker.active is True


def test_reactivating_an_account_revives_none_of_its_old_tokens_or_sessions(app, client, admin, make_user):
    worker = make_user("worker")
    token = app.test_client().post("/api/v1/tokens", json={"username": worker.username,
                                                           "password": PASSWORD}).json["token"]
    session = app.test_client()
    session.post("/auth/sign-in", data={"username": worker.username, "password": PASSWORD})
    client.post(f"/admin/users/{worker.id}/deactivate", data={"confirmed": "yes"})
    client.post(f"/admin/users/{worker.id}/reactivate")
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert session.get("/").status_code == 302
    fresh = app.test_client().post("/api/v1/tokens", json={"username": worker.username, "password": PASSWORD})
    assert fresh.status_code == 201


# A commune leader's office: the title their decisions are signed under (tests/documents/test_forms.py)

def test_an_admin_records_that_a_commune_leader_is_the_chairman(client, admin):
    new_account(client, role="commune_leader", office="chairman")
    assert find_user("hoa.pham").office == "chairman"


def test_an_admin_records_that_a_commune_leader_is_a_vice_chairman(client, admin, make_user):
    leader = make_user("commune_leader")
    client.post(f"/admin/users/{leader.id}", data={"role": "commune_leader", "unit": leader.unit.code,
                                                   "office": "vice_chairman"})
    db.session.refresh(leader)
    assert leader.office == "vice_chairman"


def test_only_a_commune_leader_holds_an_office(client, admin):
    page = new_account(client, role="worker", office="chairman").get_data(as_text=True)
    assert 'id="office-error"' in page and find_user("hoa.pham") is None


def test_an_unknown_office_is_refused_next_to_the_field(client, admin):
    page = new_account(client, role="commune_leader", office="mayor").get_data(as_text=True)
    assert 'id="office-error"' in page and find_user("hoa.pham") is None


def test_an_admin_creates_a_department_officer_for_a_department_of_the_province(client, admin):
    from tests.factories import make_department

    health = make_department("Sở Y tế tỉnh Hải Dương")
    assert str(health.id) in client.get("/admin/users/new").get_data(as_text=True)
    new_account(client, role="department_officer", unit="30", department=str(health.id))
    user = find_user("hoa.pham")
    assert (user.role, user.department.name, user.awaiting_approval) == ("department_officer", health.name, False)


def test_a_department_officer_without_a_department_is_refused_at_the_field(client, admin):
    page = new_account(client, role="department_officer", unit="30").get_data(as_text=True)
    assert 'id="department-error"' in page and find_user("hoa.pham") is None


def test_a_department_of_another_province_or_for_another_role_is_refused(client, admin, units):
    from tests.factories import make_department

    health = make_department("Sở Y tế tỉnh Hải Dương")
    page = new_account(client, role="worker", unit="10966", department=str(health.id)).get_data(as_text=True)
    assert 'id="department-error"' in page and find_user("hoa.pham") is None
