"""Forms in a real browser on a phone: what was typed or pasted is kept whole and what is wrong is said."""
from app.text import fold
from tests.browser import ARTIFACTS, sign_in

PHONE = {"width": 360, "height": 740}


def test_a_pasted_long_id_and_name_are_kept_and_told_on_a_phone(browser, live_server, dialect):
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


def _a_case_of_cam_phuc(page, live_server):
    page.goto(f"{live_server}/cases/")
    return page.locator("table a[href^='/cases/']").first.get_attribute("href")


def test_the_referral_destination_is_found_by_typing_its_name_without_accents(browser, live_server,
                                                                                  dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=PHONE)
    sign_in(page, live_server, "worker.camphuc")
    page.goto(f"{live_server}{_a_case_of_cam_phuc(page, live_server)}/refer")
    everything = page.locator("#to_unit option").count()
    assert everything > 200

    page.fill("#to_unit-filter", "tan viet")
    assert page.locator("#to_unit option:not([value=''])").count() == 2  # one in Thanh Hà, one in Bình Giang
    page.fill("#to_unit-filter", "tan viet binh giang")
    assert page.locator("#to_unit option:not([value=''])").all_inner_texts() == ["Xã Tân Việt (10966)"]
    assert page.locator("#to_unit optgroup").evaluate_all("groups => groups.map(g => g.label)") == ["Huyện Bình Giang"]
    assert page.inner_text("#to_unit-filter-found") == "Tìm thấy 1"
    page.select_option("#to_unit", "10966")
    page.screenshot(path=ARTIFACTS / f"{dialect}-forms-2-unit-found.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.fill("#to_unit-filter", "dong")  # Đồng, Đông: đ is d, as in app/text.py fold
    names = page.locator("#to_unit option:not([value=''])").all_inner_texts()
    assert all("dong" in fold(name) for name in names) and any("Đồng" in name for name in names)
    page.fill("#to_unit-filter", "")
    assert page.locator("#to_unit option").count() == everything


def test_without_scripts_the_referral_destination_is_a_plain_select_that_works(browser, live_server,
                                                                               dialect):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "worker.camphuc")
    page.goto(f"{live_server}{_a_case_of_cam_phuc(page, live_server)}/refer")
    assert page.locator("#to_unit-filter").count() == 0
    page.select_option("#to_unit", "10966")
    page.fill("#reason", "Gia đình chuyển về Tân Việt; cần theo dõi tiếp.")
    page.check("input[name=consent][value=child_and_carer]")
    page.click("#refer button:has-text('Gửi chuyển tuyến')")
    page.wait_for_selector(".flash--success")
    assert "Xã Tân Việt" in page.inner_text("main")
    context.close()
