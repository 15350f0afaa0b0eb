"""A report received by hotline 111 goes at once to the commune where it happened (Decree 56/2017 art. 26.1):
recorded on a phone by the hotline, it waits for the commune's worker the moment it is sent."""
import re
from datetime import date

from tests.browser import ARTIFACTS, sign_in

PHONE = {"width": 360, "height": 740}
TAN_VIET = "10966"  # Xã Tân Việt, Huyện Bình Giang (app/units/data/hai_duong_2024.csv)


def test_the_hotline_records_a_child_in_danger_for_tan_viet_and_its_worker_sees_it_at_once(browser, live_server,
                                                                                          dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hotline = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    sign_in(hotline, live_server, "hotline.haiduong")
    hotline.click("text=Ghi nhận tin báo")
    hotline.select_option("#unit", TAN_VIET)
    hotline.fill("#full_name", "Lường Văn Tú")
    hotline.check("#sex-0")
    hotline.fill("#date_of_birth", f"{date.today().year - 8}-05-20")
    hotline.select_option("#source", "hotline_111")
    hotline.check("input[name=categories][value=violence]")
    hotline.fill("#description", "Người gọi 111 báo trẻ bị đánh, đang bị nhốt trong nhà kho.")
    hotline.check("#immediate_danger")
    hotline.check("#harm_status-0")
    hotline.check("#child_consent-1")  # the child could not say yes on the phone
    hotline.check("#carer_consent-2")  # no carer could be asked
    hotline.select_option("#data_ground", "protect_life")
    assert hotline.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    hotline.click("#intake button[type=submit]")
    hotline.wait_for_selector(".received-list")
    hotline.screenshot(path=ARTIFACTS / f"{dialect}-hotline-1-sent.png", full_page=True)
    told = hotline.inner_text("main")
    reference = re.search(r"Đã ghi nhận tin báo (\S+) và chuyển cho Xã Tân Việt", told).group(1)
    assert "Xã đã nhận, đang chờ xử lý" in told
    assert hotline.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    worker = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    sign_in(worker, live_server, "worker.tanviet")
    worker.goto(f"{live_server}/notifications/")
    worker.screenshot(path=ARTIFACTS / f"{dialect}-hotline-2-waiting-for-the-worker.png", full_page=True)
    assert "Việc chờ bạn" in worker.inner_text("main")
    entries = " / ".join(worker.locator(".waiting-list li", has_text=reference).all_inner_texts())
    assert "Biện pháp khẩn cấp" in entries and "Đánh giá ban đầu" in entries  # the clocks run from receipt
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
