"""Bad input is told, naming what is wrong, and what was typed stays in the form: nothing is cut silently."""
import re

import pytest
import sqlalchemy as sa

from app.cases.models import Case
from app.extensions import db
from tests.cases.test_pages import INTAKE
from tests.factories import make_case

LONG_NAME = ("Nguyễn Thị Minh Khai " * 18)[:344]


def cases() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case))


def error_of(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return found.group(1).strip() if found else ""


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_a_thirteen_digit_personal_id_is_told_as_such_and_kept(client, worker):
    page = client.post("/cases/new", data={**INTAKE, "id_number": "0012160123456"}).get_data(as_text=True)
    assert error_of(page, "id_number") == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert 'value="0012160123456"' in page
    assert cases() == 0


def test_a_name_past_its_limit_is_told_with_the_limit_and_kept_whole(client, worker):
    assert len(LONG_NAME) == 344
    page = client.post("/cases/new", data={**INTAKE, "full_name": LONG_NAME}).get_data(as_text=True)
    assert error_of(page, "full_name") == "Tối đa 200 ký tự."
    assert f'value="{LONG_NAME}"' in page
    assert cases() == 0


@pytest.mark.parametrize("role, address", [
    ("worker", "/cases/new"), ("worker", "/cases/"), ("worker", "/cases/{case}"), ("worker", "/cases/{case}/refer"),
    ("worker", "/children/{child}/edit"), ("worker", "/auth/password"), ("admin", "/admin/users/new"),
    ("admin", "/admin/users/{user}"), ("admin", "/admin/users/{user}/password"), ("admin", "/admin/holidays/"),
    ("province_officer", "/providers/"), ("supervisor", "/reports/statistics"), ("inspector", "/audit/"),
    ("supervisor", "/escalations/"), (None, "/auth/sign-in"), (None, "/auth/activate")])
def test_no_form_tells_the_browser_to_cut_what_is_typed(client, make_user, sign_in, role, address):
    worker = make_user("worker")
    case = make_case(worker)
    if role:
        sign_in(worker if role == "worker" else make_user(role))
    page = client.get(address.format(case=case.reference, child=case.child_id, user=worker.id))
    assert page.status_code == 200
    assert "maxlength" not in page.get_data(as_text=True)
