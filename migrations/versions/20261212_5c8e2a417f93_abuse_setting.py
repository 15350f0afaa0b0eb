"""Where the abuse happened, on the case: the ministry's statistics on abused children count it (issue 18)

Revision ID: 5c8e2a417f93
Revises: b8e4c2a6d913
Create Date: 2026-12-07 04:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '5c8e2a417f93'
down_revision = 'b8e4c2a6d913'
branch_labels = None
depends_on = None


def upgrade():
    # Existing cases keep it null: not known, and counted as such.
    op.add_column("cases", sa.Column("abuse_setting", sa.String(length=16), nullable=True))
    # SQLite holds no such constraint (the application checks the values there; see revision 5e16a0c7b2d9).
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(op.f("ck_cases_abuse_setting"), "cases",
                                   "abuse_setting IN ('home', 'school', 'public_place', 'online', 'other')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_cases_abuse_setting"), "cases", type_="check")
    op.execute("ALTER TABLE cases DROP COLUMN abuse_setting")
