"""A real browser: Debian's Chromium driven by Playwright, one per test session, against the app served on a
local port."""
import shutil
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from app.demo.cli import seed_demo
from tests.browser import CHROMIUM
from tests.conftest import in_ci


def _unavailable(reason):
    if in_ci():
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
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


@contextmanager
def serving(app):
    """The app with the demo data on a free local port, with CSRF protection on as in production."""
    seed_demo()
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def live_server(app):
    """A server for one test, which may change the demo data: the tables are emptied after it."""
    with serving(app) as url:
        yield url
