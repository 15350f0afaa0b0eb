"""Both stores keep the bytes and the row together: an upload that fails halfway leaves neither, and what a killed
process could leave behind on the filesystem is swept, and said so (issue 17, point 5)."""
import json
import os
import time
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.attachments import storage
from app.attachments.models import Attachment
from app.attachments.services import sweep_orphans
from app.extensions import db
from tests.factories import attach_file, audit_entries, nothing_stored, pdf, stored_files


@contextmanager
def commits_failing():
    """Every commit fails at its last moment, after the bytes are written: the database gone, the disk full."""

    def fail(session):
        raise ConnectionError("the database went away")

    sa.event.listen(Session, "before_commit", fail)
    try:
        yield
    finally:
        sa.event.remove(Session, "before_commit", fail)


def upload_cut_off(case, worker, store) -> int:
    """What a process killed between storing the bytes and committing the row leaves: the bytes alone, if any."""
    attachment = Attachment(case=case, kind="other", description="Ảnh", made_on=date(2026, 12, 1),
                            filename="anh.jpg", media_type="image/jpeg", size=3, original_sha256="0" * 64,
                            stored_sha256="0" * 64, store=store, added_by_id=worker.id)
    db.session.add(attachment)
    db.session.flush()
    storage.write(attachment, {"file": b"abc", "thumbnail": b"de"})
    attachment_id = attachment.id
    db.session.rollback()
    return attachment_id


def age(paths, hours):
    then = time.time() - hours * 3600
    for path in paths:
        os.utime(path, (then, then))


def test_an_upload_whose_commit_fails_leaves_neither_row_nor_file(store, case, worker):
    with commits_failing(), pytest.raises(ConnectionError):
        attach_file(case, worker)
    assert nothing_stored()
    assert audit_entries(entity="attachments") == []


def test_a_disk_filling_up_between_the_file_and_its_thumbnail_leaves_neither(filesystem_store, case, worker,
                                                                              monkeypatch):
    import errno

    write_file = storage._write_file

    def full_disk_for_thumbnails(path, data):
        if path.name.endswith("-thumbnail"):
            raise OSError(errno.ENOSPC, "No space left on device")
        write_file(path, data)

    monkeypatch.setattr(storage, "_write_file", full_disk_for_thumbnails)
    with pytest.raises(OSError):
        attach_file(case, worker)
    assert nothing_stored()


def test_the_database_store_commits_the_bytes_with_the_row_or_not_at_all(database_store, case, worker):
    upload_cut_off(case, worker, store="database")
    assert nothing_stored()


def test_the_sweep_removes_files_an_upload_cut_off_left_and_says_so(filesystem_store, case, worker, runner):
    upload_cut_off(case, worker, store="filesystem")
    left = stored_files()
    assert len(left) == 2
    age(left, hours=2)
    result = runner.invoke(args=["attachments", "sweep"])
    assert result.exit_code == 0 and "2" in result.output
    assert stored_files() == []
    entry = audit_entries(action="attachment_orphans_removed")[-1]
    assert sorted(path.name for path in left) == sorted(json.loads(entry.changes)["files"])


def test_the_sweep_leaves_the_files_of_attachments_alone(store, case, worker):
    attachment = attach_file(case, worker)
    age(stored_files(), hours=2)
    assert sweep_orphans() == 0
    assert storage.read(attachment)[:3] == b"\xff\xd8\xff"


def test_the_sweep_leaves_an_upload_under_way_alone(filesystem_store, case, worker):
    upload_cut_off(case, worker, store="filesystem")
    assert sweep_orphans() == 0
    assert len(stored_files()) == 2
    assert sweep_orphans(older_than=timedelta(0)) == 2


def test_the_sweep_removes_a_temporary_file_left_half_written(filesystem_store, app, tmp_path):
    folder = tmp_path / "attachments" / "0"
    folder.mkdir(parents=True)
    (folder / "7-file.3f2a.partial").write_bytes(b"half")
    age(stored_files(), hours=2)
    assert sweep_orphans() == 1 and stored_files() == []


def test_the_sweep_has_nothing_to_do_without_a_folder(filesystem_store):
    assert sweep_orphans() == 0 and audit_entries(action="attachment_orphans_removed") == []


def test_a_file_reads_back_from_the_store_it_was_written_to(store, app, case, worker):
    attachment = attach_file(case, worker)
    kept = storage.read(attachment)
    other = "database" if store == "filesystem" else "filesystem"
    app.config["ATTACHMENT_STORE"] = other
    assert storage.read(db.session.get(Attachment, attachment.id)) == kept
    assert attach_file(case, worker).store == other


def test_an_upload_holds_the_file_once(store, case, worker):
    """A 19 MB scan is read from the request once and stored without another copy of it (the chunks are written
    a megabyte at a time): Python's allocations peak at the file's size and a little."""
    import io
    import tracemalloc

    scan = pdf(padding=19 * 1024 * 1024)
    tracemalloc.start()
    try:
        attach_file(case, worker, kind="medical", stream=io.BytesIO(scan))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(scan) * 1.2


def test_a_backup_copies_the_files_kept_on_disk_beside_the_database(store, case, worker, runner, tmp_path):
    attachment = attach_file(case, worker)
    backup = tmp_path / "backup" / "cases.db"
    backup.parent.mkdir()
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    copied = sorted(path.name for path in (tmp_path / "backup").rglob("*-file"))
    assert copied == ([f"{attachment.id}-file"] if store == "filesystem" else [])


def test_production_keeps_files_in_the_database_and_development_under_the_instance_folder(monkeypatch):
    from app.config import load_config

    monkeypatch.delenv("ATTACHMENT_STORE", raising=False)
    monkeypatch.delenv("ATTACHMENT_DIR", raising=False)
    assert load_config({"APP_ENV": "production", "SECRET_KEY": "s3cret"})["ATTACHMENT_STORE"] == "database"
    development = load_config({"APP_ENV": "development"})
    assert development["ATTACHMENT_STORE"] == "filesystem"
    assert development["ATTACHMENT_DIR"].endswith("/instance/attachments")
    assert development["ATTACHMENT_BODY_LIMIT"] == development["ATTACHMENT_MAX_BYTES"] + 1024 * 1024 == 21 * 1024 ** 2


def test_an_unknown_store_is_refused_at_start(monkeypatch):
    from app.config import ConfigError, load_config

    monkeypatch.setenv("ATTACHMENT_STORE", "s3")
    with pytest.raises(ConfigError, match="ATTACHMENT_STORE"):
        load_config({"APP_ENV": "development"})
