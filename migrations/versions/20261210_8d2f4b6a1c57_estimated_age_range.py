"""An estimated age range for a child whose birth is not known (Mẫu 01); a child not reached to ask for consent

Revision ID: 8d2f4b6a1c57
Revises: c4a7e2f19d30
Create Date: 2026-12-06 22:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = '8d2f4b6a1c57'
down_revision = 'c4a7e2f19d30'
branch_labels = None
depends_on = None


CHILD_CONSENT = "child_consent IN ('agreed', 'refused', 'under_7'{})"


def _child_consent_check(values: str) -> None:
    # SQLite holds no such constraint (the application checks the values there; see revision 5e16a0c7b2d9).
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_cases_child_consent"), "cases", type_="check")
        op.create_check_constraint(op.f("ck_cases_child_consent"), "cases", CHILD_CONSENT.format(values))


def upgrade():
    op.add_column("children", sa.Column("estimated_age_to", sa.SmallInteger(), nullable=True))
    _child_consent_check(", 'not_reached'")


def downgrade():
    # An answer the former list cannot hold is settled first, not erased.
    waiting = op.get_bind().scalar(sa.text("SELECT count(*) FROM cases WHERE child_consent = 'not_reached'"))
    if waiting:
        raise RuntimeError(f"{waiting} cases record a child not yet reached for consent; record the answer first.")
    _child_consent_check("")
    # Both databases drop a plain column in place (SQLite since 3.35), without copying the table.
    op.execute("ALTER TABLE children DROP COLUMN estimated_age_to")
