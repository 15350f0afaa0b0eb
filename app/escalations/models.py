from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app.cases.models import DEADLINES, Case, CaseRecord
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.units.models import Unit
from app.users.models import User


class Escalation(CaseRecord, db.Model):
    """A case raised to the unit above the one that must act, until a named person there acknowledges it.

    `trigger` names what was missed (a deadline or a referral's step; empty when raised by hand). The
    unique constraints are what make the sweep safe to run twice, or on two machines at once.
    """

    __tablename__ = "escalations"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "trigger", "to_unit_id"),
        sa.UniqueConstraint("previous_id"),
        sa.Index("ix_escalations_to_unit_id_acknowledged_at", "to_unit_id", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    automatic: Mapped[bool] = mapped_column(default=False)
    trigger: Mapped[str | None] = mapped_column(sa.String(80))
    level: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("escalations.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    raised_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    acknowledgement_note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="escalations")
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id], lazy="joined")
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id], lazy="joined")
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    previous: Mapped[Escalation | None] = relationship(remote_side=[id], foreign_keys=[previous_id])

    @property
    def explanation(self) -> str:
        """Why it was raised, in the reader's language. A person's words stay as written; the sweep's are
        written again from what it saw (the stored `reason`, for the trail, is in the language of the command)."""
        if not self.automatic:
            return self.reason
        if self.previous is not None:
            return unacknowledged(self.previous.explanation)
        return explain(self.trigger or "", self.case.reference) or self.reason


def explained() -> tuple:
    """Loader options for a list that shows explanations: the cases (for their references) and the escalations
    below each one, a statement each rather than one per row. Levels stop at the top of the unit tree."""
    return (selectinload(Escalation.case),
            selectinload(Escalation.previous).selectinload(Escalation.previous).selectinload(Escalation.previous))


def unacknowledged(reason: str) -> str:
    """The reason of an escalation raised higher because nobody acknowledged the one below (`reason`)."""
    return _("Not acknowledged in time: %(reason)s", reason=reason)


def deadline_trigger(name: str, due_at: datetime) -> str:
    """The sweep's key for a missed deadline: its name and due minute (UTC), so that a deadline set again later is
    raised again."""
    return f"deadline:{name}:{due_at.astimezone(timezone.utc):%Y%m%dT%H%M}"


def deadline_trigger_in_sql(name, due_at) -> sa.ColumnElement:
    """`deadline_trigger` written by the database, for the columns `name` and `due_at`."""
    return sa.literal("deadline:") + name + ":" + _utc_minute(due_at)


def referral_trigger(referral_id: int, step: str) -> str:
    """The sweep's key for a referral's step (approval, answer) not taken in time."""
    return f"referral:{referral_id}:{step}"


def referral_trigger_in_sql(referral_id, step: str) -> sa.ColumnElement:
    """`referral_trigger` written by the database, for the column `referral_id`."""
    return sa.literal("referral:") + sa.cast(referral_id, sa.String) + f":{step}"


class _utc_minute(sa.sql.functions.FunctionElement):
    """A moment as YYYYMMDDTHHMM in UTC."""

    type = sa.String()
    inherit_cache = True


@compiles(_utc_minute, "postgresql")
def _utc_minute_in_postgresql(element, compiler, **kw):
    return f"to_char(timezone('UTC', {compiler.process(element.clauses, **kw)}), 'YYYYMMDD\"T\"HH24MI')"


@compiles(_utc_minute, "sqlite")
def _utc_minute_in_sqlite(element, compiler, **kw):
    # SQLite keeps UTC without an offset (orm.UTCDateTime).
    return f"strftime('%Y%m%dT%H%M', {compiler.process(element.clauses, **kw)})"


def explain(trigger: str, reference: str) -> str | None:
    """What the sweep's `trigger` names, in the current language; None for one it does not write."""
    kind, _colon, rest = trigger.partition(":")
    if kind == "deadline":
        name = rest.split(":")[0]
        if name in DEADLINES:
            return _("Deadline missed: %(deadline)s (case %(reference)s).", deadline=DEADLINES[name],
                     reference=reference)
    if kind == "referral":
        number, _colon, step = rest.partition(":")
        if number.isdigit() and step == "approval":
            return _("Referral %(number)d was not approved in time.", number=int(number))
        if number.isdigit() and step == "answer":
            return _("Referral %(number)d was not answered in time.", number=int(number))
    return None
