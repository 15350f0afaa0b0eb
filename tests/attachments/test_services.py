"""Attaching, withdrawing and reading files: who may, what the trail keeps, and the details a file needs
(issue 17, points 1, 3 and 4)."""
import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from app.attachments import storage
from app.attachments.models import Attachment
from app.attachments.services import (AttachmentRefused, attachments_of, content, find, unsigned_decisions, usage,
                                      usage_of_case, withdraw)
from app.documents import register
from app.extensions import db
from tests.documents.test_forms import approve_a_plan, assessed_case, with_office
from tests.factories import (attach_file, audit_entries, last_audit_entry, make_case, make_referral, nothing_stored,
                             pdf, photo)


def test_the_creation_entry_carries_the_stored_files_hash(store, case, worker):
    """The hash chain covers the file's content: its SHA-256 is in the entry that records the attachment."""
    attachment = attach_file(case, worker)
    entry = last_audit_entry(entity="attachments", action="create")
    changes = json.loads(entry.changes)
    assert changes["stored_sha256"] == [None, attachment.stored_sha256]
    assert changes["original_sha256"] == [None, attachment.original_sha256]
    assert (entry.case_ref, entry.unit_path) == (case.reference, case.unit.path)


def test_the_attachment_keeps_who_added_it_what_and_when(store, case, worker):
    attachment = attach_file(case, worker, description="  Ảnh vết bầm ở tay  ", made_on=date(2026, 11, 30))
    assert (attachment.added_by, attachment.description, attachment.made_on) == (
        worker, "Ảnh vết bầm ở tay", date(2026, 11, 30))
    assert attachment.added_at is not None and attachment.kind_label == "Photo of an injury"


def test_a_file_needs_a_description(store, case, worker):
    with pytest.raises(AttachmentRefused, match="Say what the file shows"):
        attach_file(case, worker, description="   ")
    assert nothing_stored()


def test_a_file_needs_its_date_and_not_a_future_one(store, case, worker):
    with pytest.raises(AttachmentRefused, match="Give the date"):
        attach_file(case, worker, made_on=None)
    with pytest.raises(AttachmentRefused, match="cannot be in the future"):
        attach_file(case, worker, made_on=date.today() + timedelta(days=2))
    assert nothing_stored()


def test_a_file_needs_a_known_kind(store, case, worker):
    with pytest.raises(AttachmentRefused, match="what kind of document"):
        attach_file(case, worker, kind="selfie")
    assert nothing_stored()


def test_a_signed_form_names_its_form(store, case, worker):
    with pytest.raises(AttachmentRefused, match="which form"):
        attach_file(case, worker, pdf(), kind="signed_form")
    scan = attach_file(case, worker, pdf(), filename="mau-01.pdf", kind="signed_form", form="01")
    assert scan.form_label == "Mẫu 01: the report"


def test_a_signed_decision_names_the_numbered_decision_of_its_case(store, worker, make_user):
    leader = with_office(make_user("commune_leader"), "chairman")
    case = assessed_case(worker)
    approve_a_plan(case, worker, leader)
    decision = register.number_decision("mau-05", case, case.current_plan, 2026, worker)
    with pytest.raises(AttachmentRefused, match="numbered decision"):
        attach_file(case, worker, pdf(), kind="signed_form", form="05")
    with pytest.raises(AttachmentRefused, match="numbered decision"):
        attach_file(case, worker, pdf(), kind="signed_form", form="07", decision=decision)
    attach_file(case, worker, pdf(), kind="signed_form", form="05", decision=decision)


def test_a_numbered_decision_waits_for_its_signed_scan(store, worker, make_user):
    """Issue 17, point 6: Mẫu 05 shows "not signed yet" until the scan of the signed paper is attached."""
    leader = with_office(make_user("commune_leader"), "chairman")
    case = assessed_case(worker)
    approve_a_plan(case, worker, leader)
    decision = register.number_decision("mau-05", case, case.current_plan, 2026, worker)
    assert unsigned_decisions(case) == [decision]
    scan = attach_file(case, worker, pdf(), kind="signed_form", form="05", decision=decision)
    assert unsigned_decisions(case) == []
    withdraw(worker, scan, "Quét nhầm trang")
    assert unsigned_decisions(case) == [decision]


def test_only_a_signed_form_names_a_form(store, case, worker):
    with pytest.raises(AttachmentRefused, match="Only a signed form"):
        attach_file(case, worker, form="01")


def test_the_inspector_and_the_admin_cannot_add_files(store, case, make_user):
    for role in ("inspector", "admin", "supervisor"):
        with pytest.raises(AttachmentRefused) as refused:
            attach_file(case, make_user(role))
        assert refused.value.status == 403
    assert nothing_stored()


def test_a_worker_of_another_commune_cannot_add_files(store, case, make_user):
    with pytest.raises(AttachmentRefused):
        attach_file(case, make_user("worker", unit="10966"))
    assert nothing_stored()


def test_a_commune_the_case_was_referred_to_adds_and_reads_its_files(store, case, worker, make_user):
    from app.referrals.services import act

    receiver = make_user("worker", unit="10510")
    referral = make_referral(case, worker, to="10510", urgent=True)
    act(referral, receiver, "accept")
    attachment = attach_file(case, receiver)
    assert attachments_of(worker, case) == attachments_of(receiver, case) == [attachment]


def test_a_closed_case_takes_no_more_files(store, case, worker):
    case.status = "closed"
    db.session.commit()
    with pytest.raises(AttachmentRefused, match="cannot add files"):
        attach_file(case, worker)
    assert nothing_stored()


def test_the_commune_leader_adds_files(store, case, make_user):
    assert attach_file(case, make_user("commune_leader")).id is not None


