"""`flask audit verify --files` hashes every stored file again and names each one changed or missing, in people's
terms (issue 17, point 3)."""
import pytest
import sqlalchemy as sa

from app.attachments import storage
from app.attachments.models import Attachment
from app.attachments.services import AttachmentRefused, content, verify_files
from app.audit.services import verify_chain
from app.extensions import db
from app.i18n import display_date
from tests.database import behind_the_back
from tests.factories import attach_file, audit_entries, pdf


def change_one_byte(attachment):
    if attachment.store == "filesystem":
        path = storage._path(attachment.id, "file")
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    else:
        with behind_the_back() as connection:
            data = bytearray(connection.execute(sa.text(
                "SELECT data FROM attachment_chunks WHERE attachment_id = :id AND part = 'file' AND seq = 0"),
                {"id": attachment.id}).scalar_one())
            data[len(data) // 2] ^= 0x01
            connection.execute(sa.text("UPDATE attachment_chunks SET data = :data WHERE attachment_id = :id "
                                       "AND part = 'file' AND seq = 0"), {"data": bytes(data), "id": attachment.id})


def remove(attachment):
    if attachment.store == "filesystem":
        storage._path(attachment.id, "file").unlink()
    else:
        with behind_the_back() as connection:
            connection.execute(sa.text("DELETE FROM attachment_chunks WHERE attachment_id = :id"),
                               {"id": attachment.id})


def test_whole_files_pass(store, case, worker, runner):
    attach_file(case, worker)
    attach_file(case, worker, pdf(), kind="medical")
    assert verify_files() == []
    result = runner.invoke(args=["audit", "verify", "--files"])
    assert result.exit_code == 0, result.output
    assert audit_entries(action="attachment_files_verified")[-1].changes == (
        '{"changed": [], "files": 2, "missing": []}')


def test_one_changed_byte_is_found(store, case, worker):
    kept, changed = attach_file(case, worker), attach_file(case, worker, pdf(), kind="medical")
    change_one_byte(changed)
    assert [(problem.attachment, problem.problem) for problem in verify_files()] == [(changed, "changed")]
    assert kept is not None


def test_a_file_changed_with_its_rows_hash_is_found_by_the_hash_in_the_trail(store, case, worker):
    attachment = attach_file(case, worker)
    change_one_byte(attachment)
    forged = storage.sha256_of(attachment)
    with behind_the_back() as connection:
        connection.execute(sa.text("UPDATE attachments SET stored_sha256 = :forged WHERE id = :id"),
                           {"forged": forged, "id": attachment.id})
    db.session.expire_all()
    assert db.session.get(Attachment, attachment.id).stored_sha256 == forged
    assert [problem.problem for problem in verify_files()] == ["changed"]


def test_a_missing_file_is_found(store, case, worker):
    missing = attach_file(case, worker)
    remove(missing)
    assert [(problem.attachment, problem.problem) for problem in verify_files()] == [(missing, "missing")]


def test_the_command_names_each_file_by_case_description_and_date_and_exits_1(store, case, worker, runner):
    changed = attach_file(case, worker, description="Giấy chứng nhận thương tích")
    missing = attach_file(case, worker, pdf(), kind="police", description="Biên bản công an xã")
    change_one_byte(changed)
    remove(missing)
    result = runner.invoke(args=["audit", "verify", "--files"])
    assert result.exit_code == 1
    for attachment in (changed, missing):
        assert f"{case.reference}: " in result.output
        assert attachment.description in result.output
    assert display_date(changed.made_on) in result.output


def test_the_chain_alone_does_not_see_a_changed_file(store, case, worker, runner):
    """The trail holds the hash; only re-hashing the file compares it."""
    change_one_byte(attach_file(case, worker))
    assert verify_chain().ok
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    assert runner.invoke(args=["audit", "verify", "--files"]).exit_code == 1


def test_a_changed_file_is_not_handed_out(store, case, worker):
    attachment = attach_file(case, worker)
    change_one_byte(attachment)
    with pytest.raises(AttachmentRefused, match="has changed since it was added"):
        content(worker, attachment)
    assert audit_entries(action="attachment_viewed") == []


def test_a_missing_file_is_said_missing_when_read(store, case, worker):
    attachment = attach_file(case, worker)
    remove(attachment)
    with pytest.raises(AttachmentRefused, match="missing from the store"):
        content(worker, attachment)


@pytest.mark.parametrize("statement", ["UPDATE attachment_chunks SET data = :data",
                                       "DELETE FROM attachment_chunks"])
def test_the_database_refuses_to_change_a_stored_file(database_store, case, worker, statement):
    attach_file(case, worker)
    with pytest.raises(sa.exc.DatabaseError, match="attached files are never changed"):
        db.session.execute(sa.text(statement), {"data": b"x"})
    db.session.rollback()


def test_files_are_checked_batch_after_batch(store, case, worker, monkeypatch):
    from app.attachments import services

    monkeypatch.setattr(services, "VERIFY_BATCH", 2)
    attachments = [attach_file(case, worker, pdf(), kind="other") for _ in range(5)]
    change_one_byte(attachments[3])
    remove(attachments[4])
    assert [(problem.attachment.id, problem.problem) for problem in verify_files()] == [
        (attachments[3].id, "changed"), (attachments[4].id, "missing")]
