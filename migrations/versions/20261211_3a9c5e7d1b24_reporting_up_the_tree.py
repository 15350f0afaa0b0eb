"""Reporting up the tree: report rounds, each unit's report, comments, late reports raised

Revision ID: 3a9c5e7d1b24
Revises: 3a9d7e21c4b8
Create Date: 2026-12-07 04:10:00
"""
import sqlalchemy as sa
from alembic import op

import app.orm

revision = '3a9c5e7d1b24'
down_revision = '3a9d7e21c4b8'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
# table: how the outside-change trigger finds the unit an entry is about ('none': the trigger knows no way; the
# entry names the table and the row)
AUDITED_TABLES = {"report_rounds": "none", "unit_reports": "unit_id", "unit_report_comments": "none",
                  "unit_report_escalations": "none"}


def upgrade():
    op.create_table('report_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('consolidation_due_on', sa.Date(), nullable=False),
    sa.Column('recurrence', sa.String(length=8), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_report_rounds_created_by_id_users')),
    sa.ForeignKeyConstraint(['previous_id'], ['report_rounds.id'], name=op.f('fk_report_rounds_previous_id_report_rounds')),
    sa.ForeignKeyConstraint(['province_id'], ['units.id'], name=op.f('fk_report_rounds_province_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_rounds')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_report_rounds_previous_id'))
    )
    with op.batch_alter_table('report_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_rounds_province_id'), ['province_id'], unique=False)

    op.create_table('unit_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sections_json', sa.Text(), nullable=False),
    sa.Column('figures_json', sa.Text(), nullable=True),
    sa.Column('parts_json', sa.Text(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('signer_name', sa.String(length=120), nullable=True),
    sa.Column('signer_title', sa.String(length=120), nullable=True),
    sa.Column('saved_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_unit_reports_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['report_rounds.id'], name=op.f('fk_unit_reports_round_id_report_rounds')),
    sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], name=op.f('fk_unit_reports_saved_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_unit_reports_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_reports_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_reports')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_unit_reports_round_id_unit_id'))
    )
    with op.batch_alter_table('unit_reports', schema=None) as batch_op:
        batch_op.create_index('ix_unit_reports_status_due_at', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_reports_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_reports_unit_id'), ['unit_id'], unique=False)

    op.create_table('unit_report_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_unit_report_comments_author_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['unit_reports.id'], name=op.f('fk_unit_report_comments_report_id_unit_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_report_comments'))
    )
    with op.batch_alter_table('unit_report_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_report_comments_report_id'), ['report_id'], unique=False)

    op.create_table('unit_report_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_unit_report_escalations_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_unit_report_escalations_from_unit_id_units')),
    sa.ForeignKeyConstraint(['previous_id'], ['unit_report_escalations.id'], name=op.f('fk_unit_report_escalations_previous_id_unit_report_escalations')),
    sa.ForeignKeyConstraint(['report_id'], ['unit_reports.id'], name=op.f('fk_unit_report_escalations_report_id_unit_reports')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_unit_report_escalations_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_report_escalations')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_unit_report_escalations_previous_id')),
    sa.UniqueConstraint('report_id', 'to_unit_id', name=op.f('uq_unit_report_escalations_report_id_to_unit_id'))
    )
    with op.batch_alter_table('unit_report_escalations', schema=None) as batch_op:
        batch_op.create_index('ix_unit_report_escalations_to_unit_id_acknowledged_at', ['to_unit_id', 'acknowledged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_report_escalations_report_id'), ['report_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table, unit in AUDITED_TABLES.items():
            op.execute(f"CREATE TRIGGER {table}_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                       f"EXECUTE FUNCTION audit_outside_change('{unit}')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED_TABLES:
            op.execute(f"DROP TRIGGER {table}_audit_outside_change ON {table}")
    op.drop_table('unit_report_escalations')
    op.drop_table('unit_report_comments')
    op.drop_table('unit_reports')
    op.drop_table('report_rounds')
