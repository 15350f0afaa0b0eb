"""The register's list in its order (the next review first) without sorting a province's entries (bench/register.py)

Revision ID: 7e4b9c2d8a15
Revises: 5c8e2a417f93
Create Date: 2026-12-07 04:50:00
"""
from alembic import op

revision = '7e4b9c2d8a15'
down_revision = '5c8e2a417f93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_register_entries_review_order", "register_entries", ["next_review_on", "id"])


def downgrade():
    op.drop_index("ix_register_entries_review_order", table_name="register_entries")
