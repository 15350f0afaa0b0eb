"""The rules of attachments, which the pages and the API both call.

A file is read from the request with a limit, its type taken from its content, images re-encoded without their
metadata, then stored with its row in one commit (storage.py). A refusal stores nothing. Every reading of a file's
bytes is in the trail. Nothing here replaces or edits a file: it can only be withdrawn, with a reason.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask import abort, current_app, has_request_context
from flask_babel import gettext as _

from app.access import (can, may_add_attachment, may_withdraw_attachment, refuse, scoped_attachments,
                        subtree_unit_ids)
from app.attachments import media, storage
from app.attachments.models import DECISION_FORM_OF, KINDS, SIGNED_FORMS, Attachment
from app.audit.models import AuditEntry
from app.audit.recorder import actor_for, record
from app.cases.models import Case
from app.deadlines.services import local_zone
from app.documents.models import DecisionNumber
from app.extensions import db
from app.input_guard import whole_number
from app.orm import utcnow
from app.units.models import Unit

__all__ = ["KINDS", "SIGNED_FORMS", "AttachmentRefused", "FileProblem", "Usage", "attach", "withdraw",
           "attachments_of", "find", "content", "unsigned_decisions", "usage", "usage_of_case", "verify_files",
           "sweep_orphans"]

DESCRIPTION_MAX = 1000
FILENAME_STEM_MAX = 150


class AttachmentRefused(ValueError):
    """A file or a change that is not taken; nothing was stored. `message` is for the person, `status` for the
    API (422: the request is wrong; 403: not for this person; 409: the file's state forbids it)."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass(frozen=True)
class FileProblem:
    attachment: Attachment
    problem: str  # "changed" or "missing"


class Usage(NamedTuple):
    unit: Unit
    cases_count: int
    files_count: int
    size: int


def attach(actor, case: Case, *, stream, filename: str | None, kind: str, description: str | None,
           made_on: date | None, form: str | None = None, decision: DecisionNumber | None = None) -> Attachment:
    """Attach the file read from `stream` to `case`, and commit; AttachmentRefused, with nothing stored, if the
    person may not, the details are wrong, or the file is too large or not a photo or a PDF."""
    if not may_add_attachment(actor, case):
        raise AttachmentRefused(_("You cannot add files to this case."), status=403)
    description = _checked_details(case, kind, description, made_on, form, decision)
    data = _read_limited(stream)
    try:
        prepared = media.prepare(data, current_app.config["ATTACHMENT_MAX_PIXELS"])
    except media.Unusable as unusable:
        raise AttachmentRefused(unusable.message) from None
    del data  # from here on only what is stored is held
    attachment = Attachment(
        case=case, kind=kind, form=form if kind == "signed_form" else None, decision=decision,
        description=description, made_on=made_on, filename=_clean_filename(filename, kind, prepared.media_type),
        media_type=prepared.media_type, size=len(prepared.data), original_sha256=prepared.original_sha256,
        stored_sha256=prepared.stored_sha256, has_thumbnail=prepared.thumbnail is not None,
        pdf_has_script=prepared.pdf_has_script, store=storage.configured_store(), added_by_id=actor.id,
        added_at=utcnow())
    parts = {"file": prepared.data}
    if prepared.thumbnail is not None:
        parts["thumbnail"] = prepared.thumbnail
    db.session.add(attachment)
    attachment_id = None
    try:
        db.session.flush()
        attachment_id = attachment.id
        storage.write(attachment, parts)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if attachment_id is not None:
            storage.discard(attachment.store, attachment_id)
        raise
    return attachment


def _checked_details(case: Case, kind: str, description: str | None, made_on: date | None, form: str | None,
                     decision: DecisionNumber | None) -> str:
    """The description, cleaned, once every detail is right; else AttachmentRefused."""
    if kind not in KINDS:
        raise AttachmentRefused(_("Choose what kind of document this is."))
    if kind == "signed_form":
        if form not in SIGNED_FORMS:
            raise AttachmentRefused(_("Choose which form (Mẫu 01 to Mẫu 07) this is the signed copy of."))
        if form in DECISION_FORM_OF:
            if decision is None or decision.case_id != case.id or decision.form != DECISION_FORM_OF[form]:
                raise AttachmentRefused(_("Choose the numbered decision of this case that was signed."))
        elif decision is not None:
            raise AttachmentRefused(_("Only the signed Mẫu 05 and Mẫu 07 name a numbered decision."))
    elif form is not None or decision is not None:
        raise AttachmentRefused(_("Only a signed form names a form or a decision."))
    description = (description or "").strip()
    if not description:
        raise AttachmentRefused(_("Say what the file shows."))
    if len(description) > DESCRIPTION_MAX:
        raise AttachmentRefused(_("The description is too long: at most %(count)d characters.",
                                  count=DESCRIPTION_MAX))
    if made_on is None:
        raise AttachmentRefused(_("Give the date the photo was taken or the document made."))
    if made_on > utcnow().astimezone(local_zone()).date():
        raise AttachmentRefused(_("The date the photo was taken or the document made cannot be in the future."))
    return description


def _read_limited(stream) -> bytes:
    """The stream's bytes, reading no more than one byte past the limit."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    # Asked for at once, a file or a spooled upload gives everything in one piece, which is then not copied.
    pieces, received = [], 0
    while received <= limit:
        piece = stream.read(limit + 1 - received)
        if not piece:
            break
        pieces.append(piece)
        received += len(piece)
    if received > limit:
        raise AttachmentRefused(_("The file is larger than %(size)s MB, the most accepted. Nothing was saved.",
                                  size=limit // (1024 * 1024)), status=413)
    if not received:
        raise AttachmentRefused(_("The file is empty. Nothing was saved."))
    return b"".join(pieces)


def _clean_filename(name: str | None, kind: str, media_type: str) -> str:
    """The name as the person's device gave it, without folders or control characters, ending in the extension of
    the type stored (a HEIC photo is kept as JPEG)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    stem = name.rpartition(".")[0] if "." in name.strip(".") else name
    stem = stem.strip(" .")[:FILENAME_STEM_MAX].strip(" .") or str(KINDS[kind])
    return f"{stem}.{media.extension_for(media_type)}"


def withdraw(actor, attachment: Attachment, reason: str | None) -> None:
    """Withdraw a file added by mistake: hidden from the case's lists, still held for inspectors and the trail."""
    reason = (reason or "").strip()
    db.session.refresh(attachment, with_for_update=True)  # of two withdrawals at once, the second is told
    refusal = None
    if attachment.is_withdrawn:
        refusal = AttachmentRefused(_("This file was withdrawn already."), status=409)
    elif not may_withdraw_attachment(actor, attachment):
        refusal = AttachmentRefused(_("You cannot withdraw files of this case."), status=403)
    elif not reason:
        refusal = AttachmentRefused(_("Say why the file is withdrawn."))
    if refusal is not None:
        db.session.rollback()
        raise refusal
    attachment.withdrawn_at = utcnow()
    attachment.withdrawn_by_id = actor.id
    attachment.withdrawal_reason = reason
    db.session.commit()


def attachments_of(viewer, case: Case, *, include_withdrawn: bool = False) -> list[Attachment]:
    """The case's files `viewer` may read, the newest first."""
    query = scoped_attachments(viewer).where(Attachment.case_id == case.id)
    if not include_withdrawn:
        query = query.where(Attachment.withdrawn_at.is_(None))
    return list(db.session.scalars(query.order_by(Attachment.added_at.desc(), Attachment.id.desc())))


def find(viewer, attachment_id) -> Attachment:
    """The attachment, if `viewer` may read it; else 404 (whether it exists is not told), recorded."""
    number = whole_number(str(attachment_id))  # whatever a URL held: PostgreSQL refuses ids beyond 32 bits
    found = db.session.scalar(scoped_attachments(viewer).where(Attachment.id == number)) if number else None
    if found is None:
        if has_request_context():
            refuse(404, entity="attachments", entity_id=attachment_id)
        abort(404)
    return found


def content(viewer, attachment: Attachment, *, thumbnail: bool = False) -> bytes:
    """The stored bytes of the file (or its thumbnail), the reading recorded in the trail and committed. A file
    whose bytes no longer match the hash recorded when it was added is not handed out."""
    find(viewer, attachment.id)
    if thumbnail and not attachment.has_thumbnail:
        abort(404)
    part = "thumbnail" if thumbnail else "file"
    try:
        data = storage.read(attachment, part)
    except storage.FileMissing:
        raise AttachmentRefused(_("This file is missing from the store. Tell the system administrator."),
                                status=410) from None
    if not thumbnail and media.sha256(data) != attachment.stored_sha256:
        raise AttachmentRefused(_("This file has changed since it was added, so it is not shown. Tell the system "
                                  "administrator."), status=409)
    record(db.session, "attachment_viewed", entity="attachments", entity_id=attachment.id,
           case_ref=attachment.case.reference, unit_path=attachment.case.unit.path, changes={"part": part},
           actor=actor_for(viewer))
    db.session.commit()
    return data


def unsigned_decisions(case: Case) -> list[DecisionNumber]:
    """The case's numbered decisions (Mẫu 05, Mẫu 07) with no scan of the signed paper attached yet."""
    signed = sa.select(Attachment.decision_id).where(Attachment.decision_id.is_not(None),
                                                     Attachment.withdrawn_at.is_(None))
    return list(db.session.scalars(sa.select(DecisionNumber).where(
        DecisionNumber.case_id == case.id, DecisionNumber.id.not_in(signed)).order_by(DecisionNumber.id)))


def usage(viewer) -> list[Usage]:
    """The files held per unit under the province officer (withdrawn ones too: they are still stored), in the
    order of the tree; units without files left out."""
    if not can(viewer, "attachments.usage"):
        return []
    ids = subtree_unit_ids(viewer.unit)
    rows = db.session.execute(
        sa.select(Case.unit_id, sa.func.count(sa.distinct(Case.id)), sa.func.count(Attachment.id),
                  sa.func.coalesce(sa.func.sum(Attachment.size), 0))
        .join(Case, Case.id == Attachment.case_id).where(Case.unit_id.in_(ids)).group_by(Case.unit_id)).all()
    units = {unit.id: unit for unit in db.session.scalars(sa.select(Unit).where(Unit.id.in_([r[0] for r in rows])))}
    return sorted((Usage(units[unit_id], cases, files, size) for unit_id, cases, files, size in rows),
                  key=lambda line: line.unit.path)


def usage_of_case(case: Case) -> tuple[int, int]:
    """How many files the case holds, and their bytes (withdrawn ones included)."""
    files, size = db.session.execute(sa.select(sa.func.count(Attachment.id),
                                               sa.func.coalesce(sa.func.sum(Attachment.size), 0))
                                     .where(Attachment.case_id == case.id)).one()
    return files, size


VERIFY_BATCH = 200


def verify_files() -> list[FileProblem]:
    """Hash every stored file again, a piece at a time; the files changed since they were added, or missing.

    A file is compared with the hash its creation entry in the trail carries (the chain vouches for that one), and
    with its row's: a file changed together with its row's hash by hand is still found."""
    problems = []
    ids = list(db.session.scalars(sa.select(Attachment.id).order_by(Attachment.id)))
    for start in range(0, len(ids), VERIFY_BATCH):
        batch_ids = ids[start:start + VERIFY_BATCH]
        recorded = _hashes_recorded(batch_ids)
        batch = db.session.scalars(sa.select(Attachment).where(Attachment.id.in_(batch_ids)).order_by(Attachment.id))
        for attachment in list(batch):
            expected = {attachment.stored_sha256, recorded.get(attachment.id, attachment.stored_sha256)}
            try:
                changed = len(expected) > 1 or storage.sha256_of(attachment) not in expected
            except storage.FileMissing:
                problems.append(FileProblem(attachment, "missing"))
                continue
            if changed:
                problems.append(FileProblem(attachment, "changed"))
            else:
                db.session.expunge(attachment)  # the session keeps only the files to name
    return problems


def _hashes_recorded(attachment_ids: list[int]) -> dict[int, str]:
    """The stored files' hashes as the trail's creation entries of these attachments recorded them."""
    entries = db.session.execute(sa.select(AuditEntry.entity_id, AuditEntry.changes).where(
        AuditEntry.entity == "attachments", AuditEntry.action == "create",
        AuditEntry.entity_id.in_([str(id_) for id_ in attachment_ids])))
    recorded = {}
    for entity_id, changes in entries:
        after = json.loads(changes or "{}").get("stored_sha256", [None, None])[1]
        if after:
            recorded[int(entity_id)] = after
    return recorded


def record_file_verification(checked: int, problems: list[FileProblem]) -> None:
    record(db.session, "attachment_files_verified", changes={
        "files": checked, "changed": [p.attachment.id for p in problems if p.problem == "changed"],
        "missing": [p.attachment.id for p in problems if p.problem == "missing"]})
    db.session.commit()


def sweep_orphans(older_than: timedelta = storage.ORPHAN_AGE) -> int:
    """Remove the stored files no row names (left by an upload that never committed), older than `older_than`;
    recorded in the trail. How many were removed."""
    removed = storage.orphans(older_than)
    for path in removed:
        path.unlink(missing_ok=True)
    if removed:
        record(db.session, "attachment_orphans_removed", changes={"files": [path.name for path in removed]})
        db.session.commit()
    return len(removed)
