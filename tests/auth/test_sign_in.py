from datetime import timedelta

import pytest

from app.extensions import db
from app.orm import utcnow
from tests.factories import PASSWORD


def post_sign_in(client, username, password):
    return client.post("/auth/sign-in", data={"username": username, "password": password})


def refusal_text(response):
    return response.get_data(as_text=True)


def test_a_user_signs_in_and_lands_on_the_home_page(client, make_user):
    user = make_user("worker")
    response = post_sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_username_is_not_case_sensitive(client, make_user):
    make_user("worker", username="lan.nguyen")
    assert post_sign_in(client, "Lan.Nguyen", PASSWORD).status_code == 302


def test_passwords_are_stored_as_argon2id_hashes(make_user):
    user = make_user("worker")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_a_hash_made_with_old_parameters_is_replaced_at_sign_in(app, client, make_user):
    user = make_user("worker")
    old_hash = user.password_hash
    app.config["PASSWORD_HASH_PARAMETERS"] = {"time_cost": 2, "memory_cost": 16, "parallelism": 1}
    try:
        post_sign_in(client, user.username, PASSWORD)
        db.session.refresh(user)
        assert user.password_hash != old_hash and "t=2" in user.password_hash
    finally:
        app.config["PASSWORD_HASH_PARAMETERS"] = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def test_unknown_user_and_wrong_password_get_the_same_message(client, make_user):
    user = make_user("worker")
    wrong_password = refusal_text(post_sign_in(client, user.username, "not the password"))
    unknown_user = refusal_text(post_sign_in(client, "nobody.here", "not the password"))
    assert "The username or password is wrong" in wrong_password or "không đúng" in wrong_password
    assert wrong_password.replace(user.username, "") == unknown_user.replace("nobody.here", "")


def test_five_failures_lock_the_account_even_with_the_right_password(client, make_user):
    user = make_user("worker")
    for _ in range(5):
        post_sign_in(client, user.username, "not the password")
    assert post_sign_in(client, user.username, PASSWORD).status_code == 200
    db.session.refresh(user)
    assert user.locked_until > utcnow() + timedelta(minutes=14)


def test_four_failures_do_not_lock(client, make_user):
    user = make_user("worker")
    for _ in range(4):
        post_sign_in(client, user.username, "not the password")
    assert post_sign_in(client, user.username, PASSWORD).status_code == 302


def test_the_lock_is_kept_in_the_database_so_every_process_sees_it(app, make_user):
    user = make_user("worker")
    for _ in range(5):
        post_sign_in(app.test_client(), user.username, "not the password")
    another_process = app.test_client()
    assert post_sign_in(another_process, user.username, PASSWORD).status_code == 200


def test_the_lock_ends_after_fifteen_minutes(client, make_user):
    user = make_user("worker")
    for _ in range(5):
        post_sign_in(client, user.username, "not the password")
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert post_sign_in(client, user.username, PASSWORD).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user("worker")
    user.active = False
    db.session.commit()
    assert post_sign_in(client, user.username, PASSWORD).status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user("worker")
    response = post_sign_in(client, user.username, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signing_out_ends_the_session(client, sign_in, make_user):
    sign_in(make_user("worker"))
    assert client.post("/auth/sign-out").status_code == 302
    assert client.get("/").status_code == 302


def test_a_copy_of_the_cookie_is_worthless_after_signing_out(app, client, sign_in, make_user):
    sign_in(make_user("worker"))
    copy = app.test_client()
    cookie = client.get_cookie("session")
    copy.set_cookie(cookie.key, cookie.value)
    assert copy.get("/").status_code == 200
    client.post("/auth/sign-out")
    assert copy.get("/").status_code == 302


def test_signing_out_needs_a_post(client, sign_in, make_user):
    sign_in(make_user("worker"))
    assert client.get("/auth/sign-out").status_code == 405


def test_a_session_idle_for_thirty_minutes_is_signed_out(client, sign_in, make_user):
    sign_in(make_user("worker"))
    with client.session_transaction() as stored:
        stored["seen_at"] -= 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert client.get("/").status_code == 302


def test_activity_within_thirty_minutes_keeps_the_session(client, sign_in, make_user):
    sign_in(make_user("worker"))
    with client.session_transaction() as stored:
        stored["seen_at"] -= 29 * 60
    assert client.get("/").status_code == 200


def test_activity_moves_the_idle_clock_once_a_minute_not_on_every_request(client, sign_in, make_user):
    sign_in(make_user("worker"))
    client.get("/")  # the first page adds the CSRF token to the session
    assert "Set-Cookie" not in client.get("/").headers
    with client.session_transaction() as stored:
        stored["seen_at"] -= 61
        seen = stored["seen_at"]
    assert "Set-Cookie" in client.get("/").headers
    with client.session_transaction() as stored:
        assert stored["seen_at"] > seen + 60


def test_the_idle_limit_counts_from_the_clock_so_a_session_may_end_a_minute_early_never_late(client, sign_in,
                                                                                                make_user):
    sign_in(make_user("worker"))
    with client.session_transaction() as stored:
        stored["seen_at"] -= 30
        seen = stored["seen_at"]
    assert client.get("/").status_code == 200
    with client.session_transaction() as stored:
        assert stored["seen_at"] == seen
        stored["seen_at"] -= 29 * 60 + 45
    assert client.get("/").status_code == 302


def test_pages_need_a_signed_in_user(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in")


def test_after_sign_in_the_user_returns_to_the_page_they_asked_for(client, make_user):
    user = make_user("admin")
    response = client.post("/auth/sign-in?next=/admin/users/", data={"username": user.username, "password": PASSWORD})
    assert response.headers["Location"] == "/admin/users/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http:/evil"])
def test_sign_in_never_redirects_off_the_site(client, make_user, target):
    user = make_user("worker")
    response = client.post(f"/auth/sign-in?next={target}", data={"username": user.username, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_a_nul_character_in_the_sign_in_form_gets_400(client, units):
    assert post_sign_in(client, "worker\x00", "x").status_code == 400


