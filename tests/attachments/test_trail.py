"""What the trail and the case file say of a case's files: who added, withdrew or opened which file of which case,
in people's words; the case file lists the files with their fingerprints (SHA-256)."""
import pytest
from flask_babel import force_locale

from app.attachments.services import withdraw
from app.audit.narrative import narrate
from app.audit.recorder import act_as, actor_for
from app.orm import utcnow
from app.reports.case_file import print_case_file
from tests.attachments.web import files_kept_apart  # noqa: F401
from tests.factories import attach_file, audit_entries, pdf_text


@pytest.fixture
def english_app(app, worker):
    """A request of `worker`'s, read in English."""
    with app.test_request_context(), force_locale("en"):
        act_as(actor_for(worker))
        yield app


def told(action, **criteria):
    return narrate(audit_entries(action=action, entity="attachments", **criteria))


def test_the_trail_says_who_attached_which_file_to_which_case_with_its_fingerprint(worker, case, english_app):
    attachment = attach_file(case, worker)
    [entry] = told("create")
    assert entry.sentence == (f"{worker.full_name} (Commune child-protection worker) attached “Vết bầm ở cánh tay "
                              f"trái” (Photo of an injury, made on 01/12/2026) to case {case.reference}.")
    changes = {change.label: change.after for change in entry.changes}
    assert changes["Fingerprint of the file kept (SHA-256)"] == attachment.stored_sha256
    assert changes["Made on"] == "01/12/2026" and changes["Added by"] == worker.full_name


def test_the_trail_says_who_withdrew_which_file_and_why(worker, case, english_app):
    attachment = attach_file(case, worker)
    withdraw(worker, attachment, "Nhầm hồ sơ của trẻ khác")
    [entry] = told("update")
    assert entry.sentence == (f"{worker.full_name} (Commune child-protection worker) withdrew “Vết bầm ở cánh tay "
                              f"trái” from case {case.reference}: Nhầm hồ sơ của trẻ khác.")


def test_the_trail_says_who_opened_which_file_and_who_saw_its_thumbnail(worker, case, english_app):
    from app.attachments.services import content

    attachment = attach_file(case, worker)
    content(worker, attachment)
    content(worker, attachment, thumbnail=True)
    sentences = [entry.sentence for entry in told("attachment_viewed")]
    assert f"{worker.full_name} (Commune child-protection worker) opened “Vết bầm ở cánh tay trái” of case " \
           f"{case.reference}." in sentences
    assert f"{worker.full_name} (Commune child-protection worker) saw the thumbnail of “Vết bầm ở cánh tay trái” " \
           f"of case {case.reference}." in sentences


def test_the_case_file_lists_each_file_in_peoples_terms_with_its_fingerprint(worker, case, english_app):
    attachment = attach_file(case, worker)
    _case, document = print_case_file(worker, case.reference, utcnow())
    text = " ".join(pdf_text(document).split())
    assert "Files and photos" in text and "“Vết bầm ở cánh tay trái”" in text and "Photo of an injury" in text
    assert f"Made on 01/12/2026; added by {worker.full_name}" in text
    assert attachment.stored_sha256 in text.replace(" ", "")


def test_the_case_file_leaves_out_a_withdrawn_file_for_the_worker(worker, case, english_app):
    attachment = attach_file(case, worker, description="Ảnh nhầm")
    withdraw(worker, attachment, "Nhầm hồ sơ")
    _case, document = print_case_file(worker, case.reference, utcnow())
    text = pdf_text(document)
    assert "Ảnh nhầm" not in text and "No file attached yet." in text


def test_the_trail_says_who_checked_the_files_and_what_was_found(worker, case, english_app):
    from app.attachments.services import record_file_verification, verify_files

    attach_file(case, worker)
    record_file_verification(1, verify_files())
    [entry] = narrate(audit_entries(action="attachment_files_verified"))
    assert entry.sentence == (f"{worker.full_name} (Commune child-protection worker) checked the 1 attached files "
                              "against their fingerprints: every one is as it was added.")


def test_the_inspectors_case_file_keeps_a_withdrawn_file_with_who_withdrew_it_and_why(worker, case, make_user, app):
    attachment = attach_file(case, worker, description="Ảnh nhầm")
    inspector = make_user("inspector", unit="30", username="inspector.haiduong")
    with app.test_request_context(), force_locale("en"):
        act_as(actor_for(worker))
        withdraw(worker, attachment, "Nhầm hồ sơ")
        _case, document = print_case_file(inspector, case.reference, utcnow())
    text = " ".join(pdf_text(document).split())
    assert "“Ảnh nhầm”" in text and f"Withdrawn by {worker.full_name}" in text and "Nhầm hồ sơ" in text
