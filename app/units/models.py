from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.recorder import Audited
from app.extensions import db

LEVELS = ("province", "district", "commune")
LEVEL_LABELS = {"province": _l("province"), "district": _l("district"), "commune": _l("commune")}
# Since 1 July 2025 communes hang directly under provinces, so a commune may have either parent.
PARENT_LEVELS = {"province": (), "district": ("province",), "commune": ("district", "province")}


class Unit(Audited, db.Model):
    """One administrative unit of one official list (`edition`).

    `path` is the materialized path `EDITION/CODE/CODE/.../`: every unit under this
    one has a path that starts with this one's, so a subtree is one indexed prefix scan.
    """

    __tablename__ = "units"
    __table_args__ = (
        sa.UniqueConstraint("edition", "code"),
        sa.CheckConstraint(sa.column("level").in_(LEVELS), name="level"),
        sa.Index("ix_units_path", "path", unique=True, postgresql_ops={"path": "text_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition: Mapped[str] = mapped_column(sa.String(16))
    code: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[str] = mapped_column(sa.String(16))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(255))

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    def audit_unit_path(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f"<Unit {self.edition}:{self.code} {self.name}>"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"

    def contains(self, other: Unit) -> bool:
        """Whether `other` is this unit or lies below it."""
        return other.path.startswith(self.path)
