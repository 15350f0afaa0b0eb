"""What the indicators count of the register: one narrow row per group membership and per support, carrying the
entry's child, commune and confirmation.

A province's yearly indicators read 2.4 million memberships and their 2 million entries; joined at reading and
counted child by child in four queries, that took 30 s (bench/register.py). From this table, one scan of one index
in the order of (commune, child) counts every register figure in one pass. Like `case_facts` (app/reports/facts.py)
the rows are derived data: every flush that touches an entry's commune, child or confirmation, or a membership or
a support, rewrites that entry's rows from the source tables in the same transaction. Not audited: the changes
they follow already are. Entries or parts changed outside the application call for `flask reports rebuild-facts`.
"""
from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.children.models import SPECIAL_CIRCUMSTANCES
from app.extensions import db
from app.register.groups import AT_RISK, SUPPORT_KINDS
from app.register.models import CONFIRMED, RegisterEntry, RegisterGroup, RegisterSupport

GROUP, SUPPORT = "group", "support"
# Each group's and each kind of support's bit in `RegisterFacts.bit`: a child's bits, or-ed over their rows, say
# every figure they count in. Fixed, never renumbered: stored rows hold them (the migration 4f6b2d8e1a93 copies
# them). A group outside these has no bit; a support of another kind has OTHER_SUPPORT.
GROUP_BITS = {"orphaned": 1, "abandoned": 2, "without_support": 4, "disabled": 8, "hiv": 16,
              "in_conflict_with_law": 32, "drug_addicted": 64, "dropped_out_to_work": 128,
              "harmed_by_violence": 256, "exploited": 512, "sexually_abused": 1024, "trafficked": 2048,
              "seriously_ill_poor": 4096, "migrant_without_carer": 8192, AT_RISK: 16384}
SUPPORT_BITS = {"cash_allowance": 32768, "service": 65536, "alternative_care": 131072}
OTHER_SUPPORT = 262144
assert set(GROUP_BITS) == {*SPECIAL_CIRCUMSTANCES, AT_RISK} and set(SUPPORT_BITS) == set(SUPPORT_KINDS), \
    "every group and kind of support needs its own bit in RegisterFacts.bit"
SPECIAL_BITS = sum(GROUP_BITS[key] for key in SPECIAL_CIRCUMSTANCES)
ANY_SUPPORT_BITS = sum(SUPPORT_BITS.values()) | OTHER_SUPPORT


class RegisterFacts(db.Model):
    __tablename__ = "register_facts"
    # A province's rows in (commune, child) order without visiting the table: each child's rows are together, and
    # counted without sorting (SQLite ignores INCLUDE).
    __table_args__ = (sa.Index("ix_register_facts_unit_child", "unit_id", "child_id",
                               postgresql_include=["confirmed", "bit", "first_on", "last_on"]),
                      # Is a child of a case on the register as at risk: answered from the index alone.
                      sa.Index("ix_register_facts_child", "child_id", "bit",
                               postgresql_include=["unit_id", "confirmed", "first_on", "last_on"]),
                      sa.Index("ix_register_facts_entry", "entry_id"))

    # GROUP or SUPPORT, and the id of the membership or the support.
    part: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    part_id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column()
    child_id: Mapped[int] = mapped_column()
    unit_id: Mapped[int] = mapped_column()
    confirmed: Mapped[bool] = mapped_column()
    # The group's key or the support's kind.
    key: Mapped[str] = mapped_column(sa.String(40))
    # The key's bit (GROUP_BITS, SUPPORT_BITS), 0 for a group that has none.
    bit: Mapped[int] = mapped_column()
    # Since when, and until when (null: still), the child was in the group or received the support.
    first_on = mapped_column(sa.Date, nullable=False)
    last_on = mapped_column(sa.Date)


COLUMNS = ("part", "part_id", "entry_id", "child_id", "unit_id", "confirmed", "key", "bit", "first_on", "last_on")


