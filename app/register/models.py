"""The children's register: every child in special circumstances, or at risk, known to the commune (issue 18)."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.children.models import Child
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.units.models import Unit


CONFIRMED, AWAITING, REJECTED = "confirmed", "awaiting", "rejected"
CONFIRMATIONS = (CONFIRMED, AWAITING, REJECTED)


class RegisterEntry(Audited, db.Model):
    """One per child: kept by the commune that registered the child."""

    __tablename__ = "register_entries"
    __table_args__ = (sa.Index("ix_register_entries_unit_review", "unit_id", "next_review_on"),
                      # The list's order across a district or a province: read in order, not sorted (bench/register.py).
                      sa.Index("ix_register_entries_review_order", "next_review_on", "id"),
                      # What waits for the commune worker's confirmation, at the top of their list: a handful among
                      # the commune's thousands (bench/register.py).
                      sa.Index("ix_register_entries_awaiting", "unit_id", "created_at", "id",
                               postgresql_where=sa.text("confirmation = 'awaiting'"),
                               sqlite_where=sa.text("confirmation = 'awaiting'")))

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(sa.ForeignKey("children.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    registered_on: Mapped[date]
    # Where and with whom the child lives (a place code of LIVING_PLACES, and the people, as the worker writes them).
    # Not yet recorded for a child added over the API (API.md asks only the groups).
    living_place: Mapped[str | None] = mapped_column(sa.String(30))
    lives_with: Mapped[str | None] = mapped_column(sa.String(200))
    health_insurance: Mapped[str | None] = mapped_column(sa.String(15))
    disability_certificate: Mapped[str | None] = mapped_column(sa.String(30))
    last_reviewed_on: Mapped[date | None]
    next_review_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Who put the child on the register; a village collaborator's entry waits for the commune worker's confirmation
    # (CONFIRMATIONS), and a rejected one stays, with its reason, rather than being deleted.
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    confirmation: Mapped[str] = mapped_column(sa.String(12), default=CONFIRMED, server_default=CONFIRMED)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(300))
    # Who makes the next review's visit: a worker of the commune or one of its village collaborators, chosen by the
    # commune's worker (issue 18, point 2); none, every worker of the commune.
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    __mapper_args__ = {"version_id_col": version}

    child: Mapped[Child] = relationship()
    unit: Mapped[Unit] = relationship()
    added_by = relationship("User", foreign_keys=[added_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    groups: Mapped[list[RegisterGroup]] = relationship(back_populates="entry", order_by="RegisterGroup.since")
    supports: Mapped[list[RegisterSupport]] = relationship(back_populates="entry",
                                                           order_by="RegisterSupport.started_on.desc()")
    reviews: Mapped[list[RegisterReview]] = relationship(back_populates="entry",
                                                         order_by="RegisterReview.reviewed_on.desc()")

    def audit_unit_path(self) -> str | None:
        return self.unit.path if self.unit else None

    @property
    def awaiting(self) -> bool:
        return self.confirmation == AWAITING

    @property
    def current_groups(self) -> list[RegisterGroup]:
        return [group for group in self.groups if group.left_on is None]

    @property
    def review_waiting(self) -> RegisterReview | None:
        """A collaborator's review recorded and waiting for the commune's confirmation (one at a time)."""
        return next((review for review in self.reviews if review.awaiting), None)

    @property
    def past_groups(self) -> list[RegisterGroup]:
        return [group for group in self.groups if group.left_on is not None]


class _Part(Audited):
    """A part of an entry is filed under the entry's commune."""

    def audit_unit_path(self) -> str | None:
        return self.entry.unit.path if self.entry is not None else None


