"""Units and people are chosen from lists grouped and searchable by name, never typed as codes; without a script
each list is a plain select that works."""
import re

import pytest

from app.extensions import db
from tests.factories import make_case

FILTER_SCRIPT = '<script src="/static/js/select-filter.js" defer></script>'


def select_of(page: str, name: str) -> str:
    return re.search(rf'<select[^>]* name="{name}"[^>]*>.*?</select>', page, re.S).group(0)


def group_of(select: str, code: str) -> str:
    """The label of the optgroup holding the option valued `code`."""
    before = select[:select.index(f'value="{code}"')]
    return re.findall(r'<optgroup label="([^"]+)">', before)[-1]


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_the_referral_destination_is_grouped_by_district_and_searchable(client, worker):
    case = make_case(worker)
    page = client.get(f"/cases/{case.reference}/refer").get_data(as_text=True)
    units = select_of(page, "to_unit")
    assert "data-filter=" in units and FILTER_SCRIPT in page
    assert group_of(units, "10966") == "Huyện Bình Giang" and group_of(units, "295") == "Huyện Cẩm Giàng"
    assert 'value="10933"' not in units  # the worker's own commune
    assert len(page.encode()) < 60_000


def test_no_page_with_a_picker_runs_inline_script(client, worker, make_user, sign_in):
    case = make_case(worker)
    pages = [client.get(f"/cases/{case.reference}/refer").get_data(as_text=True)]
    sign_in(make_user("admin"))
    pages.append(client.get("/admin/users/new").get_data(as_text=True))
    assert all(re.findall(r"<script(?![^>]* src=)", page) == [] for page in pages)


def test_an_admin_chooses_the_unit_among_those_of_their_subtree(client, make_user, sign_in):
    sign_in(make_user("admin", unit="295"))
    page = client.get("/admin/users/new").get_data(as_text=True)
    units = select_of(page, "unit")
    assert group_of(units, "10933") == "Huyện Cẩm Giàng" and "data-filter=" in units
    assert 'value="10966"' not in units and 'value="30"' not in units
    assert 'name="unit" type="text"' not in page


def test_a_unit_outside_the_admins_subtree_cannot_be_sent(client, make_user, sign_in):
    sign_in(make_user("admin", unit="295"))
    page = client.post("/admin/users/new", data={"username": "hoa.pham", "full_name": "Phạm Thị Hoa",
                                                 "role": "worker", "unit": "10966", "password": "sông Hồng chảy",
                                                 "confirm": "sông Hồng chảy"}).get_data(as_text=True)
    assert 'id="unit-error"' in page


def test_the_assigned_worker_is_chosen_among_the_communes_active_workers(client, worker, make_user):
    colleague = make_user("worker", full_name="Trần Thị Bình")
    gone = make_user("worker", full_name="Lý Văn Nghỉ")
    gone.active = False
    elsewhere = make_user("worker", unit="10966", full_name="Đỗ Văn Xa")
    db.session.commit()
    case = make_case(worker)
    workers = select_of(client.get(f"/cases/{case.reference}").get_data(as_text=True), "assigned_worker")
    assert f'<option selected value="{worker.username}">' in workers
    assert colleague.username in workers
    assert gone.username not in workers and elsewhere.username not in workers

    client.post(f"/cases/{case.reference}/edit", data={"version": case.version, "description": case.description,
                                                       "categories": case.categories,
                                                       "assigned_worker": colleague.username})
    db.session.refresh(case)
    assert case.assigned_worker == colleague
