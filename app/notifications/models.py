from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.orm import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    """An email notice, written in the same transaction as the event it announces and sent later.

    Notices name a case only by its reference: no child's name or details leave the system by email.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (sa.Index("ix_mail_outbox_unsent", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
