"""An inspector on a phone plans and records an inspection of a care facility with a correction (issue 19, point 6)."""
from datetime import timedelta

from app.facilities.checklist import CHECKLIST
from app.facilities.services import today as local_today
from tests.browser import ARTIFACTS, sign_in

PHONE = {"width": 360, "height": 740}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_inspector_records_an_inspection_with_a_correction_on_a_phone(browser, live_server, dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    today = local_today()
    page = browser.new_page(viewport=PHONE)
    sign_in(page, live_server, "inspector.haiduong")
    page.goto(f"{live_server}/facilities/")
    page.click("text=Mái ấm chùa Phúc Lâm")
    page.fill("#inspected_on", today.isoformat())
    page.fill("#team", "Ông Đỗ Quang Huy (trưởng đoàn), bà Lê Thị Nga")
    assert fits(page)
    page.click("#plan button[type=submit], form[action$='/inspections'] button[type=submit]")
    page.wait_for_selector("text=Ghi kết quả kiểm tra")
    for key in CHECKLIST:
        page.check(f"input[name='checklist-{key}'][value='{'not_met' if key == 'premises' else 'met'}']")
    page.fill("#violations", "Bếp ăn xuống cấp, không bảo đảm vệ sinh.")
    page.fill("#corrections-0-what", "Sửa chữa bếp ăn, báo cáo bằng văn bản")
    page.fill("#corrections-0-due_on", (today + timedelta(days=30)).isoformat())
    assert fits(page)
    page.screenshot(path=ARTIFACTS / f"{dialect}-facility-inspection-1-form.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".flash--success")
    corrections = page.inner_text("#open-corrections + ul")
    assert "Sửa chữa bếp ăn, báo cáo bằng văn bản" in corrections
    assert "1 tiêu chí không đạt" in page.inner_text("#inspections + ul")
    assert fits(page)
    page.screenshot(path=ARTIFACTS / f"{dialect}-facility-inspection-2-recorded.png", full_page=True)
