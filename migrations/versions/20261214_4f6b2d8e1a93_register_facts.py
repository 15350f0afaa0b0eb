"""register_facts: the register's memberships and supports, each in one narrow row carrying the entry's child,
commune and confirmation, for the indicators (bench/register.py); filled from the register. The entries awaiting
confirmation indexed apart, for the commune's list; the children's index for the statistics holds their ethnicity.

Revision ID: 4f6b2d8e1a93
Revises: e5a2c7d93f18
Create Date: 2026-12-07 07:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '4f6b2d8e1a93'
down_revision = 'e5a2c7d93f18'
branch_labels = None
depends_on = None

# app/reports/register_facts.py's GROUP_BITS and SUPPORT_BITS, as they were written.
GROUP_BITS = {"orphaned": 1, "abandoned": 2, "without_support": 4, "disabled": 8, "hiv": 16,
              "in_conflict_with_law": 32, "drug_addicted": 64, "dropped_out_to_work": 128,
              "harmed_by_violence": 256, "exploited": 512, "sexually_abused": 1024, "trafficked": 2048,
              "seriously_ill_poor": 4096, "migrant_without_carer": 8192, "at_risk": 16384}
SUPPORT_BITS = {"cash_allowance": 32768, "service": 65536, "alternative_care": 131072}
OTHER_SUPPORT = 262144


def _bit(column: str, bits: dict, other: int) -> str:
    cases = " ".join(f"WHEN {column} = '{key}' THEN {bit}" for key, bit in bits.items())
    return f"CASE {cases} ELSE {other} END"


BACKFILL = f"""
INSERT INTO register_facts (part, part_id, entry_id, child_id, unit_id, confirmed, key, bit, first_on, last_on)
SELECT 'group', g.id, e.id, e.child_id, e.unit_id, e.confirmation = 'confirmed', g.group_key,
       {_bit("g.group_key", GROUP_BITS, 0)}, g.since, g.left_on
  FROM register_groups g JOIN register_entries e ON e.id = g.entry_id
UNION ALL
SELECT 'support', s.id, e.id, e.child_id, e.unit_id, e.confirmation = 'confirmed', s.kind,
       {_bit("s.kind", SUPPORT_BITS, OTHER_SUPPORT)}, s.started_on, s.ended_on
  FROM register_supports s JOIN register_entries e ON e.id = s.entry_id
"""


def upgrade():
    op.create_table(
        "register_facts",
        sa.Column("part", sa.String(8), primary_key=True),
        sa.Column("part_id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("bit", sa.Integer(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=True),
    )
    op.execute(BACKFILL)
    op.create_index("ix_register_facts_unit_child", "register_facts", ["unit_id", "child_id"],
                    postgresql_include=["confirmed", "bit", "first_on", "last_on"])
    op.create_index("ix_register_facts_child", "register_facts", ["child_id", "bit"],
                    postgresql_include=["unit_id", "confirmed", "first_on", "last_on"])
    op.create_index("ix_register_facts_entry", "register_facts", ["entry_id"])
    op.drop_index("ix_children_id_for_statistics", table_name="children")
    op.create_index("ix_children_id_for_statistics", "children", ["id"],
                    postgresql_include=["sex", "date_of_birth", "birth_year", "ethnicity"])
    op.create_index("ix_register_entries_awaiting", "register_entries", ["unit_id", "created_at", "id"],
                    postgresql_where=sa.text("confirmation = 'awaiting'"),
                    sqlite_where=sa.text("confirmation = 'awaiting'"))


def downgrade():
    op.drop_index("ix_children_id_for_statistics", table_name="children")
    op.create_index("ix_children_id_for_statistics", "children", ["id"],
                    postgresql_include=["sex", "date_of_birth", "birth_year"])
    op.drop_index("ix_register_entries_awaiting", table_name="register_entries")
    op.drop_table("register_facts")
