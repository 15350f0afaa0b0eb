"""users.must_choose_password: an account whose password an administrator chose

Revision ID: 7c2e5a91d4b3
Revises: 26c0f7c6079d
Create Date: 2026-12-06 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7c2e5a91d4b3'
down_revision = '26c0f7c6079d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_choose_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_choose_password')
