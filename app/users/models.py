from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.access import Role, role_label
from app.audit.recorder import Audited
from app.orm import UTCDateTime, utcnow
from app.extensions import db
from app.units.models import Unit


def normalise_username(username: str | None) -> str:
    """Usernames are compared and stored trimmed and in lower case."""
    return (username or "").strip().lower()


# A commune leader's office: the chairman signs decisions as "CHỦ TỊCH", a vice-chairman on the chairman's behalf
# as "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (Decree 30/2020 on administrative documents, art. 13; Decree 56/2017 arts. 30, 32).
OFFICES = {"chairman": _l("Chairman of the People's Committee"),
           "vice_chairman": _l("Vice-chairman of the People's Committee")}


class User(Audited, UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint(sa.column("role").in_([r.value for r in Role]), name="role"),
                      sa.CheckConstraint(sa.column("office").in_(list(OFFICES)), name="office"))

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
    # A one-time code with which the person chooses their password (a new account, a reset); only its SHA-256
    # is kept, and it is cleared once used.
    activation_code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    activation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The account may read cases only once a second person approves (app/users/approvals.py): until then it
    # cannot sign in.
    awaiting_approval: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # For a commune leader, a key of OFFICES: the title under which they sign decisions. None: not recorded.
    office: Mapped[str | None] = mapped_column(sa.String(16))
    # For a department officer, the department of the province whose reports they write (app/reporting/models.py).
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)

    unit: Mapped[Unit] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")  # noqa: F821 (app/reporting/models.py)

    __audit_secret__ = frozenset({"password_hash", "activation_code_hash"})

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
        """The role's name where the account sits: a supervisor at a district or, without districts, a province."""
        return role_label(self.role, self.unit.level)

    def is_locked(self, now: datetime) -> bool:
        """Whether sign-ins from addresses the account does not know are refused (app/auth/services.py)."""
        return self.locked_until is not None and self.locked_until > now

    @property
    def has_password(self) -> bool:
        """False until the person chooses one with an activation code (or after a reset)."""
        return self.password_hash != NO_PASSWORD

    def activation_pending(self, now: datetime) -> bool:
        return self.activation_code_hash is not None and self.activation_expires_at > now


# What `password_hash` holds while the person has no password: no Argon2 hash, so no password matches it.
NO_PASSWORD = "!"
# The ways an account can be given a role that reads cases, each waiting for a second person's approval.
GRANT_KINDS = ("new_account", "placement", "password_reset")
GRANT_DECISIONS = ("approved", "refused", "withdrawn")


class AccessGrant(Audited, db.Model):
    """A request, by an administrator, that an account read cases: a new account, a move to another role or unit,
    or a reset password. It takes effect only when a second person approves it (app/users/approvals.py)."""

    __tablename__ = "access_grants"
    __table_args__ = (
        sa.CheckConstraint(sa.column("kind").in_(GRANT_KINDS), name="kind"),
        sa.CheckConstraint(sa.column("decision").in_(GRANT_DECISIONS), name="decision"),
        sa.CheckConstraint(sa.column("role").in_([r.value for r in Role]), name="role"),
        # One open request per account: a newer one withdraws the older.
        sa.Index("uq_access_grants_open_user_id", "user_id", unique=True,
                 sqlite_where=sa.text("decision IS NULL"), postgresql_where=sa.text("decision IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    role: Mapped[str] = mapped_column(sa.String(32))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str | None] = mapped_column(sa.String(16))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id], lazy="joined", innerjoin=True)
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def role_label(self):
        return role_label(self.role, self.unit.level)
