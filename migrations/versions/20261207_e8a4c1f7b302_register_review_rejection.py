"""A collaborator's review the commune worker rejects keeps the worker's reason (issue 18, point 2)

Revision ID: e8a4c1f7b302
Revises: c7d3e9a1f524
Create Date: 2026-12-07 08:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e8a4c1f7b302'
down_revision = 'c7d3e9a1f524'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('register_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejection_reason', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('register_reviews', schema=None) as batch_op:
        batch_op.drop_column('rejection_reason')
