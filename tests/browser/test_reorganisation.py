"""Since 1 July 2025 Cẩm Phúc, the demo's commune, lies divided between Cẩm Giàng and Mao Điền of Hải Phòng: only a
person who knows where the child lives can say which one continues a case (issue 16)."""
from app.demo.cli import DEMO_PASSWORD
from app.reorganisation.services import reorganise
from app.units.services import DATA_DIR, load_units
from app.units.successions import load_successions
from tests.browser import ARTIFACTS, sign_in
from tests.factories import make_user

PHONE = {"width": 360, "height": 740}
MAO_DIEN = "10930"


def test_the_hai_phong_officer_gives_a_waiting_case_of_divided_cam_phuc_to_mao_dien_whose_worker_then_finds_it(
        browser, live_server, dialect):
    load_units((DATA_DIR / "hai_phong_2025.csv").read_bytes(), "2025")
    load_successions((DATA_DIR / "hai_duong_2024_to_2025.csv").read_bytes(), "2024", "2025")
    reorganise("2024", "2025", "30")
    make_user("worker", unit=MAO_DIEN, username="worker.maodien", password=DEMO_PASSWORD, full_name="Lê Thị Hạnh")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    officer = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    sign_in(officer, live_server, "officer.haiduong")  # moved with Hải Dương into Hải Phòng
    officer.click("#waiting-for-commune a")
    officer.wait_for_selector("h1:has-text('Hồ sơ chờ xác định xã mới')")
    officer.screenshot(path=ARTIFACTS / f"{dialect}-reorganisation-1-waiting.png")
    waiting = officer.locator("section.record").first
    reference = waiting.locator("h2 a").inner_text()
    assert reference.startswith("HD-10933-")
    assert "Xã Cẩm Phúc, huyện Cẩm Giàng (trước 01/07/2025)" in waiting.inner_text()
    assert officer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    waiting.locator("select").select_option(label="Xã Mao Điền")
    waiting.locator("button[type=submit]").click()
    told = officer.wait_for_selector(".flash--success").inner_text()
    assert f"Hồ sơ {reference} nay thuộc Xã Mao Điền" in told
    officer.screenshot(path=ARTIFACTS / f"{dialect}-reorganisation-2-placed.png")

    worker = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    sign_in(worker, live_server, "worker.maodien")
    worker.goto(f"{live_server}/cases/")
    worker.wait_for_selector(f"text={reference}")
    worker.screenshot(path=ARTIFACTS / f"{dialect}-reorganisation-3-mao-dien-finds-it.png", full_page=True)
    worker.click(f"text={reference}")
    worker.wait_for_selector("h1")
    assert reference in worker.inner_text("h1")
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
