"""How the trail tells the files of a case (app/audit/narrative.py): who attached, withdrew or opened which file of
which case. The entry that records a file carries its every column, the SHA-256 fingerprints with them: the
inspector reads them there, as the evidence's fingerprint."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from app.audit.narrative import Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.attachments.models import KINDS, SIGNED_FORMS, Attachment

FIELDS = {
    "description": _l("Description"), "kind": _l("What it is"), "form": _l("Form"),
    "decision_id": _l("Decision"), "made_on": _l("Made on"), "filename": _l("File name"),
    "media_type": _l("Type of file"), "size": _l("Size in bytes"),
    "stored_sha256": _l("Fingerprint of the file kept (SHA-256)"),
    "original_sha256": _l("Fingerprint of the file as sent (SHA-256)"),
    "has_thumbnail": _l("Has a thumbnail"), "pdf_has_script": _l("PDF holds scripts"),
    "added_by_id": _lp("attached file", "Added by"), "added_at": _l("Added at"), "withdrawn_at": _l("Withdrawn at"),
    "withdrawn_by_id": _l("Withdrawn by"), "withdrawal_reason": _l("Reason for withdrawal"),
}


MEDIA_TYPES = {"image/jpeg": _l("JPEG photo"), "image/png": _l("PNG image"), "application/pdf": _l("PDF document")}


@dataclass(frozen=True)
class File:
    """What the trail names of a file: its description, kind and date."""

    description: str
    kind: str
    made_on: str

    def __str__(self) -> str:
        return f"“{self.description}”"


def _files(session, ids) -> dict[int, File]:
    rows = session.execute(sa.select(Attachment.id, Attachment.description, Attachment.kind, Attachment.made_on)
                           .where(Attachment.id.in_(ids)))
    return {number: File(description, str(KINDS.get(kind, kind)), made_on.strftime("%d/%m/%Y"))
            for number, description, kind, made_on in rows}


def _named(reading: Reading) -> str:
    """The file, by its description as the entry holds it, or as the table holds it now."""
    description = reading.value("description")
    if description:
        return f"“{description}”"
    return str(reading.subject) if reading.subject is not None else _("file no. %(id)s", id=reading.entry.entity_id)


def _attachment_sentence(reading: Reading) -> str | None:
    actor, case = reading.actor, reading.case
    if reading.action == "create":
        return _("%(actor)s attached %(file)s (%(kind)s, made on %(day)s) to case %(case)s.", actor=actor,
                 file=_named(reading), kind=reading.shown("kind", reading.value("kind")),
                 day=reading.shown("made_on", reading.value("made_on")), case=case)
    if reading.action == "update" and reading.after("withdrawn_at"):
        return _("%(actor)s withdrew %(file)s from case %(case)s: %(reason)s.", actor=actor, file=_named(reading),
                 case=case, reason=reading.after("withdrawal_reason") or "–")
    return None


def _viewed_sentence(reading: Reading) -> str:
    thumbnail = reading.after("thumbnail") is True or reading.after("part") == "thumbnail"
    if thumbnail:
        return _("%(actor)s saw the thumbnail of %(file)s of case %(case)s.", actor=reading.actor,
                 file=_named(reading), case=reading.case)
    return _("%(actor)s opened %(file)s of case %(case)s.", actor=reading.actor, file=_named(reading),
             case=reading.case)


def _verified_sentence(reading: Reading) -> str:
    changed, missing = reading.after("changed") or [], reading.after("missing") or []
    if not changed and not missing:
        return _("%(actor)s checked the %(count)s attached files against their fingerprints: every one is as it was "
                 "added.", actor=reading.actor, count=reading.after("files"))
    return _("%(actor)s checked the %(count)s attached files against their fingerprints: %(changed)s changed, "
             "%(missing)s missing.", actor=reading.actor, count=reading.after("files"), changed=len(changed),
             missing=len(missing))


def _file_numbers(reading: Reading, value) -> str:
    return ", ".join(str(number) for number in value) if isinstance(value, list) else str(value)


def _orphans_sentence(reading: Reading) -> str:
    return _("%(actor)s removed %(count)s stored files that no record named, left by uploads that did not finish.",
             actor=reading.actor, count=len(reading.after("files") or []))


describe_reference("attachment", _files)
describe_table(
    Attachment, sentence=_attachment_sentence, subject="attachment", fields=FIELDS,
    record=lambda reading: _("the file %(file)s of case %(case)s", file=_named(reading), case=reading.case),
    hidden=("id", "case_id", "store"), values={"kind": KINDS, "form": SIGNED_FORMS, "media_type": MEDIA_TYPES},
    references={"added_by_id": "person", "withdrawn_by_id": "person"})
describe_action("attachment_viewed", _viewed_sentence, subject="attachment")
describe_action("attachment_files_verified", _verified_sentence,
                fields={"changed": _l("Files changed (numbers)"), "missing": _l("Files missing (numbers)")},
                formats={"changed": _file_numbers, "missing": _file_numbers})
describe_action("attachment_orphans_removed", _orphans_sentence)
