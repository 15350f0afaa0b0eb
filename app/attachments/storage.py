"""Where an attachment's bytes are kept, and how they commit with its row.

"database": the bytes go into `attachment_chunks` in the transaction that inserts the row, so the two commit
together or not at all, and every application host reads them (issue 17, point 5).
"filesystem": for one host (`make run`): each part is written to a temporary file and renamed into place just before
the row commits; a failed commit removes it. Only a process killed between the rename and the commit can leave a
file without a row: `sweep_orphans` removes those, once they are older than any upload still under way.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.attachments.models import PARTS, Attachment, AttachmentChunk
from app.extensions import db

CHUNK_BYTES = 1024 * 1024
# An upload takes seconds; a file this old without its row was left by an upload that never committed.
ORPHAN_AGE = timedelta(hours=1)
_STORED_NAME = re.compile(r"(\d+)-(file|thumbnail)")
_TEMPORARY_SUFFIX = ".partial"


class FileMissing(LookupError):
    """The store holds no bytes for an attachment's part."""


def configured_store() -> str:
    return current_app.config["ATTACHMENT_STORE"]


def write(attachment: Attachment, parts: dict[str, bytes]) -> None:
    """Store `parts` (part name: bytes) of `attachment`, whose row is flushed (its id known) and not yet committed.
    On the filesystem, call `discard` if the commit then fails."""
    if attachment.store == "database":
        # A chunk at a time: the file is not copied whole into the statement's parameters.
        for part, data in parts.items():
            for seq, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES)):
                db.session.execute(sa.insert(AttachmentChunk).values(
                    attachment_id=attachment.id, part=part, seq=seq, data=data[start:start + CHUNK_BYTES]))
    else:
        for part, data in parts.items():
            _write_file(_path(attachment.id, part), data)


def discard(store: str, attachment_id: int) -> None:
    """Remove the files of an upload whose row did not commit (the database store's chunks went with the rollback)."""
    if store == "filesystem":
        for part in PARTS:
            _path(attachment_id, part).unlink(missing_ok=True)


def read(attachment: Attachment, part: str = "file") -> bytes:
    return b"".join(chunks(attachment, part))


def chunks(attachment: Attachment, part: str = "file") -> Iterator[bytes]:
    """The part's bytes, a piece at a time (at most CHUNK_BYTES held at once); FileMissing if there are none."""
    if attachment.store == "database":
        yield from _database_chunks(attachment.id, part)
    else:
        try:
            with _path(attachment.id, part).open("rb") as file:
                while piece := file.read(CHUNK_BYTES):
                    yield piece
        except FileNotFoundError:
            raise FileMissing(part) from None


def _database_chunks(attachment_id: int, part: str) -> Iterator[bytes]:
    seqs = list(db.session.scalars(sa.select(AttachmentChunk.seq).where(
        AttachmentChunk.attachment_id == attachment_id, AttachmentChunk.part == part).order_by(AttachmentChunk.seq)))
    if not seqs:
        raise FileMissing(part)
    # One chunk per round trip, so that a 20 MB file is never held whole to be hashed.
    for seq in seqs:
        yield db.session.scalar(sa.select(AttachmentChunk.data).where(
            AttachmentChunk.attachment_id == attachment_id, AttachmentChunk.part == part, AttachmentChunk.seq == seq))


def sha256_of(attachment: Attachment, part: str = "file") -> str:
    digest = hashlib.sha256()
    for piece in chunks(attachment, part):
        digest.update(piece)
    return digest.hexdigest()


def orphans(older_than: timedelta = ORPHAN_AGE) -> list[Path]:
    """Files of the filesystem store that no row of that store names (and temporary files), older than
    `older_than`. The database store has none: its chunks refer to their row and commit with it."""
    root = Path(current_app.config["ATTACHMENT_DIR"])
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than.total_seconds()
    candidates: dict[Path, int | None] = {}
    for path in root.rglob("*"):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        matched = _STORED_NAME.fullmatch(path.name)
        candidates[path] = int(matched.group(1)) if matched else None
    ids = {id_ for id_ in candidates.values() if id_ is not None}
    kept = set(db.session.scalars(sa.select(Attachment.id).where(Attachment.id.in_(ids),
                                                                  Attachment.store == "filesystem"))) if ids else set()
    return sorted(path for path, id_ in candidates.items() if id_ not in kept)


def _path(attachment_id: int, part: str) -> Path:
    # A thousand files a folder at most.
    return Path(current_app.config["ATTACHMENT_DIR"]) / str(attachment_id // 1000) / f"{attachment_id}-{part}"


def _write_file(path: Path, data: bytes) -> None:
    """Write whole or not at all: a reader never sees half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}{_TEMPORARY_SUFFIX}")
    try:
        with temporary.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
