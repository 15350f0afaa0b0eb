from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.orm import UTCDateTime

GENESIS_HASH = "0" * 64
MAX_ENTRY_ID = 2**63 - 1  # the range of a BIGINT; route converters refuse larger ids


class AuditEntry(db.Model):
    """One link of the chain. Rows are only ever inserted (the database refuses the rest).

    `id` is assigned by the writer holding the chain's head, never by a sequence,
    so that ids have no gaps and follow the chain.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_case_ref_id", "case_ref", "id"),
        sa.Index("ix_audit_entries_actor_at", "actor", "at"),
        sa.Index("ix_audit_entries_action_at", "action", "at"),
        sa.Index("ix_audit_entries_at", "at"),
        sa.Index("ix_audit_entries_unit_path", "unit_path", postgresql_ops={"unit_path": "text_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                                    autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(sa.String(80))
    actor_id: Mapped[int | None]
    actor_role: Mapped[str | None] = mapped_column(sa.String(32))
    actor_unit: Mapped[str | None] = mapped_column(sa.String(16))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(40))
    entity: Mapped[str | None] = mapped_column(sa.String(40))
    entity_id: Mapped[str | None] = mapped_column(sa.String(40))
    case_ref: Mapped[str | None] = mapped_column(sa.String(40))
    # The unit the entry is about, as a materialized path: scoping is a prefix match.
    unit_path: Mapped[str | None] = mapped_column(sa.String(255))
    changes: Mapped[str | None] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    # Not indexed: nothing looks an entry up by its hash, and every index costs each audited change.
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditHead(db.Model):
    """The single row naming the last link; writers lock it to extend the chain one at a time."""

    __tablename__ = "audit_head"
    __table_args__ = (sa.CheckConstraint(sa.column("id") == 1, name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"))
    last_hash: Mapped[str] = mapped_column(sa.String(64))
