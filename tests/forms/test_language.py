"""Every message of a form, WTForms' own included, is in the reader's language; a page that was not submitted
shows no errors."""
from pathlib import Path

import pytest
import wtforms
from babel.messages.extract import extract_from_dir

from tests.main.test_translations import vietnamese_catalog


def wtforms_messages() -> list[str]:
    """The messages WTForms itself can show, read from the installed package (singulars and plurals)."""
    found = extract_from_dir(Path(wtforms.__file__).parent, method_map=[("**.py", "python")],
                             keywords={"gettext": None, "ngettext": (1, 2)})
    return sorted({form for _file, _line, message, _comments, _context in found
                   for form in (message if isinstance(message, tuple) else (message,))})


def english_on(page: str) -> list[str]:
    return [message for message in wtforms_messages() if message.split("%")[0].strip() in page]


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_every_message_of_wtforms_has_its_vietnamese():
    catalog = vietnamese_catalog()
    ids = {message.id if isinstance(message.id, str) else message.id[0]: message for message in catalog}
    plurals = {message.id[1] for message in catalog if isinstance(message.id, tuple)}
    missing = [text for text in wtforms_messages() if text not in plurals
               and (text not in ids or not ids[text].string or ids[text].fuzzy)]
    assert missing == []


def test_a_required_field_left_empty_on_the_intake_form_is_told_in_vietnamese(client, worker):
    page = client.post("/cases/new", data={}).get_data(as_text=True)
    assert "Trường này là bắt buộc." in page
    assert english_on(page) == []


def test_a_new_account_left_empty_is_told_in_vietnamese(client, make_user, sign_in):
    sign_in(make_user("admin"))
    page = client.post("/admin/users/new", data={}).get_data(as_text=True)
    assert "Trường này là bắt buộc." in page
    assert english_on(page) == []


def test_a_bad_date_is_told_in_vietnamese(client, make_user, sign_in):
    sign_in(make_user("supervisor"))
    page = client.get("/reports/statistics?kind=dates&start=tomorrow&end=2024-12-31").get_data(as_text=True)
    assert "Ngày không hợp lệ." in page
    assert english_on(page) == []


@pytest.mark.parametrize("role, address", [("supervisor", "/reports/statistics"), ("inspector", "/audit/"),
                                           ("worker", "/cases/")])
def test_a_page_opened_without_a_question_shows_no_error(client, make_user, sign_in, role, address):
    sign_in(make_user(role))
    page = client.get(address).get_data(as_text=True)
    assert 'class="error"' not in page and "error-summary" not in page
    assert "Trường này là bắt buộc." not in page and english_on(page) == []


def test_the_intake_heads_the_child_section_as_such_and_not_as_a_source_of_reports(client, worker):
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Phần 1/4: Thông tin của trẻ</legend>" in page
    assert '<option value="child">Trẻ em tự thông báo</option>' in page
