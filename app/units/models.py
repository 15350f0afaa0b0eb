from __future__ import annotations

from datetime import date

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
    ending: Mapped[UnitEnding | None] = relationship(foreign_keys="UnitEnding.unit_id", viewonly=True)

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


class UnitEnding(Audited, db.Model):
    """A unit a reorganisation ended (app/reorganisation), the day it ceased to exist, and its heir: the unit of the
    next list that holds its records (its whole successor commune; else the successor province, for a divided
    commune or one the official succession does not name). Scope follows heirs (app/access.py)."""

    __tablename__ = "unit_endings"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    heir_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    ended_on: Mapped[date] = mapped_column(sa.Date)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("reorganisations.id"))

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    heir: Mapped[Unit] = relationship(foreign_keys=[heir_id], lazy="joined")

    def audit_unit_path(self) -> str:
        return self.heir.path


SUCCESSION_KINDS = ("full", "partial")


class Succession(db.Model):
    """One link of an official succession between two lists: `old_unit` went wholly (`full`) or in part
    (`partial`: it was divided) into `new_unit`. Loaded from the National Assembly Standing Committee's
    resolutions (app/units/data/SOURCES.md); the load itself is one entry in the trail."""

    __tablename__ = "unit_successions"
    __table_args__ = (
        sa.UniqueConstraint("old_unit_id", "new_unit_id"),
        sa.CheckConstraint(sa.column("kind").in_(SUCCESSION_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    old_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    new_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(8))

    old_unit: Mapped[Unit] = relationship(foreign_keys=[old_unit_id])
    new_unit: Mapped[Unit] = relationship(foreign_keys=[new_unit_id])
