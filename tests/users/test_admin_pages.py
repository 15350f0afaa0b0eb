import pytest

from app.access import Role
from app.extensions import db
from app.users.services import find_user
from tests.factories import PASSWORD


@pytest.fixture
def admin(make_user, sign_in):
    return sign_in(make_user("admin"))


def new_account(client, **fields):
    data = {"username": "hoa.pham", "full_name": "Phạm Thị Hoa", "role": "worker", "unit": "10966",
            "password": PASSWORD, "confirm": PASSWORD, **fields}
    return client.post("/admin/users/new", data=data)


def test_an_admin_lists_the_accounts(client, admin, make_user):
    worker = make_user("worker")
    page = client.get("/admin/users/").get_data(as_text=True)
    assert worker.username in page and admin.username in page


def test_an_admin_creates_an_account(client, admin):
    assert new_account(client).status_code == 302
    user = find_user("hoa.pham")
    assert (user.full_name, user.role, user.unit.code) == ("Phạm Thị Hoa", "worker", "10966")


def test_a_refused_account_shows_the_reason_next_to_the_field_and_creates_nothing(client, admin):
    response = new_account(client, unit="295")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="unit-error"' in page
    assert find_user("hoa.pham") is None


def test_differing_password_confirmation_is_refused(client, admin):
    assert new_account(client, confirm="something else entirely").status_code == 200
    assert find_user("hoa.pham") is None


def test_an_admin_changes_role_and_unit(client, admin, make_user):
    worker = make_user("worker")
    response = client.post(f"/admin/users/{worker.id}", data={"role": "commune_leader", "unit": "10966"})
    assert response.status_code == 302
    db.session.refresh(worker)
    assert (worker.role, worker.unit.code) == ("commune_leader", "10966")


def test_changing_role_signs_the_person_out(app, client, admin, make_user):
    worker = make_user("worker")
    worker_client = app.test_client()
    worker_client.post("/auth/sign-in", data={"username": worker.username, "password": PASSWORD})
    client.post(f"/admin/users/{worker.id}", data={"role": "commune_leader", "unit": "10933"})
    assert worker_client.get("/").status_code == 302


def test_moving_a_person_to_another_unit_revokes_their_api_tokens(app, client, admin, make_user):
    worker = make_user("worker")
    token = app.test_client().post("/api/v1/tokens", json={"username": worker.username,
                                                           "password": PASSWORD}).json["token"]
    client.post(f"/admin/users/{worker.id}", data={"role": "worker", "unit": "10966"})
    assert app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_worker_moved_away_is_no_longer_told_of_the_old_commune_s_deadlines(client, admin, make_user):
    from datetime import timedelta

    from app.notifications.services import notices_for
    from app.orm import utcnow
    from tests.factories import make_case

    worker = make_user("worker", unit="10933")
    make_case(worker, immediate_danger=True, received_at=utcnow() - timedelta(hours=1))
    assert notices_for(worker, utcnow()).deadlines
    client.post(f"/admin/users/{worker.id}", data={"role": "worker", "unit": "10966"})
    db.session.refresh(worker)
    assert notices_for(worker, utcnow()).deadlines == []


def test_an_admin_resets_a_password_and_unlocks_the_account(client, admin, make_user):
    worker = make_user("worker")
    for _ in range(5):
        client.application.test_client().post("/auth/sign-in",
                                              data={"username": worker.username, "password": "wrong one"})
    response = client.post(f"/admin/users/{worker.id}/password",
                           data={"password": "a fresh passphrase", "confirm": "a fresh passphrase"})
    assert response.status_code == 302
    fresh = client.application.test_client()
    assert fresh.post("/auth/sign-in", data={"username": worker.username,
                                              "password": "a fresh passphrase"}).status_code == 302


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
    client.post(f"/admin/users/{worker.id}", data={"role": "worker", "unit": "10966"})
    db.session.refresh(worker)
    assert worker.unit.code == "10933"


def test_an_admin_cannot_change_their_own_role(client, admin):
    client.post(f"/admin/users/{admin.id}", data={"role": "inspector", "unit": "30"})
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_an_admin_cannot_reset_their_own_password_without_the_current_one(client, admin):
    old_hash = admin.password_hash
    client.post(f"/admin/users/{admin.id}/password", data={"password": "a fresh passphrase",
                                                           "confirm": "a fresh passphrase"})
    db.session.refresh(admin)
    assert admin.password_hash == old_hash


def test_a_reset_password_revokes_the_accounts_api_tokens(client, admin, make_user):
    worker = make_user("worker")
    token = client.application.test_client().post(
        "/api/v1/tokens", json={"username": worker.username, "password": PASSWORD}).json["token"]
    client.post(f"/admin/users/{worker.id}/password", data={"password": "a fresh passphrase",
                                                            "confirm": "a fresh passphrase"})
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


def test_an_account_an_admin_creates_must_choose_its_own_password_at_first_sign_in(client, admin, app):
    new_account(client)
    person = app.test_client()
    person.post("/auth/sign-in", data={"username": "hoa.pham", "password": PASSWORD})
    for address in ("/", "/cases/", "/referrals/"):
        assert person.get(address).headers["Location"] == "/auth/password"
    assert "Hãy chọn mật khẩu của riêng bạn" in person.get("/auth/password").get_data(as_text=True)
    assert person.post("/auth/password", data={"old_password": PASSWORD, "new_password": "sông Hồng chảy về biển",
                                               "confirm": "sông Hồng chảy về biển"}).status_code == 302
    assert person.get("/").status_code == 200
    assert find_user("hoa.pham").must_choose_password is False


def test_the_password_given_by_the_admin_cannot_be_chosen_again(client, admin, app):
    new_account(client)
    person = app.test_client()
    person.post("/auth/sign-in", data={"username": "hoa.pham", "password": PASSWORD})
    page = person.post("/auth/password", data={"old_password": PASSWORD, "new_password": PASSWORD,
                                               "confirm": PASSWORD})
    assert page.status_code == 200 and find_user("hoa.pham").must_choose_password is True


def test_a_password_an_admin_resets_must_be_replaced_at_next_sign_in(client, admin, make_user, app):
    worker = make_user("worker")
    assert worker.must_choose_password is False
    client.post(f"/admin/users/{worker.id}/password", data={"password": "a fresh passphrase",
                                                            "confirm": "a fresh passphrase"})
    db.session.refresh(worker)
    assert worker.must_choose_password is True
    person = app.test_client()
    person.post("/auth/sign-in", data={"username": worker.username, "password": "a fresh passphrase"})
    assert person.get("/").headers["Location"] == "/auth/password"
    assert person.post("/auth/sign-out").status_code == 302


def test_the_api_refuses_an_account_that_has_not_chosen_its_password(client, admin, app):
    new_account(client)
    response = app.test_client().post("/api/v1/tokens", json={"username": "hoa.pham", "password": PASSWORD})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "password_change_required"
