from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.orm import UTCDateTime, utcnow
from app.extensions import db
from app.users.models import User


class ApiToken(Audited, db.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    __audit_secret__ = frozenset({"token_hash"})

    def audit_unit_path(self) -> str:
        return self.user.unit.path

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.user.is_active


class KnownAddress(db.Model):
    """An address (an IPv4 address, or an IPv6 /64 network) an account has signed in from. Wrong passwords from
    it slow the next attempts down rather than lock the account (app/auth/services.py), so that someone elsewhere
    who knows a username cannot lock its owner out. Not audited: the sign-ins themselves are."""

    __tablename__ = "known_addresses"
    __table_args__ = (sa.UniqueConstraint("user_id", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    address: Mapped[str] = mapped_column(sa.String(64))
    last_sign_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Wrong passwords from here since the last sign-in from here.
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
