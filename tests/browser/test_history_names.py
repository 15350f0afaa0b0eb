"""History keeps its names, on a phone and a desktop (issue 16 point 3): after the reorganisation, a case Cẩm Phúc
held reads its former commune as it was called then on its page, its history and the trail, and nothing there
scrolls sideways."""
from pathlib import Path

import pytest

from app.demo.cli import DEMO_PASSWORD
from app.reorganisation import services
from app.units.services import DATA_DIR, load_units
from app.units.successions import load_successions
from app.users.services import find_user
from tests.browser import ARTIFACTS, sign_in
from tests.factories import audit_entries, make_user, unit
from tests.reorganisation.conftest import DIVIDED, MAO_DIEN, hai_phong_2025

pytestmark = pytest.mark.browser

CHECKS = (Path(__file__).parent / "page_checks.js").read_text()
SIZES = ({"width": 360, "height": 740}, {"width": 1280, "height": 800})
CAM_PHUC_THEN = "Xã Cẩm Phúc, huyện Cẩm Giàng (trước 01/07/2025)"


def test_a_case_carried_through_the_reorganisation_reads_its_former_commune_on_every_page_and_fits(
        browser, live_server):
    load_units(hai_phong_2025(), "2025")
    load_successions((DATA_DIR / "hai_duong_2024_to_2025.csv").read_bytes(), "2024", "2025")
    services.reorganise("2024", "2025", "30")
    officer = find_user("officer.haiduong")
    waiting = [move for move in services.waiting_cases(officer) if move.from_unit.code == DIVIDED]
    placed, still_waiting = waiting[0].case.reference, waiting[1].case.reference
    services.place(waiting[0], unit(MAO_DIEN, "2025"), officer)
    mao_dien = make_user("worker", unit=MAO_DIEN, password=DEMO_PASSWORD)
    entry = audit_entries(entity="reorganisation_moves", entity_id=str(waiting[0].id))[0]
    pages = {mao_dien.username: [f"/cases/{placed}", f"/cases/{placed}/history"],
             officer.username: [f"/cases/{still_waiting}", f"/audit/{entry.id}"]}

    problems = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for username, paths in pages.items():
        page = browser.new_page(viewport=SIZES[0], locale="vi-VN")
        sign_in(page, live_server, username)
        for path in paths:
            for size in SIZES:
                page.set_viewport_size(size)
                assert page.goto(live_server + path).ok, path
                assert CAM_PHUC_THEN in page.inner_text("main"), path
                slug = path.strip("/").replace("/", "-")
                page.screenshot(path=ARTIFACTS / f"history-names-{slug}-{size['width']}.png", full_page=True)
                problems += [f"{path} at {size['width']}px: {check}: {element} — {detail}"
                             for check, element, detail in page.evaluate(CHECKS)["problems"]]
        page.close()
    assert not problems, "\n".join(problems)
