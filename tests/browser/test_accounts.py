"""An account in a real browser: the administrator gets an activation code, the person chooses their password, a
province officer approves the access, and no page breaks the content security policy (issue 14, items 6 and 10)."""
from app.demo.cli import DEMO_PASSWORD
from tests.browser import ARTIFACTS, sign_in

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}
CHOSEN = "sông Thái Bình chảy qua"


def _watch_for_policy_violations(page, violations):
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)


def test_an_account_is_activated_by_its_owner_and_approved_by_a_second_person(browser, live_server,
                                                                                dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    violations = []
    admin = browser.new_page(viewport=PHONE)
    _watch_for_policy_violations(admin, violations)
    sign_in(admin, live_server, "admin")
    admin.goto(f"{live_server}/admin/users/new")
    admin.wait_for_selector(".select-filter")  # the vendored script runs under the policy
    admin.fill("#username", "lan.tran")
    admin.fill("#full_name", "Trần Thị Lan")
    admin.select_option("#role", "worker")
    admin.select_option("#unit", "10933")
    admin.click("main form [type=submit]")
    admin.wait_for_selector("#activation-code")
    code = admin.inner_text("#activation-code")
    assert admin.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    admin.screenshot(path=ARTIFACTS / f"{dialect}-accounts-1-code-phone.png", full_page=True)
    admin.set_viewport_size(DESK)
    admin.screenshot(path=ARTIFACTS / f"{dialect}-accounts-1-code-desk.png", full_page=True)

    person = browser.new_page(viewport=PHONE)
    _watch_for_policy_violations(person, violations)
    person.goto(f"{live_server}/auth/sign-in")
    person.click("a[href='/auth/activate']")
    person.fill("#username", "lan.tran")
    person.fill("#code", code)
    person.fill("#new_password", CHOSEN)
    person.fill("#confirm", CHOSEN)
    person.screenshot(path=ARTIFACTS / f"{dialect}-accounts-2-activate.png", full_page=True)
    person.click("main form [type=submit]")
    person.wait_for_selector(".flash--success")
    person.fill("#username", "lan.tran")
    person.fill("#password", CHOSEN)
    person.click("main form [type=submit]")
    person.wait_for_selector("#password-error")
    assert "người thứ hai phê duyệt" in person.inner_text("#password-error")
    person.screenshot(path=ARTIFACTS / f"{dialect}-accounts-3-awaiting.png", full_page=True)

    officer = browser.new_page(viewport=PHONE)
    _watch_for_policy_violations(officer, violations)
    sign_in(officer, live_server, "officer.haiduong")
    officer.goto(f"{live_server}/notifications/")
    officer.click("text=Trần Thị Lan")
    officer.wait_for_selector("h1:has-text('Tài khoản chờ phê duyệt')")
    assert officer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    officer.screenshot(path=ARTIFACTS / f"{dialect}-accounts-4-approvals.png", full_page=True)
    officer.click("tr:has-text('Trần Thị Lan') button:has-text('Phê duyệt')")
    officer.wait_for_selector(".flash--success")

    person.fill("#username", "lan.tran")
    person.fill("#password", CHOSEN)
    person.click("main form [type=submit]")
    person.wait_for_selector("h1:has-text('Công việc của tôi')")
    assert violations == []
    assert DEMO_PASSWORD not in code
