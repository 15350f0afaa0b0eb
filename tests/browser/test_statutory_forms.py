"""The statutory forms from the case page, on a phone: the commune leader finds the decision approving a plan beside
the plan, and the link answers the form, numbered from the register and signed under the leader's title."""
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.cases.models import Case, Plan
from app.extensions import db
from tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_the_leader_prints_the_decision_approving_a_plan_from_beside_the_plan(browser, live_server):
    approved = db.session.scalar(sa.select(Case).join(Plan).where(Plan.status == "approved",
                                                                  Case.reference.like("%-10933-%"))
                                 .order_by(Case.id).limit(1))
    assert approved is not None, "the demo data has an approved plan in Cẩm Phúc"
    page = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in(page, live_server, "leader.camphuc")
    page.goto(f"{live_server}/cases/{approved.reference}")
    link = page.locator("#plan .print-forms a", has_text="Mẫu 05")
    assert link.is_visible() and link.bounding_box()["height"] >= 44
    answer = page.request.get(live_server + link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(answer.body())).pages).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 1/QĐ-UBND" in text
    assert "CHỦ TỊCH (Ký, ghi rõ họ tên, đóng dấu) Trần Văn Hùng" in text
    page.close()
