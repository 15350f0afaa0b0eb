from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.audit.recorder import Audited
from app.extensions import db


class Holiday(Audited, db.Model):
    """A public holiday (or a compensatory day off): not a working day, whatever the day of the week."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
