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
