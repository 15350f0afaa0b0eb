"""Whole journeys in a real browser, on a phone-sized screen."""
import pytest

from app.demo.cli import DEMO_PASSWORD
from tests.browser import ARTIFACTS, sign_in

pytestmark = pytest.mark.browser


def test_a_worker_signs_in_switches_language_and_signs_out(browser, live_server, dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{live_server}/")

    page.get_by_label("Tên đăng nhập").fill("worker.camphuc")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.screenshot(path=ARTIFACTS / f"{dialect}-1-sign-in.png", full_page=True)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector("h1:has-text('Công việc của tôi')")
    assert "Xã Cẩm Phúc" in page.content()
    page.screenshot(path=ARTIFACTS / f"{dialect}-2-home-vi.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("h1:has-text('My work')")
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=ARTIFACTS / f"{dialect}-3-home-en.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("text=You have signed out.")
    assert page.url.endswith("/auth/sign-in")
    page.screenshot(path=ARTIFACTS / f"{dialect}-4-signed-out.png", full_page=True)

    page.goto(f"{live_server}/")
    assert "/auth/sign-in" in page.url


def test_a_hotline_report_goes_from_intake_to_an_approved_plan(browser, live_server, dialect):
    """The worker takes a hotline 111 report, assesses the child and submits a plan; the leader approves it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone = {"width": 360, "height": 740}
    page = browser.new_page(viewport=phone)
    sign_in(page, live_server, "worker.camphuc")
    page.goto(f"{live_server}/cases/new")
    page.fill("#full_name", "Phạm Thị Thu")
    page.check("#sex-1")
    page.fill("#date_of_birth", "2014-05-06")
    page.select_option("#source", "hotline_111")
    page.check("input[name=categories][value=violence]")
    page.fill("#description", "Tổng đài 111 chuyển tin: trẻ bị bố đánh, có vết bầm.")
    page.check("#immediate_danger")
    page.check("#harm_status-0")
    page.check("#child_consent-0")
    page.check("#carer_consent-0")
    page.screenshot(path=ARTIFACTS / f"{dialect}-case-1-intake.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1 .status-badge")
    reference = page.locator("h1").inner_text().split()[0]
    assert "Phạm Thị Thu" in page.content()

    # The child is in danger: the emergency measures' 12-hour form comes first, open; then the assessment.
    page.fill("#step-emergency [name=description]", "Đưa trẻ đến nhà bà ngoại, báo công an xã.")
    page.click("#step-emergency button[type=submit]")
    page.wait_for_selector(".flash--success")
    page.check("#next input[name=answers][value=repeated_harm]")
    page.click("#step-assess button[type=submit]")
    page.wait_for_selector(".flash--success")
    page.fill("#goals", "Trẻ được an toàn tại nhà bà ngoại.")
    page.fill("#actions-0-description", "Thăm nhà hằng tuần")
    page.fill("#actions-0-responsible", "Cán bộ bảo vệ trẻ em xã")
    page.fill("#actions-0-due_date", "2030-01-31")
    page.click("#step-draft_plan button:not([name=and_submit])")  # saved as a draft, submitted next
    page.wait_for_selector("#step-submit_plan")
    page.click("#step-submit_plan button[type=submit]")
    page.wait_for_selector(".flash--success")
    page.screenshot(path=ARTIFACTS / f"{dialect}-case-2-submitted.png", full_page=True)
    page.close()

    leader = browser.new_page(viewport=phone)
    sign_in(leader, live_server, "leader.camphuc")
    leader.wait_for_selector(f"a:has-text('{reference}')")
    leader.click(f"a:has-text('{reference}')")
    leader.click("#step-approve_plan button[type=submit]")
    leader.wait_for_selector(".flash--success")
    leader.screenshot(path=ARTIFACTS / f"{dialect}-case-3-approved.png", full_page=True)
    assert "Đang thực hiện kế hoạch" in leader.locator("h1").inner_text()


def test_a_trafficking_case_goes_to_the_province_and_the_inspector_finds_every_step(browser, live_server, dialect):
    """Worker refers to the province; the district supervisor approves; the province officer accepts; an
    inspector then finds the referral, its approval and its acceptance in the audit trail."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone = {"width": 360, "height": 740}
    worker = browser.new_page(viewport=phone)
    sign_in(worker, live_server, "worker.camphuc")
    worker.goto(f"{live_server}/cases/new")
    worker.fill("#full_name", "Lò Thị Mai")
    worker.check("#sex-1")
    worker.fill("#date_of_birth", "2012-09-10")
    worker.select_option("#source", "family")
    worker.check("input[name=categories][value=trafficking]")
    worker.fill("#description", "Gia đình báo trẻ bị người lạ dụ sang tỉnh khác làm việc, mất liên lạc hai ngày.")
    worker.check("#harm_status-1")
    worker.check("#child_consent-0")
    worker.check("#carer_consent-0")
    worker.click("main form button[type=submit]")
    worker.wait_for_selector("h1 .status-badge")
    reference = worker.locator("h1").inner_text().split()[0]
    worker.click("text=Chuyển tuyến hồ sơ này")
    worker.select_option("#to_unit", "30")
    worker.fill("#service", "Phối hợp công an tỉnh tìm kiếm trẻ")
    worker.fill("#reason", "Nghi mua bán trẻ em qua tỉnh khác; vượt khả năng của xã.")
    worker.check("input[name=consent][value=child_and_carer]")
    worker.screenshot(path=ARTIFACTS / f"{dialect}-referral-1-form.png", full_page=True)
    worker.click("#refer button:has-text('Gửi chuyển tuyến')")
    worker.wait_for_selector(".flash--success")
    assert "Chờ phê duyệt" in worker.locator("h1").inner_text()
    worker.close()

    supervisor = browser.new_page(viewport=phone)
    sign_in(supervisor, live_server, "supervisor.camgiang")
    supervisor.goto(f"{live_server}/referrals/?box=approval")
    supervisor.click(f"tr:has-text('{reference}') a >> nth=0")
    supervisor.click("#referral-approve button")
    supervisor.wait_for_selector(".flash--success")
    assert "Đã gửi" in supervisor.locator("h1").inner_text()
    supervisor.screenshot(path=ARTIFACTS / f"{dialect}-referral-2-approved.png", full_page=True)
    supervisor.close()

    officer = browser.new_page(viewport=phone)
    sign_in(officer, live_server, "officer.haiduong")
    officer.click(f"#waiting a:has-text('{reference}')")
    officer.click("#referral-accept button")
    officer.wait_for_selector(".flash--success")
    assert "Đã tiếp nhận" in officer.locator("h1").inner_text()
    officer.click(f"a:has-text('{reference}')")
    officer.wait_for_selector(f"h1:has-text('{reference}')")
    officer.screenshot(path=ARTIFACTS / f"{dialect}-referral-3-accepted.png", full_page=True)
    officer.close()

    inspector = browser.new_page(viewport=phone)
    sign_in(inspector, live_server, "inspector.haiduong")
    inspector.goto(f"{live_server}/audit/?case={reference}")
    steps = inspector.locator("ul.trail li:has-text('chuyển tuyến số')")
    told = steps.all_inner_texts()
    assert steps.count() == 3, told  # created, approved, accepted: each a sentence naming who did it
    assert "Cán bộ bảo vệ trẻ em cấp xã Nguyễn Thị Lan chuyển tuyến hồ sơ" in told[2]
    assert "Cán bộ giám sát cấp huyện Lê Minh Tuấn phê duyệt chuyển tuyến số" in told[1]
    assert "Cán bộ cấp tỉnh Vũ Thị Mai tiếp nhận chuyển tuyến số" in told[0]
    inspector.screenshot(path=ARTIFACTS / f"{dialect}-referral-4-audit.png", full_page=True)
