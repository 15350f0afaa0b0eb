"""The children's register: an entry per child known to the commune, its groups, support and reviews (issue 18)

Revision ID: 3a9d7e21c4b8
Revises: a7c3e91d5b24
Create Date: 2026-12-07 04:00:00
"""
import sqlalchemy as sa
from alembic import op

import app.orm

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
# table: how the outside-change trigger finds the unit an entry is about. The parts name their entry, which the
# trigger cannot follow: their outside changes are recorded without a unit.
AUDITED_TABLES = {"register_entries": "unit_id", "register_groups": "none", "register_supports": "none",
                  "register_reviews": "none"}

revision = '3a9d7e21c4b8'
down_revision = 'a7c3e91d5b24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('register_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('living_place', sa.String(length=30), nullable=True),
    sa.Column('lives_with', sa.String(length=200), nullable=True),
    sa.Column('health_insurance', sa.String(length=15), nullable=True),
    sa.Column('disability_certificate', sa.String(length=30), nullable=True),
    sa.Column('last_reviewed_on', sa.Date(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_register_entries_child_id_children')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_register_entries_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entries')),
    sa.UniqueConstraint('child_id', name=op.f('uq_register_entries_child_id'))
    )
    op.create_index('ix_register_entries_unit_review', 'register_entries', ['unit_id', 'next_review_on'])
    op.create_table('register_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('group_key', sa.String(length=40), nullable=False),
    sa.Column('sub_case', sa.String(length=40), nullable=True),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('left_reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint('(left_on IS NULL) = (left_reason IS NULL)', name=op.f('ck_register_groups_left_with_reason')),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entries.id'],
                            name=op.f('fk_register_groups_entry_id_register_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_groups'))
    )
    op.create_index('ix_register_groups_entry', 'register_groups', ['entry_id'])
    op.create_index('ix_register_groups_group', 'register_groups', ['group_key', 'entry_id'])
    op.create_table('register_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('monthly_amount', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entries.id'],
                            name=op.f('fk_register_supports_entry_id_register_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_supports'))
    )
    op.create_index('ix_register_supports_entry', 'register_supports', ['entry_id'])
    op.create_table('register_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entries.id'],
                            name=op.f('fk_register_reviews_entry_id_register_entries')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_register_reviews_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_reviews'))
    )
    op.create_index('ix_register_reviews_entry', 'register_reviews', ['entry_id'])
    if op.get_bind().dialect.name == "postgresql":
        for table, unit in AUDITED_TABLES.items():
            op.execute(f"CREATE TRIGGER {table}_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                       f"EXECUTE FUNCTION audit_outside_change('{unit}')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED_TABLES:
            op.execute(f"DROP TRIGGER {table}_audit_outside_change ON {table}")
    for table in ('register_reviews', 'register_supports', 'register_groups', 'register_entries'):
        op.drop_table(table)
