"""The succession of units between two official lists, and the reorganisation runs that carry records across it

Revision ID: fbeeee5496b1
Revises: 8d2f4b6a1c57
Create Date: 2026-12-07 00:00:47.232876
"""
import sqlalchemy as sa
from alembic import op

import app.orm

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
# table: how the outside-change trigger finds the unit an entry is about
AUDITED_TABLES = {"reorganisations": "path", "reorganisation_moves": "case_id", "unit_endings": "unit_id"}

revision = 'fbeeee5496b1'
down_revision = '8d2f4b6a1c57'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_successions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_unit_id', sa.Integer(), nullable=False),
    sa.Column('new_unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.CheckConstraint("kind IN ('full', 'partial')", name=op.f('ck_unit_successions_kind')),
    sa.ForeignKeyConstraint(['new_unit_id'], ['units.id'], name=op.f('fk_unit_successions_new_unit_id_units')),
    sa.ForeignKeyConstraint(['old_unit_id'], ['units.id'], name=op.f('fk_unit_successions_old_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_successions')),
    sa.UniqueConstraint('old_unit_id', 'new_unit_id', name=op.f('uq_unit_successions_old_unit_id_new_unit_id'))
    )
    with op.batch_alter_table('unit_successions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_successions_new_unit_id'), ['new_unit_id'], unique=False)

    op.create_table('reorganisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_edition', sa.String(length=16), nullable=False),
    sa.Column('to_edition', sa.String(length=16), nullable=False),
    sa.Column('province_code', sa.String(length=16), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('started_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_reorganisations_started_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorganisations'))
    )
    op.create_table('reorganisation_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('held_by_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('moved_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("entity IN ('cases', 'users', 'providers', 'referrals', 'escalations')", name=op.f('ck_reorganisation_moves_entity')),
    sa.CheckConstraint("rule IN ('full', 'partial', 'unknown', 'closed')", name=op.f('ck_reorganisation_moves_rule')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_reorganisation_moves_case_id_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_reorganisation_moves_decided_by_id_users')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_reorganisation_moves_from_unit_id_units')),
    sa.ForeignKeyConstraint(['held_by_id'], ['units.id'], name=op.f('fk_reorganisation_moves_held_by_id_units')),
    sa.ForeignKeyConstraint(['run_id'], ['reorganisations.id'], name=op.f('fk_reorganisation_moves_run_id_reorganisations')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_reorganisation_moves_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorganisation_moves')),
    sa.UniqueConstraint('entity', 'entity_id', 'from_unit_id', name=op.f('uq_reorganisation_moves_entity_entity_id_from_unit_id'))
    )
    with op.batch_alter_table('reorganisation_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reorganisation_moves_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reorganisation_moves_run_id'), ['run_id'], unique=False)
        batch_op.create_index('ix_reorganisation_moves_waiting', ['held_by_id', 'to_unit_id'], unique=False)

    op.create_table('unit_endings',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('heir_id', sa.Integer(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['heir_id'], ['units.id'], name=op.f('fk_unit_endings_heir_id_units')),
    sa.ForeignKeyConstraint(['run_id'], ['reorganisations.id'], name=op.f('fk_unit_endings_run_id_reorganisations')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_endings_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_endings'))
    )
    with op.batch_alter_table('unit_endings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_endings_heir_id'), ['heir_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table, unit in AUDITED_TABLES.items():
            op.execute(f"CREATE TRIGGER {table}_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                       f"EXECUTE FUNCTION audit_outside_change('{unit}')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED_TABLES:
            op.execute(f"DROP TRIGGER {table}_audit_outside_change ON {table}")
    with op.batch_alter_table('unit_endings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_endings_heir_id'))

    op.drop_table('unit_endings')
    with op.batch_alter_table('reorganisation_moves', schema=None) as batch_op:
        batch_op.drop_index('ix_reorganisation_moves_waiting')
        batch_op.drop_index(batch_op.f('ix_reorganisation_moves_run_id'))
        batch_op.drop_index(batch_op.f('ix_reorganisation_moves_case_id'))

    op.drop_table('reorganisation_moves')
    op.drop_table('reorganisations')
    with op.batch_alter_table('unit_successions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_successions_new_unit_id'))

    op.drop_table('unit_successions')
