"""indexes for the case list and for searching names anywhere (pg_trgm on PostgreSQL)

Revision ID: 1e665489d49e
Revises: 379030f1491a
Create Date: 2026-11-29 00:26:32.274681

"""
from alembic import op
import sqlalchemy as sa

import app.orm


# revision identifiers, used by Alembic.
revision = '1e665489d49e'
down_revision = '379030f1491a'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_received_at', ['received_at'], unique=False)
        batch_op.create_index('ix_cases_unit_id_received_at', ['unit_id', 'received_at'], unique=False)

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index('ix_children_name_folded_trgm', ['name_folded'], unique=False, postgresql_using='gin',
                              postgresql_ops={'name_folded': 'gin_trgm_ops'})
        batch_op.create_index('ix_children_other_names_folded_trgm', ['other_names_folded'], unique=False,
                              postgresql_using='gin', postgresql_ops={'other_names_folded': 'gin_trgm_ops'})



def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_other_names_folded_trgm', postgresql_using='gin',
                            postgresql_ops={'other_names_folded': 'gin_trgm_ops'})
        batch_op.drop_index('ix_children_name_folded_trgm', postgresql_using='gin',
                            postgresql_ops={'name_folded': 'gin_trgm_ops'})

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_unit_id_received_at')
        batch_op.drop_index('ix_cases_received_at')

