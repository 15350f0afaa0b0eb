"""The review on Mẫu 06 and the closure after it, on a phone (Decree 56/2017 art. 30)."""
from tests.browser import ARTIFACTS, sign_in

PHONE = {"width": 360, "height": 740}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_worker_records_a_review_on_mau_06_and_the_leader_approves_the_closure_on_a_phone(browser, live_server,
                                                                                                dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    worker = browser.new_context(viewport=PHONE).new_page()
    sign_in(worker, live_server, "worker.camphuc")
    worker.goto(f"{live_server}/cases/?status=in_progress&unit=10933")
    case_url = live_server + worker.locator("table a[href^='/cases/']").first.get_attribute("href")
    worker.goto(case_url)

    # Closing before the review is refused, saying what is missing.
    closure = worker.locator("#step-propose_closure")
    closure.locator("xpath=ancestor::details[1]").evaluate("details => details.open = true")
    closure.locator("#reason").select_option("safe_stable")
    closure.locator("button[type=submit]").click()
    worker.wait_for_selector("#step-propose_closure .step-failure")
    assert "chưa có bản rà soát, đánh giá theo các tiêu chí của Mẫu 06" in worker.inner_text(
        "#step-propose_closure .step-failure")
    assert fits(worker)

    # The review: each question shows its good answer first, marked so.
    review = worker.locator("#step-review")
    review.locator("xpath=ancestor::details[1]").evaluate("details => details.open = true")
    assert review.locator("label[for=harm-0]").inner_text() == "Không còn (tốt)"
    assert review.locator("label[for=self_protection-0]").inner_text() == "Tốt (tốt)"
    for criterion in ("harm", "abuser_access", "care_obstacles", "self_protection"):
        review.locator(f"#{criterion}-0").check()
    review.locator("#care_obstacles_note").fill("Bà ngoại chăm sóc trẻ hằng ngày.")
    review.locator("#note").fill("Trẻ an toàn, đi học đều.")
    worker.screenshot(path=ARTIFACTS / f"{dialect}-review-1-form.png", full_page=True)
    assert fits(worker)
    review.locator("button[type=submit]").click()
    worker.wait_for_selector(".flash--success")
    assert "Bà ngoại chăm sóc trẻ hằng ngày." in worker.text_content("#plan")

    closure = worker.locator("#step-propose_closure")
    closure.locator("xpath=ancestor::details[1]").evaluate("details => details.open = true")
    closure.locator("#reason").select_option("safe_stable")
    closure.locator("button[type=submit]").click()
    worker.wait_for_selector(".flash--success")

    leader = browser.new_context(viewport=PHONE).new_page()
    sign_in(leader, live_server, "leader.camphuc")
    leader.goto(case_url)
    assert "Đã đề nghị đóng hồ sơ: Trẻ đã an toàn và ổn định." in leader.inner_text("main")
    leader.click("#step-approve_closure button[type=submit]")
    leader.wait_for_selector(".flash--success")
    leader.screenshot(path=ARTIFACTS / f"{dialect}-review-2-closed.png", full_page=True)
    assert "Đã đóng hồ sơ" in leader.inner_text("main")
    assert "Đã phê duyệt đóng hồ sơ (Trẻ đã an toàn và ổn định): hồ sơ đã đóng." in leader.inner_text("#timeline")
    assert fits(leader)
