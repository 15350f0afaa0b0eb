"""A real browser: Debian's Chromium driven by Playwright, against the app served on a local port."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.demo.cli import DEMO_PASSWORD, seed_demo
from tests.conftest import in_ci

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


def _unavailable(reason):
    if in_ci():
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not shutil.which(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The app on a free local port, with CSRF protection on as in production."""
    seed_demo()
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.config["WTF_CSRF_ENABLED"] = False


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/auth/sign-in")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")
    page.wait_for_selector("h1")


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
    page.screenshot(path=ARTIFACTS / f"{dialect}-case-1-intake.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1 .status-badge")
    reference = page.locator("h1").inner_text().split()[0]
    assert "Phạm Thị Thu" in page.content()

    page.check("input[name=answers][value=repeated_harm]")
    page.click("#step-assess button[type=submit]")
    page.wait_for_selector(".flash--success")
    page.fill("#goals", "Trẻ được an toàn tại nhà bà ngoại.")
    page.fill("#actions-0-description", "Thăm nhà hằng tuần")
    page.fill("#actions-0-responsible", "Cán bộ bảo vệ trẻ em xã")
    page.fill("#actions-0-due_date", "2030-01-31")
    page.click("#step-draft_plan button[type=submit]")
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
