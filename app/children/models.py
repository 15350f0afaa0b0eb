from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from app.audit.recorder import Audited, flush_memo
from app.extensions import db
from app.orm import UTCDateTime, utcnow
from app.units.models import Unit

# Mẫu 01 is filled with what the reporter knows: a caller to the hotline may not know the child's sex.
SEXES = {"male": _l("Male"), "female": _l("Female"), "unknown": _l("Not known")}

# Law on Children 2016, art. 10: the 14 groups of children in special circumstances.
SPECIAL_CIRCUMSTANCES = {
    "orphaned": _l("Orphaned of both parents"),
    "abandoned": _l("Abandoned"),
    "without_support": _l("Without anyone to care for them"),
    "disabled": _l("With a disability"),
    "hiv": _l("Affected by HIV/AIDS"),
    "in_conflict_with_law": _l("In conflict with the law"),
    "drug_addicted": _l("Addicted to drugs"),
    "dropped_out_to_work": _l("Out of school to earn a living"),
    "harmed_by_violence": _l("Seriously harmed by violence"),
    "exploited": _l("Exploited"),
    "sexually_abused": _l("Sexually abused"),
    "trafficked": _l("Trafficked"),
    "seriously_ill_poor": _l("Seriously ill in a poor or near-poor household"),
    "migrant_without_carer": _l("Migrant or displaced without a carer"),
}


class Child(Audited, db.Model):
    __tablename__ = "children"
    __table_args__ = (
        # The statistics count a year's new cases by the child's sex and age (see ix_cases_id_for_statistics), the
        # indicators their abused children by sex and ethnicity: from the index alone.
        sa.Index("ix_children_id_for_statistics", "id",
                 postgresql_include=["sex", "date_of_birth", "birth_year", "ethnicity"]),
        sa.CheckConstraint(sa.column("sex").in_(list(SEXES)), name="sex"),
        sa.CheckConstraint("date_of_birth IS NOT NULL OR birth_year IS NOT NULL", name="birth_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty while the name is not known; `description` then says who the child is (Mẫu 01).
    full_name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    other_names: Mapped[str | None] = mapped_column(sa.String(200))
    # Without diacritics, in lower case: what searches and duplicate checks compare.
    name_folded: Mapped[str] = mapped_column(sa.String(200), index=True)
    other_names_folded: Mapped[str | None] = mapped_column(sa.String(200))
    sex: Mapped[str] = mapped_column(sa.String(8))
    date_of_birth: Mapped[date | None]
    birth_year: Mapped[int] = mapped_column(index=True)
    # The year of birth comes from an age the reporter estimated, not from a birth date or year they knew.
    age_estimated: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # An age range at the report (Mẫu 01: "8 to 10"): the oldest age; the year of birth is kept from the youngest,
    # as the under-16 rule reads it (Law on Children art. 1).
    estimated_age_to: Mapped[int | None] = mapped_column(sa.SmallInteger)
    id_number: Mapped[str | None] = mapped_column(sa.String(12), index=True)
    ethnicity: Mapped[str | None] = mapped_column(sa.String(80))
    address_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    address_detail: Mapped[str | None] = mapped_column(sa.String(300))
    school: Mapped[str | None] = mapped_column(sa.String(200))
    special_circumstances: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every correction names the version it was made on; SQLAlchemy refuses a stale one.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    address_unit: Mapped[Unit | None] = relationship()
    carers: Mapped[list[Carer]] = relationship(back_populates="child", cascade="all, delete-orphan",
                                               order_by="Carer.id")
    name_starts: Mapped[list[NameStart]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def audit_unit_path(self) -> str | None:
        """Filed under the unit of the child's newest case, whose inspectors follow the child; under the address's
        unit while there is no case yet."""
        from app.cases.models import Case

        session = object_session(self)
        newest = None
        if session is not None and self.id is not None:
            memo = flush_memo(session)
            if ("child_case_unit", self.id) not in memo:
                with session.no_autoflush:
                    memo["child_case_unit", self.id] = session.scalar(
                        sa.select(Unit.path).join(Case, Case.unit_id == Unit.id).where(Case.child_id == self.id)
                        .order_by(Case.received_at.desc()).limit(1))
            newest = memo["child_case_unit", self.id]
        return newest or (self.address_unit.path if self.address_unit else None)

    @staticmethod
    def remember_newest_case_units(session, paths: dict[int, str]) -> None:
        """Tell the coming flush the unit path of each child's newest case (`{child id: path}`), known in bulk by a
        caller that moves many cases at once, so that filing the children's entries asks nothing child by child."""
        memo = flush_memo(session)
        memo.update({("child_case_unit", child_id): path for child_id, path in paths.items()})

    @property
    def name_shown(self) -> str:
        """The name, or while it is not known the description of the child."""
        unknown = _l("name not known")
        return self.full_name or f"({unknown}) {self.description or ''}".strip()

    @property
    def incomplete(self) -> bool:
        """Recorded with what the reporter did not know (Mẫu 01): completed later, and then checked for
        duplicates again."""
        return not self.full_name or self.sex == "unknown" or self.age_estimated

    def age_on(self, day: date) -> int:
        return whole_years(self.date_of_birth, day) if self.date_of_birth else day.year - self.birth_year


def whole_years(born: date, day: date) -> int:
    """Someone born on `born` is this old on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class NameStart(db.Model):
    """A child's name, or other names, from one of its words on: "nguyen van an", "van an" and "an".

    Search finds the names holding the typed words, in order, from the start of a word, in one range scan of
    this index ("van an" and "an" find Nguyễn Văn An). A trigram index over whole names took 20 ms and more at
    a million children, for names as common as Vietnamese ones (bench/README.md). Derived from the names, so
    not audited.
    """

    __tablename__ = "child_name_starts"
    # text_pattern_ops: a prefix (LIKE 'van an%') is a range of the index whatever the database's collation.
    __table_args__ = (sa.Index("ix_child_name_starts_start", "start", "child_id",
                               postgresql_ops={"start": "text_pattern_ops"}),)

    child_id: Mapped[int] = mapped_column(sa.ForeignKey("children.id", ondelete="CASCADE"), primary_key=True)
    start: Mapped[str] = mapped_column(sa.String(200), primary_key=True)


class Carer(Audited, db.Model):
    __tablename__ = "carers"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(sa.ForeignKey("children.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    relationship_to_child: Mapped[str] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    # Mẫu 01 asks the parents' or carers' age and occupation.
    age: Mapped[int | None]
    occupation: Mapped[str | None] = mapped_column(sa.String(120))

    child: Mapped[Child] = relationship(back_populates="carers")

    def audit_unit_path(self) -> str | None:
        return self.child.audit_unit_path() if self.child else None