class RegisterGroup(_Part, db.Model):
    """A child's membership of one group, since a day; leaving it is recorded with a day and a reason, never by
    deleting the row."""

    __tablename__ = "register_groups"
    __table_args__ = (sa.CheckConstraint("(left_on IS NULL) = (left_reason IS NULL)", name="left_with_reason"),
                      sa.Index("ix_register_groups_entry", "entry_id"),
                      sa.Index("ix_register_groups_group", "group_key", "entry_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("register_entries.id"))
    group_key: Mapped[str] = mapped_column(sa.String(40))
    sub_case: Mapped[str | None] = mapped_column(sa.String(40))
    since: Mapped[date]
    left_on: Mapped[date | None]
    left_reason: Mapped[str | None] = mapped_column(sa.String(300))

    entry: Mapped[RegisterEntry] = relationship(back_populates="groups")


class RegisterSupport(_Part, db.Model):
    """Support the child receives: a cash allowance (Decree 20/2021), a service, alternative care."""

    __tablename__ = "register_supports"
    __table_args__ = (sa.Index("ix_register_supports_entry", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("register_entries.id"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    description: Mapped[str] = mapped_column(sa.String(300))
    # Cash allowances only: đồng a month.
    monthly_amount: Mapped[int | None]
    started_on: Mapped[date]
    ended_on: Mapped[date | None]

    entry: Mapped[RegisterEntry] = relationship(back_populates="supports")


# A collaborator's review, as the commune worker decides it: (confirmation, action) → the confirmation after. A
# rejected review stays, with its reason, and is not decided again: the collaborator records the review anew.
REVIEW_TRANSITIONS: dict[tuple[str, str], str] = {
    (AWAITING, "confirm"): CONFIRMED,
    (AWAITING, "reject"): REJECTED,
}


class RegisterReview(_Part, db.Model):
    """A review as recorded. A village collaborator's waits for the commune worker's confirmation (AWAITING), as
    what they add to the register does: until then the entry's next review stays due, and stays so when the worker
    rejects it (REVIEW_TRANSITIONS)."""

    __tablename__ = "register_reviews"
    __table_args__ = (sa.Index("ix_register_reviews_entry", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("register_entries.id"))
    reviewed_on: Mapped[date]
    reviewed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    notes: Mapped[str] = mapped_column(sa.Text)
    next_review_on: Mapped[date]
    confirmation: Mapped[str] = mapped_column(sa.String(12), default=CONFIRMED, server_default=CONFIRMED)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(300))

    entry: Mapped[RegisterEntry] = relationship(back_populates="reviews")
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def awaiting(self) -> bool:
        return self.confirmation == AWAITING

    @property
    def rejected(self) -> bool:
        return self.confirmation == REJECTED


class RegisterReviewEscalation(_Part, db.Model):
    """A review overdue by REVIEW_RAISED_AFTER, raised by the deadline sweep to the unit above the commune, and
    higher while nobody there acknowledges it, as a late report is (app/reporting). `due_on` is the missed review's
    day: the next review missed raises anew. It is open while unacknowledged and the review not recorded. The
    constraints make the sweep safe to run twice."""

    __tablename__ = "register_review_escalations"
    __table_args__ = (sa.UniqueConstraint("entry_id", "due_on", "to_unit_id"), sa.UniqueConstraint("previous_id"),
                      sa.Index("ix_register_review_escalations_to_unit_acknowledged", "to_unit_id",
                               "acknowledged_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("register_entries.id"), index=True)
    due_on: Mapped[date]
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    level: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_review_escalations.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    entry: Mapped[RegisterEntry] = relationship(lazy="joined")
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id], lazy="joined")
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])


class RegisterImport(db.Model):
    """A file's rows as read and checked, kept between the preview and the confirmation: in the database, since the
    application runs on several hosts and a session cookie cannot hold 5,000 rows. Not the register itself (no
    child is changed until it is confirmed), so not audited; confirming it is."""

    __tablename__ = "register_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    encoding: Mapped[str | None] = mapped_column(sa.String(10))
    rows: Mapped[list] = mapped_column(sa.JSON)
    warnings: Mapped[list] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
