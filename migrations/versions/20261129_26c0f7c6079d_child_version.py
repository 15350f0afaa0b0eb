"""children.version: a correction of a child's details names the version it was made on

Revision ID: 26c0f7c6079d
Revises: 6eceac0bbc5c
Create Date: 2026-11-29 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '26c0f7c6079d'
down_revision = '6eceac0bbc5c'
branch_labels = None
depends_on = None


def upgrade():
    # A constant default: PostgreSQL adds the column without rewriting the table.
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('version')
