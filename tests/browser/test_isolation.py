"""Temporary isolation on a phone (Decree 56/2017 arts. 26.3 and 32): a report of a child in danger, the worker's
proposal, the commune leader's decision, which names them."""
from datetime import timedelta

from app.deadlines.services import local_zone
from app.orm import utcnow
from tests.browser import ARTIFACTS, sign_in

PHONE = {"width": 360, "height": 740}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_child_in_danger_the_worker_proposes_an_isolation_and_the_leader_decides_it(browser, live_server, dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    today = utcnow().astimezone(local_zone()).date()
    worker = browser.new_page(viewport=PHONE)
    sign_in(worker, live_server, "worker.camphuc")
    worker.goto(f"{live_server}/cases/new")
    worker.fill("#full_name", "Đỗ Văn Bình")
    worker.check("#sex-0")
    worker.fill("#date_of_birth", "2015-03-04")
    worker.select_option("#source", "hotline_111")
    worker.check("input[name=categories][value=violence]")
    worker.fill("#description", "Hàng xóm báo cha đánh trẻ chảy máu đầu, trẻ đang ở nhà với cha.")
    worker.check("#immediate_danger")
    worker.check("#harm_status-0")  # abused
    worker.check("#child_consent-0")
    worker.check("#carer_consent-0")
    worker.click("main form button[type=submit]")
    worker.wait_for_selector("#step-propose_isolation", state="attached")
    reference = worker.url.split("/cases/")[1].split("#")[0]

    proposal = worker.locator("#step-propose_isolation")
    if not proposal.is_visible():
        worker.locator("details.step-block > summary", has_text="Đề xuất cách ly tạm thời").first.click()
    proposal.locator("[name='isolation-reason']").fill("Cha đánh trẻ nhiều lần, trẻ không an toàn ở nhà.")
    proposal.locator("[name='isolation-place']").fill("Nhà bà ngoại, thôn Đông")
    proposal.locator("[name='isolation-with_whom']").fill("Bà ngoại Trần Thị Mơ")
    proposal.locator("[name='isolation-last_day']").fill((today + timedelta(days=5)).isoformat())
    assert fits(worker)
    worker.screenshot(path=ARTIFACTS / f"{dialect}-isolation-1-proposed.png", full_page=True)
    proposal.locator("button[type=submit]").click()
    worker.wait_for_selector(".flash--success")
    assert "Đã đề xuất" in worker.inner_text("#assessments")

    leader = browser.new_page(viewport=PHONE)
    sign_in(leader, live_server, "leader.camphuc")
    assert reference in leader.inner_text("#to-approve")
    leader.goto(f"{live_server}/cases/{reference}")
    decision = leader.locator("#step-decide_isolation")
    assert "Nhà bà ngoại, thôn Đông" in decision.inner_text() and "Bà ngoại Trần Thị Mơ" in decision.inner_text()
    assert fits(leader)
    decision.locator("button[type=submit]").click()
    leader.wait_for_selector(".flash--success")
    leader.screenshot(path=ARTIFACTS / f"{dialect}-isolation-2-decided.png", full_page=True)
    assert "Do Trần Văn Hùng quyết định lúc" in leader.inner_text("#assessments")
    leader.goto(f"{live_server}/")
    assert reference not in leader.inner_text("#to-approve")
    assert fits(leader)
