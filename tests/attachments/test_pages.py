"""Files on the case page (issue 17): attached from a phone's camera, gallery or a file, shown as thumbnails,
downloaded as attachments and never from a static path, withdrawn with a reason; only within the case's scope."""
import hashlib
import io

import pytest
import sqlalchemy as sa

from app.attachments.models import Attachment
from app.extensions import db
from tests.attachments.web import files_kept_apart, numbered_plan_decision, upload  # noqa: F401
from tests.factories import attach_file, last_audit_entry, make_case


@pytest.fixture
def leader(make_user):
    return make_user("commune_leader", full_name="Trần Văn Hùng")


def english(client):
    client.post("/language", data={"locale": "en"})


def test_the_case_page_offers_a_file_input_that_a_phone_fills_from_its_camera_or_gallery(client, sign_in, worker,
                                                                                          case):
    sign_in(worker)
    page = client.get(f"/cases/{case.reference}").text
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'accept="image/*,application/pdf' in page
    # `capture` would open the camera only, and a phone would no longer offer its gallery.
    assert "capture" not in page


def test_an_attached_photo_shows_as_a_thumbnail_and_the_page_says_what_happened(client, sign_in, worker, case):
    sign_in(worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/attachments", data=upload(), follow_redirects=True)
    attachment = db.session.scalar(sa.select(Attachment))
    assert response.status_code == 200 and attachment is not None
    assert f"Case {case.reference}: “Vết bầm ở cánh tay trái” is attached" in response.text
    assert "withdraw it and attach the right one" in response.text
    assert f'src="/attachments/{attachment.id}/thumbnail"' in response.text
    assert 'alt="Vết bầm ở cánh tay trái"' in response.text


def test_the_thumbnail_is_served_inline_only_to_the_case_page_never_cached_nor_sniffed(client, sign_in, worker, case):
    attachment = attach_file(case, worker)
    sign_in(worker)
    response = client.get(f"/attachments/{attachment.id}/thumbnail")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    entry = last_audit_entry(action="attachment_viewed")
    assert entry.entity_id == str(attachment.id) and entry.case_ref == case.reference


def test_a_download_is_an_attachment_of_the_bytes_stored_and_an_audit_entry(client, sign_in, worker, case):
    attachment = attach_file(case, worker)
    sign_in(worker)
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="{case.reference}-{attachment.id}.jpg"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert hashlib.sha256(response.data).hexdigest() == attachment.stored_sha256
    assert last_audit_entry(action="attachment_viewed").entity_id == str(attachment.id)


def test_a_file_of_a_case_outside_the_readers_scope_answers_404_and_is_recorded(client, sign_in, worker, case,
                                                                                 make_user):
    attachment = attach_file(case, worker)
    sign_in(make_user("worker", unit="10966", username="worker.tanviet"))
    for path in (f"/attachments/{attachment.id}", f"/attachments/{attachment.id}/thumbnail"):
        assert client.get(path).status_code == 404
    assert last_audit_entry(action="access_denied").entity == "attachments"


def test_the_administrator_never_opens_a_file(client, sign_in, worker, case, make_user):
    attachment = attach_file(case, worker)
    sign_in(make_user("admin", username="admin.haiduong"))
    assert client.get(f"/attachments/{attachment.id}").status_code == 403


def test_an_address_of_a_file_shared_outside_the_session_gives_nothing(client, worker, case):
    attachment = attach_file(case, worker)
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert not response.data.startswith(b"\xff\xd8")


def test_a_php_script_named_as_a_photo_is_refused_with_the_reason_and_nothing_is_stored(client, sign_in, worker,
                                                                                         case):
    sign_in(worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/attachments",
                           data=upload(b"<?php system($_GET['c']); ?>", filename="anh.jpg"))
    assert response.status_code == 422
    assert 'id="failure"' in response.text and "<details class=\"step-block\" id=\"attach\" open" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_a_file_without_a_description_is_refused_on_its_field_and_nothing_is_stored(client, sign_in, worker, case):
    sign_in(worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/attachments", data=upload(description=""))
    assert response.status_code == 422 and 'id="attachment-description-error"' in response.text
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_the_form_without_a_file_asks_for_one(client, sign_in, worker, case):
    sign_in(worker)
    english(client)
    form = upload()
    form["attachment-file"] = (io.BytesIO(b""), "")
    response = client.post(f"/cases/{case.reference}/attachments", data=form)
    assert response.status_code == 422 and "Choose a photo or a file." in response.text


def test_a_pdf_is_never_shown_in_the_page_only_downloaded(client, sign_in, worker, case):
    pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
           b" endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    attachment = attach_file(case, worker, data=pdf, filename="bien-ban.pdf", kind="police",
                             description="Biên bản của công an xã")
    sign_in(worker)
    english(client)
    page = client.get(f"/cases/{case.reference}").text
    assert f"/attachments/{attachment.id}/thumbnail" not in page and f'href="/attachments/{attachment.id}"' in page
    assert client.get(f"/attachments/{attachment.id}/thumbnail").status_code == 404
    response = client.get(f"/attachments/{attachment.id}")
    assert response.headers["Content-Disposition"].startswith("attachment")
    if attachment.pdf_has_script:
        assert "This PDF holds scripts or actions" in page


def test_a_withdrawn_file_leaves_the_workers_list_and_stays_for_the_inspector_with_the_reason(
        client, sign_in, worker, case, make_user):
    attachment = attach_file(case, worker)
    sign_in(worker)
    english(client)
    response = client.post(f"/attachments/{attachment.id}/withdraw",
                           data={f"withdraw-{attachment.id}-reason": "Nhầm hồ sơ của trẻ khác"}, follow_redirects=True)
    assert "“Vết bầm ở cánh tay trái” is withdrawn" in response.text
    assert f"/attachments/{attachment.id}/thumbnail" not in response.text
    client.post("/auth/sign-out")
    sign_in(make_user("inspector", unit="30", username="inspector.haiduong"))
    english(client)
    page = client.get(f"/cases/{case.reference}").text
    assert "Vết bầm ở cánh tay trái" in page and "Nhầm hồ sơ của trẻ khác" in page
    assert client.get(f"/attachments/{attachment.id}").status_code == 200


def test_a_withdrawal_without_a_reason_is_refused_and_the_file_stays(client, sign_in, worker, case):
    attachment = attach_file(case, worker)
    sign_in(worker)
    english(client)
    response = client.post(f"/attachments/{attachment.id}/withdraw", data={f"withdraw-{attachment.id}-reason": ""})
    assert response.status_code == 422 and "Say why the file is withdrawn." in response.text
    db.session.refresh(attachment)
    assert attachment.withdrawn_at is None


def test_the_inspector_reads_files_and_is_offered_neither_upload_nor_withdrawal(client, sign_in, worker, case,
                                                                               make_user):
    attachment = attach_file(case, worker)
    sign_in(make_user("inspector", unit="30", username="inspector.haiduong"))
    page = client.get(f"/cases/{case.reference}").text
    assert f"/attachments/{attachment.id}/thumbnail" in page
    assert 'type="file"' not in page and "/withdraw" not in page
    assert client.post(f"/cases/{case.reference}/attachments", data=upload()).status_code == 403


def test_a_numbered_decision_says_it_has_no_signed_copy_until_its_scan_is_attached(client, sign_in, worker, leader,
                                                                                   case):
    line = numbered_plan_decision(case, worker, leader)
    sign_in(worker)
    english(client)
    page = client.get(f"/cases/{case.reference}").text
    assert f"Decision no. {line.label} (Mẫu 05)" in page and "no signed copy yet" in page
    assert f"/cases/{case.reference}?signed={line.id}#attach" in page
    offered = client.get(f"/cases/{case.reference}?signed={line.id}").text
    assert f'<option selected value="{line.id}">' in offered
    response = client.post(f"/cases/{case.reference}/attachments", follow_redirects=True, data=upload(
        filename="qd-05.jpg", kind="signed_form", signed_form="05", decision=str(line.id),
        description="Quyết định phê duyệt kế hoạch, bản đã ký"))
    scan = db.session.scalar(sa.select(Attachment))
    assert scan.decision_id == line.id
    assert f"The signed copy of decision no. {line.label} is now on record." in response.text
    assert "no signed copy yet" not in response.text and f'href="/attachments/{scan.id}">signed copy' in response.text


def test_a_signed_form_05_without_its_decision_is_refused(client, sign_in, worker, leader, case):
    numbered_plan_decision(case, worker, leader)
    sign_in(worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/attachments",
                           data=upload(kind="signed_form", signed_form="05"))
    assert response.status_code == 422 and "Choose the numbered decision of this case that was signed." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_the_province_officer_sees_the_space_taken_by_unit_and_by_case(client, sign_in, worker, case, make_user):
    attach_file(case, worker)
    attach_file(case, worker, description="Ảnh thứ hai")
    sign_in(make_user("province_officer", unit="30", username="officer.haiduong"))
    english(client)
    page = client.get("/attachments/usage").text
    assert "Space taken by case files" in page and "Xã Cẩm Phúc" in page and case.reference in page
    assert "2 files in your area" in page


def test_the_space_taken_is_the_province_officers_page_alone(client, sign_in, worker):
    sign_in(worker)
    assert client.get("/attachments/usage").status_code == 403


def test_a_closed_case_takes_no_more_files(client, sign_in, worker):
    from app.cases.models import Case

    case = make_case(worker)
    db.session.get(Case, case.id).status = "closed"
    db.session.commit()
    sign_in(worker)
    page = client.get(f"/cases/{case.reference}").text
    assert 'type="file"' not in page
    assert client.post(f"/cases/{case.reference}/attachments", data=upload()).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_the_cases_history_tells_who_attached_which_file(client, sign_in, worker, case):
    attach_file(case, worker)
    sign_in(worker)
    english(client)
    page = client.get(f"/cases/{case.reference}/history").text
    assert f"attached “Vết bầm ở cánh tay trái” (Photo of an injury, made on 01/12/2026) to case {case.reference}" \
        in page
