"""Files attached to a case as evidence: photos, scans of signed forms, reports from the police, a school, a doctor.

The row is audited: its create entry carries every column, the stored file's SHA-256 with them, so the trail's
hash chain covers the file's content. The bytes themselves are in `attachment_chunks` (the database store) or under
the instance folder (the filesystem store); `store` says which, so that changing the setting leaves earlier files
readable.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.models import Case, CaseRecord
from app.documents.models import DecisionNumber
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.users.models import User

KINDS = {
    "injury_photo": _l("Photo of an injury"),
    "medical": _l("Medical certificate or record"),
    "police": _l("Police record"),
    "school": _l("School record"),
    "signed_form": _l("Signed form"),
    "consent": _l("Written consent"),
    "other": _l("Other document"),
}
# The forms of Decree 56/2017's appendix, whose signed paper is scanned and attached.
SIGNED_FORMS = {
    "01": _l("Mẫu 01: the report"),
    "02": _l("Mẫu 02: the initial assessment"),
    "03": _l("Mẫu 03: the detailed assessment"),
    "04": _l("Mẫu 04: the support plan"),
    "05": _l("Mẫu 05: the decision approving the plan"),
    "06": _l("Mẫu 06: the review"),
    "07": _l("Mẫu 07: the decision on temporary isolation"),
}
# The forms that print a numbered decision (app/documents/models.py, DECISION_FORMS): their scan names the decision.
DECISION_FORM_OF = {"05": "mau-05", "07": "mau-07"}
MEDIA_TYPES = ("image/jpeg", "image/png", "application/pdf")
STORES = ("database", "filesystem")
PARTS = ("file", "thumbnail")


class Attachment(CaseRecord, db.Model):
    """A file attached to a case. Never replaced or edited: a mistaken one is withdrawn with a reason, and stays
    held for inspectors and the trail."""

    __tablename__ = "attachments"
    __table_args__ = (
        sa.CheckConstraint(sa.column("kind").in_(list(KINDS)), name="kind"),
        sa.CheckConstraint(sa.column("media_type").in_(MEDIA_TYPES), name="media_type"),
        sa.CheckConstraint(sa.column("store").in_(STORES), name="store"),
        sa.CheckConstraint("(kind = 'signed_form') = (form IS NOT NULL)", name="form_of_signed_form"),
        sa.CheckConstraint("(withdrawn_at IS NULL) = (withdrawal_reason IS NULL)", name="withdrawal_reason"),
        sa.Index("ix_attachments_decision_id", "decision_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision_numbers.id"))
    form: Mapped[str | None] = mapped_column(sa.String(2))
    description: Mapped[str] = mapped_column(sa.Text)
    made_on: Mapped[date]
    filename: Mapped[str] = mapped_column(sa.String(200))
    media_type: Mapped[str] = mapped_column(sa.String(32))
    size: Mapped[int]
    original_sha256: Mapped[str] = mapped_column(sa.String(64))
    stored_sha256: Mapped[str] = mapped_column(sa.String(64))
    has_thumbnail: Mapped[bool] = mapped_column(default=False)
    pdf_has_script: Mapped[bool] = mapped_column(default=False)
    store: Mapped[str] = mapped_column(sa.String(16))
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship()
    decision: Mapped[DecisionNumber | None] = relationship()
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def form_label(self) -> str | None:
        return SIGNED_FORMS[self.form] if self.form else None

    @property
    def may_show_inline(self) -> bool:
        """Only images the server re-encoded are shown in the page; a PDF is always downloaded (it may carry
        scripts, and a browser's viewer runs them)."""
        return self.is_image and not self.is_withdrawn


class AttachmentChunk(db.Model):
    """A piece of an attachment's bytes (the database store), inserted in the transaction that inserts the row: the
    two commit together or not at all. Never updated; the migration's triggers refuse it."""

    __tablename__ = "attachment_chunks"

    attachment_id: Mapped[int] = mapped_column(sa.ForeignKey("attachments.id"), primary_key=True)
    part: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