def facts_of(entry_ids: sa.ColumnElement | None = None) -> sa.Select:
    """The rows of the entries `entry_ids` selects (every entry when None), read from the source tables."""
    def parts(kind: str, model, key, bits: dict, other: int, first, last) -> sa.Select:
        bit = sa.case(*[(key == name, value) for name, value in bits.items()], else_=other)
        query = (sa.select(sa.literal(kind, sa.String(8)), model.id, RegisterEntry.id, RegisterEntry.child_id,
                           RegisterEntry.unit_id, RegisterEntry.confirmation == CONFIRMED, key, bit, first, last)
                 .join(RegisterEntry, RegisterEntry.id == model.entry_id))
        return query if entry_ids is None else query.where(entry_ids)

    return sa.union_all(parts(GROUP, RegisterGroup, RegisterGroup.group_key, GROUP_BITS, 0, RegisterGroup.since,
                              RegisterGroup.left_on),
                        parts(SUPPORT, RegisterSupport, RegisterSupport.kind, SUPPORT_BITS, OTHER_SUPPORT,
                              RegisterSupport.started_on, RegisterSupport.ended_on))


def rewrite(connection: sa.Connection, entry_ids) -> None:
    """Rewrite from the source tables the rows of the entries `entry_ids`."""
    if entry_ids:
        for statement in _statements(connection.dialect.name):
            connection.execute(statement, {"entry_ids": list(entry_ids)})


def rewrite_all(connection: sa.Connection) -> None:
    """Rewrite every entry's rows (`flask reports rebuild-facts`, and registers written in SQL)."""
    table = RegisterFacts.__table__
    connection.execute(table.delete())
    connection.execute(table.insert().from_select(COLUMNS, facts_of()))


@lru_cache(maxsize=2)
def _statements(dialect: str) -> tuple[sa.Executable, ...]:
    table = RegisterFacts.__table__
    which = RegisterEntry.id.in_(sa.bindparam("entry_ids", expanding=True))
    mine = table.c.entry_id.in_(sa.bindparam("entry_ids", expanding=True))
    if dialect != "postgresql":
        # SQLite writes one transaction at a time: nothing can interleave.
        return (table.delete().where(mine), table.insert().from_select(COLUMNS, facts_of(which)))
    # Inserted or updated, never deleted first: two transactions adding to one entry must not collide. A part is
    # never deleted by the application; one deleted by hand loses its row here.
    gone = sa.and_(mine, sa.or_(
        sa.and_(table.c.part == GROUP, ~sa.exists().where(RegisterGroup.id == table.c.part_id)),
        sa.and_(table.c.part == SUPPORT, ~sa.exists().where(RegisterSupport.id == table.c.part_id))))
    upsert = postgresql.insert(table).from_select(COLUMNS, facts_of(which))
    return (table.delete().where(gone),
            upsert.on_conflict_do_update(index_elements=[table.c.part, table.c.part_id],
                                         set_={name: upsert.excluded[name] for name in COLUMNS[2:]}))


_ENTRY_FACTS = ("unit_id", "child_id", "confirmation")
_PART_FACTS = {RegisterGroup: ("entry_id", "group_key", "since", "left_on"),
               RegisterSupport: ("entry_id", "kind", "started_on", "ended_on")}


def _changed(obj, names) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _follow_changes(session: Session, flush_context) -> None:
    """After each flush: rewrite the rows of the entries whose copied values it changed."""
    entry_ids = set()
    for obj in session.new:
        if isinstance(obj, RegisterEntry):
            entry_ids.add(obj.id)
        elif isinstance(obj, (RegisterGroup, RegisterSupport)):
            entry_ids.add(obj.entry_id)
    for obj in session.dirty:
        if isinstance(obj, RegisterEntry) and _changed(obj, _ENTRY_FACTS):
            entry_ids.add(obj.id)
        elif isinstance(obj, (RegisterGroup, RegisterSupport)) and _changed(obj, _PART_FACTS[type(obj)]):
            entry_ids.add(obj.entry_id)
            # A part moved to another entry leaves the former's rows too.
            entry_ids.update(value for value in sa.inspect(obj).attrs.entry_id.history.deleted if value)
    for obj in session.deleted:
        if isinstance(obj, RegisterEntry):
            entry_ids.add(obj.id)
        elif isinstance(obj, (RegisterGroup, RegisterSupport)):
            entry_ids.add(obj.entry_id)
    entry_ids.discard(None)
    if entry_ids:
        rewrite(session.connection(), entry_ids)


def install() -> None:
    """Follow every session's flushes (once per process)."""
    if not sa.event.contains(Session, "after_flush", _follow_changes):
        sa.event.listen(Session, "after_flush", _follow_changes)
