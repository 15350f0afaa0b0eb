from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.access import Role
from app.audit.recorder import Audited
from app.orm import UTCDateTime, utcnow
from app.extensions import db
from app.units.models import Unit


def normalise_username(username: str | None) -> str:
    """Usernames are compared and stored trimmed and in lower case."""
    return (username or "").strip().lower()


class User(Audited, UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint(sa.column("role").in_([r.value for r in Role]), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    # Optional: where email notices go, when the deployment sends them.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(32))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the session cookie's user id: raising it signs the user out everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when an administrator chose the password (a new account, a reset): until its owner chooses their own,
    # every page but the password page leads there and the API refuses the account.
    must_choose_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    unit: Mapped[Unit] = relationship(lazy="joined")

    __audit_secret__ = frozenset({"password_hash"})

    def audit_unit_path(self) -> str:
        return self.unit.path

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self):
        return Role(self.role).label

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now
