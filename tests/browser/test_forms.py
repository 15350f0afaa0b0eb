"""Forms in a real browser on a phone: what was typed or pasted is kept whole and what is wrong is said."""
from tests.browser.test_sign_in_flow import ARTIFACTS, browser, live_server, sign_in  # noqa: F401 (fixtures)

PHONE = {"width": 360, "height": 740}


def test_a_pasted_long_id_and_name_are_kept_and_told_on_a_phone(browser, live_server, dialect):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=PHONE)
    sign_in(page, live_server, "worker.camphuc")
    page.goto(f"{live_server}/cases/new")
    name = ("Nguyễn Thị Minh Khai " * 18)[:344]
    page.focus("#full_name")
    page.keyboard.insert_text(name)  # as a paste: the browser would cut it at a maxlength
    page.focus("#id_number")
    page.keyboard.insert_text("0012160123456")
    page.check("#sex-1")
    page.fill("#date_of_birth", "2016-05-06")
    page.select_option("#source", "hotline_111")
    page.fill("#description", "Hàng xóm báo trẻ bị bỏ đói.")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    page.screenshot(path=ARTIFACTS / f"{dialect}-forms-1-kept-and-told.png", full_page=True)

    assert page.input_value("#full_name") == name
    assert page.input_value("#id_number") == "0012160123456"
    assert page.inner_text("#full_name-error") == "Tối đa 200 ký tự."
    assert page.inner_text("#id_number-error") == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert "không khớp với năm sinh" not in page.inner_text("main")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click(".error-summary a[href='#id_number']")
    assert page.evaluate("document.activeElement.id") == "id_number"
