"""Intake on a phone (issue 15): the worker answers Mẫu 01's new questions and the consent, and is told plainly
when the person is 16 or older (Law on Children art. 1)."""
from datetime import date

from tests.browser import ARTIFACTS, sign_in

PHONE = {"width": 360, "height": 740}


def _the_child(page, name: str, born: str) -> None:
    page.fill("#full_name", name)
    page.check("#sex-1")
    page.fill("#date_of_birth", born)
    page.select_option("#source", "school")
    page.check("input[name=categories][value=neglect]")
    page.fill("#description", "Nhà trường báo trẻ nghỉ học nhiều ngày, ở nhà một mình, thường xuyên đói.")


def test_a_worker_fills_mau_01_s_new_fields_and_the_consent_on_a_phone(browser, live_server, dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=PHONE)
    sign_in(page, live_server, "worker.camphuc")
    page.goto(f"{live_server}/cases/new")
    _the_child(page, "Đoàn Thị Nhung", f"{date.today().year - 10}-03-14")
    page.fill("#carers-0-name", "Đoàn Văn Lực")
    page.fill("#carers-0-relationship", "Bố")
    page.fill("#carers-0-age", "43")
    page.fill("#carers-0-occupation", "Lái xe")
    page.check("#harm_status-1")  # at risk of abuse
    page.fill("#harm_foreseen", "Trẻ có thể bỏ học và bị suy dinh dưỡng.")
    page.fill("#reporter_name", "Cô giáo chủ nhiệm")
    page.fill("#reporter_contact", "0912 000 111")
    page.check("#reporter_may_be_named")
    page.check("#child_consent-0")  # the child agreed
    page.check("#carer_consent-1")  # the carer did not
    page.select_option("#data_ground", "legal_duty")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=ARTIFACTS / f"{dialect}-intake-1-filled.png", full_page=True)
    page.click("#intake button[type=submit]")
    page.wait_for_selector("h1 .status-badge")
    page.screenshot(path=ARTIFACTS / f"{dialect}-intake-2-opened.png", full_page=True)

    page.click("#report summary")
    report = page.inner_text("#report")
    for words in ("Có nguy cơ bị xâm hại", "Trẻ có thể bỏ học", "0912 000 111", "Trẻ đồng ý",
                  "Người chăm sóc không đồng ý", "Thực hiện nhiệm vụ theo luật định"):
        assert words in report, words
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_worker_is_told_on_a_phone_that_a_person_of_16_is_not_a_child(browser, live_server, dialect):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, live_server, "worker.camphuc")
    page.goto(f"{live_server}/cases/new")
    _the_child(page, "Đoàn Văn Mạnh", f"{date.today().year - 17}-01-02")
    page.check("#harm_status-0")
    page.check("#child_consent-0")
    page.check("#carer_consent-0")
    page.click("#intake button[type=submit]")
    page.wait_for_selector("#date_of_birth-error")
    page.screenshot(path=ARTIFACTS / f"{dialect}-intake-3-aged-16-or-over.png", full_page=True)
    told = page.inner_text("#date_of_birth-error")
    assert "Điều 1 Luật Trẻ em 2016" in told and "công an xã" in told and "Đoàn Thanh niên" in told
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