def test_the_case_lists_its_files_newest_first(store, case, worker):
    first, second = attach_file(case, worker), attach_file(case, worker, pdf(), kind="medical")
    assert attachments_of(worker, case) == [second, first]


def test_a_withdrawal_keeps_the_row_and_the_bytes(store, case, worker):
    attachment = attach_file(case, worker)
    kept = storage.read(attachment)
    withdraw(worker, attachment, "Ảnh của trẻ khác, chụp nhầm")
    db.session.expire_all()
    row = db.session.get(Attachment, attachment.id)
    assert (row.withdrawal_reason, row.withdrawn_by, row.is_withdrawn) == ("Ảnh của trẻ khác, chụp nhầm", worker, True)
    assert storage.read(row) == kept
    assert json.loads(last_audit_entry(entity="attachments", action="update").changes)["withdrawal_reason"] == [
        None, "Ảnh của trẻ khác, chụp nhầm"]


def test_a_withdrawn_file_leaves_the_case_lists_and_stays_for_the_inspector(store, case, worker, make_user):
    attachment = attach_file(case, worker)
    withdraw(worker, attachment, "Chụp nhầm")
    inspector = make_user("inspector")
    assert attachments_of(worker, case) == [] and attachments_of(inspector, case) == []
    assert attachments_of(inspector, case, include_withdrawn=True) == [attachment]
    with pytest.raises(NotFound):
        find(worker, attachment.id)
    assert content(inspector, find(inspector, attachment.id)) == storage.read(attachment)


def test_a_withdrawal_needs_a_reason(store, case, worker):
    attachment = attach_file(case, worker)
    with pytest.raises(AttachmentRefused, match="Say why"):
        withdraw(worker, attachment, "  ")
    assert not db.session.get(Attachment, attachment.id).is_withdrawn


def test_a_file_is_withdrawn_once(store, case, worker):
    attachment = attach_file(case, worker)
    withdraw(worker, attachment, "Chụp nhầm")
    with pytest.raises(AttachmentRefused, match="withdrawn already"):
        withdraw(worker, attachment, "Lần nữa")


def test_the_inspector_cannot_withdraw_a_file(store, case, worker, make_user):
    attachment = attach_file(case, worker)
    with pytest.raises(AttachmentRefused) as refused:
        withdraw(make_user("inspector"), attachment, "Không được")
    assert refused.value.status == 403


def test_outside_the_case_scope_a_file_is_not_found_and_the_attempt_recorded(store, app, case, worker, make_user):
    attachment = attach_file(case, worker)
    stranger = make_user("worker", unit="10966")
    assert attachments_of(stranger, case) == []
    with app.test_request_context(f"/attachments/{attachment.id}"), pytest.raises(NotFound):
        find(stranger, attachment.id)
    refusals = audit_entries(action="access_denied", entity="attachments")
    # Once under the person refused, once under the case, for its inspectors.
    assert [entry.case_ref for entry in refusals] == [None, case.reference]


@pytest.mark.parametrize("number", ["abc", "99999999999", "-1", 2**40])
def test_an_id_no_attachment_can_have_is_not_found(store, number, worker):
    with pytest.raises(NotFound):
        find(worker, number)


def test_the_admin_never_reads_a_file(store, case, worker, make_user):
    attachment = attach_file(case, worker)
    admin = make_user("admin")
    assert attachments_of(admin, case) == []
    with pytest.raises(NotFound):
        find(admin, attachment.id)
    with pytest.raises(NotFound):
        content(admin, attachment)
    assert audit_entries(action="attachment_viewed") == []


@pytest.mark.parametrize("role", ["inspector", "supervisor", "province_officer", "commune_leader"])
def test_those_who_read_the_case_read_its_files(store, case, worker, make_user, role):
    reader = make_user(role)
    attachment = attach_file(case, worker)
    assert attachments_of(reader, case) == [attachment]
    assert content(reader, find(reader, attachment.id)) == storage.read(attachment)


def test_every_reading_of_a_file_is_in_the_trail(store, case, worker, make_user):
    attachment = attach_file(case, worker)
    inspector = make_user("inspector")
    content(worker, attachment)
    content(worker, attachment, thumbnail=True)
    content(inspector, attachment)
    viewed = audit_entries(action="attachment_viewed")
    assert [(entry.actor, json.loads(entry.changes)["part"]) for entry in viewed] == [
        (worker.username, "file"), (worker.username, "thumbnail"), (inspector.username, "file")]
    assert {(entry.entity, entry.entity_id, entry.case_ref) for entry in viewed} == {
        ("attachments", str(attachment.id), case.reference)}


def test_a_pdf_has_no_thumbnail_to_read(store, case, worker):
    scan = attach_file(case, worker, pdf(), kind="medical")
    with pytest.raises(NotFound):
        content(worker, scan, thumbnail=True)


def test_the_province_officer_sees_the_files_held_per_unit(store, case, worker, make_user):
    other = make_user("worker", unit="10966")
    attach_file(case, worker)
    attach_file(case, worker, pdf(), kind="medical")
    attach_file(make_case(other), other)
    lines = usage(make_user("province_officer"))
    assert [(line.unit.code, line.cases_count, line.files_count) for line in lines] == [
        ("10933", 1, 2), ("10966", 1, 1)]
    files, size = usage_of_case(case)
    assert files == 2 and size == db.session.scalar(
        sa.select(sa.func.sum(Attachment.size)).where(Attachment.case_id == case.id))
    assert usage(worker) == [] and usage(make_user("inspector")) == []


def test_the_filename_keeps_vietnamese_and_loses_its_folders(store, case, worker):
    attachment = attach_file(case, worker, photo(), filename="C:\\Ảnh\\..\\vết thương\x00 tay.JPG")
    assert attachment.filename == "vết thương tay.jpg"
