"""A child has at most one open stay at a care facility: a double submit cannot record two

Revision ID: e5a2c7d93f18
Revises: d41f0c8b7e63
Create Date: 2026-12-07 05:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e5a2c7d93f18'
down_revision = 'd41f0c8b7e63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("uq_facility_placements_child_open", "facility_placements", ["child_id"], unique=True,
                    sqlite_where=sa.text("until IS NULL"), postgresql_where=sa.text("until IS NULL"))


def downgrade():
    op.drop_index("uq_facility_placements_child_open", table_name="facility_placements")
