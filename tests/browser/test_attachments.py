"""Issue 17 on a phone (360 px): the worker attaches a photo from the case page's file input and sees its thumbnail;
an inspector finds the attachment in the trail, with the fingerprint (SHA-256) of the file kept."""
import hashlib

import pytest
import sqlalchemy as sa

from app.attachments.models import Attachment
from app.cases.models import Case
from app.extensions import db
from tests.browser import sign_in
from tests.factories import photo

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def files_kept_apart(app, tmp_path):
    kept = app.config["ATTACHMENT_DIR"]
    app.config["ATTACHMENT_DIR"] = str(tmp_path / "attachments")
    yield
    app.config["ATTACHMENT_DIR"] = kept


def test_a_photo_attached_on_a_phone_shows_as_a_thumbnail_and_its_fingerprint_is_in_the_trail(
        browser, live_server, files_kept_apart, tmp_path):
    case = db.session.scalar(sa.select(Case).where(Case.reference.like("%-10933-%"), Case.status != "closed")
                             .order_by(Case.id).limit(1))
    picture = tmp_path / "vet-bam.jpg"
    picture.write_bytes(photo(size=(1600, 1200)))

    worker = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    sign_in(worker, live_server, "worker.camphuc")
    worker.goto(f"{live_server}/cases/{case.reference}")
    worker.click("#attach > summary")
    file_input = worker.locator("#attachment-file")
    assert "image/*" in file_input.get_attribute("accept") and file_input.get_attribute("capture") is None
    file_input.set_input_files(str(picture))
    worker.select_option("#attachment-kind", "injury_photo")
    worker.fill("#attachment-description", "Vết bầm ở cánh tay trái")
    worker.click("#attach button[type=submit]")
    worker.wait_for_load_state()
    assert "đã đính kèm “Vết bầm ở cánh tay trái”" in worker.locator(".flash").first.inner_text()
    thumbnail = worker.locator("#attachments img[alt='Vết bầm ở cánh tay trái']")
    # The page opens at its top, where the message is; the thumbnail loads once scrolled to (loading="lazy").
    thumbnail.scroll_into_view_if_needed()
    worker.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.is_visible()
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    worker.context.close()

    attachment = db.session.scalar(sa.select(Attachment))
    inspector = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    sign_in(inspector, live_server, "inspector.haiduong")
    inspector.goto(f"{live_server}/audit/?case={case.reference}")
    entry = inspector.locator(".trail li", has_text="đính kèm “Vết bầm ở cánh tay trái”")
    assert entry.count() == 1
    entry.locator("a").first.click()
    inspector.wait_for_load_state()
    changes = inspector.locator(".changes").inner_text()
    assert attachment.stored_sha256 in changes.replace("\n", "")
    downloaded = inspector.request.get(f"{live_server}/attachments/{attachment.id}")
    assert hashlib.sha256(downloaded.body()).hexdigest() == attachment.stored_sha256
    assert inspector.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    inspector.context.close()
