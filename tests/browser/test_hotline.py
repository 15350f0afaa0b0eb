"""A report received by hotline 111 goes at once to the commune where it happened (Decree 56/2017 art. 26.1):
recorded on a phone by the hotline, it waits for the commune's worker the moment it is sent."""
import re
from datetime import date, timedelta

from tests.browser import ARTIFACTS, sign_in
from tests.factories import pdf_text

PHONE = {"width": 360, "height": 740}
TAN_VIET = "10966"  # Xã Tân Việt, Huyện Bình Giang (app/units/data/hai_duong_2024.csv)


def test_the_hotline_records_a_child_in_danger_for_tan_viet_and_its_worker_sees_it_at_once(browser, live_server,
                                                                                          dialect):
    hotline_forwards_a_child_in_danger(browser, live_server, dialect)


def hotline_forwards_a_child_in_danger(browser, live_server, dialect):
    """The hotline records a child in danger for Tân Việt; its worker sees it at once. The case's reference and the
    worker's page."""
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
    hotline.check("#child_consent-3")  # the child is not there to be asked on the phone
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
    # The 12 hours run from receipt (art. 26.3); the initial assessment's local standard is days away.
    assert "Biện pháp khẩn cấp" in entries
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    return reference, worker


def test_a_hotline_report_of_a_child_in_danger_ends_in_the_leader_s_printed_isolation_decision(browser, live_server,
                                                                                               dialect):
    """Issue 15's journey: the hotline records a child in danger for Xã Tân Việt (art. 26.1); the commune worker
    sees it at once and proposes a temporary isolation; the commune leader decides it and prints Mẫu 07 (art. 32),
    which carries the national header, the decision's number, the child's name and the leader's title."""
    reference, worker = hotline_forwards_a_child_in_danger(browser, live_server, dialect)
    worker.goto(f"{live_server}/cases/{reference}")
    proposal = worker.locator("#step-propose_isolation")
    if not proposal.is_visible():
        worker.locator("details.step-block > summary", has_text="Đề xuất cách ly tạm thời").first.click()
    proposal.locator("[name='isolation-reason']").fill("Trẻ bị cha đánh và nhốt, không an toàn ở nhà.")
    proposal.locator("[name='isolation-place']").fill("Nhà bác ruột, thôn Tân Hưng")
    proposal.locator("[name='isolation-with_whom']").fill("Bác ruột Lường Văn Sơn")
    proposal.locator("[name='isolation-last_day']").fill((date.today() + timedelta(days=7)).isoformat())
    proposal.locator("button[type=submit]").click()
    worker.wait_for_selector(".flash--success")

    leader = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    sign_in(leader, live_server, "leader.tanviet")
    assert reference in leader.inner_text("#to-approve")
    leader.goto(f"{live_server}/cases/{reference}")
    leader.locator("#step-decide_isolation button[type=submit]").click()
    leader.wait_for_selector(".flash--success")
    link = leader.locator("a", has_text="Mẫu 07")
    assert link.count() == 1 and leader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    leader.screenshot(path=ARTIFACTS / f"{dialect}-hotline-3-decided.png", full_page=True)
    response = leader.context.request.get(live_server + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.body()).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert re.search(r"Số: \d+/QĐ-UBND", text) and "Lường Văn Tú" in text
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Hoàng Văn Nam" in text  # a vice-chairman
