"""email notices: users.email and the outbox

Revision ID: e4c9a037be2c
Revises: f318237ec918
Create Date: 2026-11-29 01:59:39.701821

"""
from alembic import op
import sqlalchemy as sa

import app.orm


revision = 'e4c9a037be2c'
down_revision = 'f318237ec918'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_mail_outbox_unsent', ['sent_at', 'id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_outbox_unsent')

    op.drop_table('mail_outbox')
