"""What the tests of the attachments' pages and API share: files kept apart for each test, a case, and the
upload form as the case page posts it."""
import io
from datetime import date

import pytest

from app.documents import register
from tests.factories import photo


@pytest.fixture(autouse=True)
def files_kept_apart(app, tmp_path):
    """The files of each test in a folder of its own (the filesystem store, the default outside production)."""
    kept = app.config["ATTACHMENT_DIR"]
    app.config["ATTACHMENT_DIR"] = str(tmp_path / "attachments")
    yield
    app.config["ATTACHMENT_DIR"] = kept


def upload(data=None, filename="anh.jpg", **fields):
    """The case page's upload form, filled: a photo of an injury by default."""
    form = {"attachment-kind": "injury_photo", "attachment-description": "Vết bầm ở cánh tay trái",
            "attachment-made_on": date(2026, 12, 1).isoformat()}
    form.update({f"attachment-{name}": value for name, value in fields.items()})
    form["attachment-file"] = (io.BytesIO(photo() if data is None else data), filename)
    return form


def numbered_plan_decision(case, worker, leader):
    """The case's plan approved by `leader` and numbered in the register (Mẫu 05), as its first printing does."""
    from app.cases import services

    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn tại nhà",
                        [services.PlannedAction("Thăm gia đình", "Cán bộ xã", date(2030, 1, 1))], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    return register.number_decision("mau-05", case, case.current_plan, 2026, leader)
