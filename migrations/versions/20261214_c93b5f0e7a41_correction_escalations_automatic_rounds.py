"""Facility corrections past their deadline raised level by level until acknowledged, as late reports are; a
recurring report round made by the deadline sweep has no person who set it (issue 19, points 6 and 1)

Revision ID: c93b5f0e7a41
Revises: c3f8a1d6e2b7
Create Date: 2026-12-07 07:45:00
"""
import sqlalchemy as sa
from alembic import op

import app.orm

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"

revision = 'c93b5f0e7a41'
down_revision = 'c3f8a1d6e2b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('facility_correction_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['correction_id'], ['facility_corrections.id'],
                            name=op.f('fk_facility_correction_escalations_correction_id_facility_corrections')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'],
                            name=op.f('fk_facility_correction_escalations_from_unit_id_units')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'],
                            name=op.f('fk_facility_correction_escalations_to_unit_id_units')),
    sa.ForeignKeyConstraint(['previous_id'], ['facility_correction_escalations.id'],
                            name=op.f('fk_facility_correction_escalations_previous_id_facility_correction_escalations')),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'],
                            name=op.f('fk_facility_correction_escalations_acknowledged_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_correction_escalations')),
    sa.UniqueConstraint('correction_id', 'to_unit_id',
                        name=op.f('uq_facility_correction_escalations_correction_id_to_unit_id')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_facility_correction_escalations_previous_id'))
    )
    op.create_index('ix_facility_correction_escalations_to_unit', 'facility_correction_escalations',
                    ['to_unit_id', 'acknowledged_at'])
    op.create_index('ix_facility_correction_escalations_correction', 'facility_correction_escalations',
                    ['correction_id'])
    # The corrections already raised keep their first escalation, from the unit that inspected.
    op.execute("INSERT INTO facility_correction_escalations (correction_id, from_unit_id, to_unit_id, level, "
               "raised_at, version) SELECT c.id, i.unit_id, c.escalated_to_id, 1, c.escalated_at, 1 "
               "FROM facility_corrections c JOIN facility_inspections i ON i.id = c.inspection_id "
               "WHERE c.escalated_at IS NOT NULL AND c.escalated_to_id IS NOT NULL")
    with op.batch_alter_table('facility_corrections') as batch:
        batch.drop_constraint('fk_facility_corrections_escalated_to_id_units', type_='foreignkey')
        batch.drop_column('escalated_to_id')
        batch.drop_column('escalated_at')
    with op.batch_alter_table('report_rounds') as batch:
        batch.alter_column('created_by_id', existing_type=sa.Integer(), nullable=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER facility_correction_escalations_audit_outside_change AFTER INSERT OR UPDATE OR "
                   "DELETE ON facility_correction_escalations "
                   f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change('none')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER facility_correction_escalations_audit_outside_change "
                   "ON facility_correction_escalations")
    # A round the sweep made is credited to whoever set the round it repeats, up the chain.
    while op.get_bind().scalar(sa.text("SELECT count(*) FROM report_rounds WHERE created_by_id IS NULL")):
        op.execute("UPDATE report_rounds SET created_by_id = (SELECT p.created_by_id FROM report_rounds p "
                   "WHERE p.id = report_rounds.previous_id) WHERE created_by_id IS NULL")
    with op.batch_alter_table('report_rounds') as batch:
        batch.alter_column('created_by_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('facility_corrections') as batch:
        batch.add_column(sa.Column('escalated_at', app.orm.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('escalated_to_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_facility_corrections_escalated_to_id_units', 'units', ['escalated_to_id'],
                                 ['id'])
    op.execute("UPDATE facility_corrections SET escalated_at = (SELECT e.raised_at FROM "
               "facility_correction_escalations e WHERE e.correction_id = facility_corrections.id AND e.level = 1), "
               "escalated_to_id = (SELECT e.to_unit_id FROM facility_correction_escalations e "
               "WHERE e.correction_id = facility_corrections.id AND e.level = 1)")
    op.drop_table('facility_correction_escalations')
