"""referrals, providers and escalations; outside-change triggers for them

Revision ID: f318237ec918
Revises: 1e665489d49e
Create Date: 2026-11-29 01:25:06.349407

"""
from alembic import op
import sqlalchemy as sa

import app.orm


revision = 'f318237ec918'
down_revision = '1e665489d49e'
branch_labels = None
depends_on = None

# As in the audit trail's migration: the triggers fire only for connections that are not the application's.
OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
AUDITED_TABLES = {"providers": "unit_id", "referrals": "case_id", "escalations": "case_id"}


def upgrade():
    op.create_table('providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('police', 'health', 'social_work_centre', 'court', 'school', 'other')", name=op.f('ck_providers_kind')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_providers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_providers'))
    )
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_providers_unit_id'), ['unit_id'], unique=False)

    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('trigger', sa.String(length=80), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledgement_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_escalations_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_escalations_case_id_cases')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_escalations_from_unit_id_units')),
    sa.ForeignKeyConstraint(['previous_id'], ['escalations.id'], name=op.f('fk_escalations_previous_id_escalations')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_escalations_raised_by_id_users')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_escalations_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations')),
    sa.UniqueConstraint('case_id', 'trigger', 'to_unit_id', name=op.f('uq_escalations_case_id_trigger_to_unit_id')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_escalations_previous_id'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_escalations_to_unit_id_acknowledged_at', ['to_unit_id', 'acknowledged_at'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=True),
    sa.Column('provider_id', sa.Integer(), nullable=True),
    sa.Column('receiving_unit_id', sa.Integer(), nullable=False),
    sa.Column('transfer', sa.Boolean(), nullable=False),
    sa.Column('service', sa.String(length=300), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('consent', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('approval_needed', sa.Boolean(), nullable=False),
    sa.Column('approval_due_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer_due_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closing_reason', sa.Text(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("consent IN ('child_and_carer', 'carer', 'emergency_protection', 'not_recorded')", name=op.f('ck_referrals_consent')),
    sa.CheckConstraint("status IN ('draft', 'pending_approval', 'sent', 'accepted', 'declined', 'completed', 'rejected', 'withdrawn')", name=op.f('ck_referrals_status')),
    sa.CheckConstraint('(to_unit_id IS NULL) <> (provider_id IS NULL)', name=op.f('ck_referrals_one_receiver')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_referrals_answered_by_id_users')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_referrals_approved_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_referrals_closed_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_referrals_created_by_id_users')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_referrals_from_unit_id_units')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_referrals_provider_id_providers')),
    sa.ForeignKeyConstraint(['receiving_unit_id'], ['units.id'], name=op.f('fk_referrals_receiving_unit_id_units')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_referrals_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_referrals_from_unit_id_status', ['from_unit_id', 'status'], unique=False)
        batch_op.create_index('ix_referrals_receiving_unit_id_status', ['receiving_unit_id', 'status'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table, unit in AUDITED_TABLES.items():
            op.execute(f"CREATE TRIGGER {table}_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                       f"EXECUTE FUNCTION audit_outside_change('{unit}')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED_TABLES:
            op.execute(f"DROP TRIGGER {table}_audit_outside_change ON {table}")
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_receiving_unit_id_status')
        batch_op.drop_index('ix_referrals_from_unit_id_status')
        batch_op.drop_index(batch_op.f('ix_referrals_case_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_to_unit_id_acknowledged_at')
        batch_op.drop_index(batch_op.f('ix_escalations_case_id'))

    op.drop_table('escalations')
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_providers_unit_id'))

    op.drop_table('providers')
