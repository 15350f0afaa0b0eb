"""emergency_measures.isolation_ended_on and isolation_end_note: when a temporary isolation ended, and what followed

Revision ID: 6eceac0bbc5c
Revises: 6158a1e58761
Create Date: 2026-11-29 09:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '6eceac0bbc5c'
down_revision = '6158a1e58761'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('emergency_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('isolation_ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('isolation_end_note', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('emergency_measures', schema=None) as batch_op:
        batch_op.drop_column('isolation_end_note')
        batch_op.drop_column('isolation_ended_on')
