"""Long forms guide: required fields are marked, and a form sent back with errors opens with a summary that
links to each field at fault (the GOV.UK error summary)."""
import re

import pytest

from tests.cases.test_pages import INTAKE
from tests.factories import make_case


def summary_links(page: str) -> list[str]:
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    return re.findall(r'<a href="#([^"]+)">', found.group(0)) if found else []


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_the_summary_comes_first_and_links_to_each_field_at_fault(client, worker):
    page = client.post("/cases/new", data={**INTAKE, "full_name": "", "sex": "", "description": "",
                                           "id_number": "123"}).get_data(as_text=True)
    # The name may be unknown (Mẫu 01): its absence is the service's to judge, once the form itself is right.
    assert summary_links(page) == ["sex-0", "id_number", "description"]
    assert page.index('class="error-summary"') < page.index('id="full_name"')
    for target in summary_links(page):
        assert f'id="{target}"' in page


def test_errors_a_service_finds_are_in_the_summary_too(client, worker):
    page = client.post("/cases/new", data={**INTAKE, "date_of_birth": "2030-01-01"}).get_data(as_text=True)
    assert set(summary_links(page)) == {"date_of_birth"}


def test_errors_inside_a_list_of_rows_link_to_their_row(client, worker):
    page = client.post("/cases/new", data={**INTAKE, "carers-0-name": "Lê Văn Bố" * 30}).get_data(as_text=True)
    assert summary_links(page) == ["carers-0-name"]


def test_required_fields_are_marked_and_optional_ones_are_not(client, worker):
    page = client.get("/cases/new").get_data(as_text=True)
    marked = r' <span class="required" aria-hidden="true">\(bắt buộc\)</span></label>'
    assert re.search(r'<label for="description">[^<]*' + marked, page)
    assert re.search(r'<label>Giới tính' + marked, page)
    # Mẫu 01 takes a child whose name the reporter does not know: described instead.
    assert not re.search(r'<label for="full_name">[^<]*' + marked, page)
    assert not re.search(r'<label for="other_names">[^<]*' + marked, page)


def test_a_form_that_was_not_sent_has_no_summary(client, worker):
    assert summary_links(client.get("/cases/new").get_data(as_text=True)) == []


@pytest.mark.parametrize("role, address, data", [
    (None, "/auth/sign-in", {}),
    ("worker", "/auth/password", {}),
    ("worker", "/children/{child}/edit", {"full_name": ""}),
    ("worker", "/cases/{case}/refer", {}),
    ("worker", "/cases/{case}/log", {"kind": "visit"}),
    ("admin", "/admin/users/new", {}),
    ("admin", "/admin/users/{user}", {"role": "worker", "unit": ""}),
    (None, "/auth/activate", {}),
    ("admin", "/admin/holidays/", {}),
    ("province_officer", "/providers/", {}),
])
def test_every_form_page_sent_with_errors_opens_with_the_summary(client, make_user, sign_in, role, address, data):
    worker = make_user("worker")
    case = make_case(worker)
    if role:
        sign_in(worker if role == "worker" else make_user(role))
    page = client.post(address.format(case=case.reference, child=case.child_id, user=worker.id), data=data)
    assert page.status_code in (200, 422)
    assert summary_links(page.get_data(as_text=True)) != []


@pytest.mark.parametrize("role, address", [
    ("supervisor", "/reports/statistics?kind=dates&start=x"),
    ("inspector", "/audit/?since=x"),
    ("worker", "/cases/?received_from=x"),
])
def test_a_search_with_a_bad_value_opens_with_the_summary(client, make_user, sign_in, role, address):
    sign_in(make_user(role))
    assert summary_links(client.get(address).get_data(as_text=True)) != []


def test_the_summary_follows_the_order_of_the_page(client, make_user, sign_in):
    sign_in(make_user("admin"))
    page = client.post("/admin/users/new", data={}).get_data(as_text=True)
    assert summary_links(page) == ["username", "full_name", "role", "unit"]
