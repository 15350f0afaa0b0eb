"""What the browser tests share: where Chromium is, where screenshots go, and signing in."""
import os
from pathlib import Path

from app.demo.cli import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/auth/sign-in")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")
    page.wait_for_selector("h1")
