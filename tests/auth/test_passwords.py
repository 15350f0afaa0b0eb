import pytest

from app.auth.passwords import password_problems
from app.extensions import db
from tests.factories import PASSWORD, unit


def change(client, old, new, confirm=None):
    return client.post("/auth/password", data={"old_password": old, "new_password": new,
                                                "confirm": confirm if confirm is not None else new})


@pytest.mark.parametrize("password", ["short1!", "123456789", "password123", "matkhau123", "Qwertyuiop"])
def test_short_or_common_passwords_are_refused(app, password):
    assert password_problems(password)


def test_a_password_may_not_contain_the_username(app):
    assert password_problems("lan.nguyen-2024!", "lan.nguyen")


def test_a_long_uncommon_password_is_accepted(app):
    assert password_problems("sông Hồng chảy về biển") == []


def test_a_user_changes_their_password_with_the_old_one(client, sign_in, make_user):
    user = sign_in(make_user("worker"))
    assert change(client, PASSWORD, "a brand new passphrase").status_code == 302
    client.post("/auth/sign-out")
    response = client.post("/auth/sign-in", data={"username": user.username, "password": "a brand new passphrase"})
    assert response.status_code == 302


def test_changing_the_password_needs_the_old_one(client, sign_in, make_user):
    user = sign_in(make_user("worker"))
    old_hash = user.password_hash
    assert change(client, "not the old one", "a brand new passphrase").status_code == 200
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_a_common_new_password_is_refused_and_nothing_changes(client, sign_in, make_user):
    user = sign_in(make_user("worker"))
    old_hash = user.password_hash
    assert change(client, PASSWORD, "1234567890").status_code == 200
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_changing_the_password_signs_out_other_sessions(app, client, sign_in, make_user):
    user = sign_in(make_user("worker"))
    other_device = app.test_client()
    other_device.post("/auth/sign-in", data={"username": user.username, "password": PASSWORD})
    change(client, PASSWORD, "a brand new passphrase")
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_a_form_posted_without_its_csrf_token_is_refused_with_400(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/auth/sign-in", data={"username": "x", "password": "y"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "reload the page" in response.get_data(as_text=True) or "tải lại" in response.get_data(as_text=True)


def test_wrong_current_passwords_count_as_failed_sign_ins_from_here_and_end_the_session(client, sign_in,
                                                                                          make_user):
    """The session's address is one the account signed in from: the next sign-in from it must wait."""
    user = sign_in(make_user("worker"))
    for _ in range(4):
        assert change(client, "a wrong guess!!", "a brand new passphrase").status_code == 200
    response = change(client, "a wrong guess!!", "a brand new passphrase")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert client.get("/").status_code == 302
    again = client.post("/auth/sign-in", data={"username": user.username, "password": PASSWORD})
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0


def test_changing_ones_password_revokes_ones_api_tokens(client, sign_in, make_user):
    user = sign_in(make_user("worker"))
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]
    change(client, PASSWORD, "a brand new passphrase")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


TOO_COMMON = "Mật khẩu này quá phổ biến; hãy chọn mật khẩu khó đoán hơn."
NAMES_THE_SYSTEM = "Mật khẩu không được chứa tên của hệ thống này."
NAMES_THE_UNIT = "Mật khẩu không được chứa tên đơn vị của bạn."


@pytest.mark.parametrize("password", ["matkhau2024", "Mật khẩu 2024", "MatKhau@2024!", "mk@1234567", "abc@123456",
                                      "Abc@12345678", "Password!2024", "qwerty@2024", "x9876543210"])
def test_a_weak_word_with_digits_and_signs_is_refused(app, password):
    assert password_problems(password) == [TOO_COMMON]


@pytest.mark.parametrize("password", ["baovetreem2024", "Bảo vệ trẻ em 2024!", "Child-Protection-2024",
                                      "toi bao ve tre em"])
def test_the_name_of_the_system_is_refused(app, password):
    assert password_problems(password) == [NAMES_THE_SYSTEM]


@pytest.mark.parametrize("password", ["camphuc@2024!", "Xã Cẩm Phúc 2024", "Cẩm Giàng quê tôi", "HaiDuong#Lotus77"])
def test_the_names_of_the_persons_unit_and_those_above_it_are_refused(app, units, password):
    assert password_problems(password, "lan", unit("10933")) == [NAMES_THE_UNIT]


def test_a_passphrase_of_ones_own_is_still_accepted(app, units):
    assert password_problems("sông Hồng chảy về biển", "lan", unit("10933")) == []


def test_a_worker_cannot_choose_the_name_of_their_commune(client, sign_in, make_user):
    sign_in(make_user("worker"))
    page = change(client, PASSWORD, "Cẩm Phúc quê tôi 2024").get_data(as_text=True)
    assert NAMES_THE_UNIT in page
