"""ix_case_deadlines_case_id_open: a case's open deadlines, earliest first, for the lists' next deadline

Revision ID: 5d7e1a3c9b20
Revises: 9a4b2c7d1e58
Create Date: 2026-11-29 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '5d7e1a3c9b20'
down_revision = '9a4b2c7d1e58'
branch_labels = None
depends_on = None

OPEN = sa.text('met_at IS NULL')


def upgrade():
    # Partial: only deadlines not yet met, a small part of them all. SQLite ignores INCLUDE.
    op.create_index('ix_case_deadlines_case_id_open', 'case_deadlines', ['case_id', 'due_at', 'id'], unique=False,
                    postgresql_include=['name'], postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    op.drop_index('ix_case_deadlines_case_id_open', table_name='case_deadlines')
