import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.access import Role
from app.extensions import db
from app.i18n import display_date, display_datetime

APP_DIR = Path(__file__).resolve().parents[2] / "app"
HOME_HEADINGS = {
    Role.WORKER: ("My work", "Công việc của tôi"),
    Role.COMMUNE_LEADER: ("To approve", None),
    Role.SUPERVISOR: ("District board", None),
    Role.PROVINCE_OFFICER: ("Province board", None),
    Role.INSPECTOR: ("Inspection", None),
    Role.ADMIN: ("Administration", None),
    Role.INTAKE: ("Report intake", "Tiếp nhận tin báo"),
    Role.COLLABORATOR: ("Children in your village", None),
    # The department's own name (tests/factories.py gives a department officer the health department).
    Role.DEPARTMENT_OFFICER: ("Sở Y tế", None),
}


def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_home_page(client, make_user, sign_in, role):
    sign_in(make_user(role))
    english(client)
    page = client.get("/").get_data(as_text=True)
    assert f"<h1>{HOME_HEADINGS[role][0]}</h1>" in page


MENUS = {
    Role.WORKER: ["Home", "Cases", "Register of children", "Referrals", "Escalations", "Waiting for you",
                  "Care facilities", "Statistics", "Periodic reports"],
    Role.INSPECTOR: ["Home", "Cases", "Register of children", "Referrals", "Escalations", "Waiting for you",
                     "Care facilities", "Statistics", "Periodic reports", "Audit trail"],
    Role.ADMIN: ["Home", "Waiting for you", "Providers", "Reorganisation", "Accounts", "Holidays",
                 "Service standards"],
    Role.INTAKE: ["Home", "Reports you recorded", "Waiting for you"],
    # A department's officer writes its reports and reads nothing of cases or the register.
    Role.DEPARTMENT_OFFICER: ["Home", "Waiting for you", "Periodic reports"],
}


@pytest.mark.parametrize("role", list(MENUS))
def test_the_menu_offers_each_role_the_pages_it_may_open(client, make_user, sign_in, role):
    sign_in(make_user(role))
    english(client)
    page = client.get("/").get_data(as_text=True)
    start = page.index('<nav class="bar nav"')
    menu = page[start:page.index("</nav>", start)]
    assert [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)", menu)] == MENUS[role]


def test_the_menu_is_in_the_reader_s_language(client, make_user, sign_in):
    sign_in(make_user("worker"))
    vietnamese = client.get("/").get_data(as_text=True)
    english(client)
    assert ">Hồ sơ</a>" in vietnamese and ">Cases</a>" in client.get("/").get_data(as_text=True)


def test_the_interface_is_vietnamese_by_default(client, units):
    page = client.get("/auth/sign-in").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng nhập" in page


def test_the_language_switch_changes_the_page_language(client, units):
    response = client.post("/language", data={"locale": "en", "next": "/auth/sign-in"})
    assert response.headers["Location"] == "/auth/sign-in"
    assert '<html lang="en">' in client.get("/auth/sign-in").get_data(as_text=True)


def test_the_chosen_language_is_remembered_on_the_account(app, client, make_user, sign_in):
    user = sign_in(make_user("worker"))
    english(client)
    db.session.refresh(user)
    assert user.locale == "en"
    elsewhere = app.test_client()
    elsewhere.post("/auth/sign-in", data={"username": user.username, "password": "correct horse battery"})
    assert '<html lang="en">' in elsewhere.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client, units):
    client.post("/language", data={"locale": "fr"})
    assert '<html lang="vi">' in client.get("/auth/sign-in").get_data(as_text=True)


def test_dates_read_day_month_year(app):
    assert display_date(datetime(2024, 3, 9).date()) == "09/03/2024"


def test_times_are_shown_in_vietnam_time(app):
    with app.test_request_context():
        assert display_datetime(datetime(2024, 3, 9, 17, 30, tzinfo=timezone.utc)) == "10/03/2024 00:30"


@pytest.mark.parametrize("locale, text", [("vi", "Không tìm thấy"), ("en", "Not found")])
def test_the_404_page_speaks_the_readers_language(client, units, locale, text):
    client.post("/language", data={"locale": locale})
    response = client.get("/no-such-page")
    assert response.status_code == 404 and text in response.get_data(as_text=True)


def test_the_403_page_says_why_and_what_to_do(client, make_user, sign_in):
    sign_in(make_user("worker"))
    english(client)
    response = client.get("/admin/users/")
    assert response.status_code == 403 and "Ask your supervisor" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_the_500_page(client, make_user, sign_in, monkeypatch):
    sign_in(make_user("worker"))
    english(client)

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("app.main.views.render_template", crash)
    response = client.get("/")
    assert response.status_code == 500 and "Nothing was saved" in response.get_data(as_text=True)


def test_an_expired_form_gets_a_400_page_in_english_too(app, client, units):
    english(client)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/auth/sign-in", data={"username": "x", "password": "y"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400 and "reload the page" in response.get_data(as_text=True)


def test_the_layout_fits_a_phone(client, units):
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in client.get("/auth/sign-in").get_data(
        as_text=True)


def test_every_form_field_has_a_label(client, make_user, sign_in):
    sign_in(make_user("admin"))
    page = client.get("/admin/users/new").get_data(as_text=True)
    fields = [tag for tag in re.findall(r"<(?:input|select)[^>]*>", page)
              if not re.search(r'type="(hidden|submit)"', tag)]
    ids = {re.search(r'\bid="([^"]+)"', tag).group(1) for tag in fields}
    labels = set(re.findall(r'<label for="([^"]+)"', page))
    assert ids and ids <= labels


def test_static_files_are_served_from_the_app(client, units):
    assert client.get("/static/css/app.css").status_code == 200


def test_no_template_loads_anything_from_another_site():
    for template in APP_DIR.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), template


def test_the_language_chosen_before_signing_in_is_kept(client, make_user):
    user = make_user("worker")
    client.post("/language", data={"locale": "en"})
    client.post("/auth/sign-in", data={"username": user.username, "password": "correct horse battery"})
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.locale == "en"


def test_the_sign_in_prompt_is_in_vietnamese(client, units):
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Please sign in" not in page and "Please log in" not in page


def test_a_nul_in_the_query_string_gets_400(client, units):
    assert client.get("/auth/sign-in?next=%00").status_code == 400
