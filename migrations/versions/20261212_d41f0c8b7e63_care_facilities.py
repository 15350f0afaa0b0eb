"""Care facilities: the register of facilities that care for or shelter children, the children placed there, their
inspections and the corrections required (issue 19, point 6)

Revision ID: d41f0c8b7e63
Revises: 7e4b9c2d8a15
Create Date: 2026-12-07 04:35:00
"""
import sqlalchemy as sa
from alembic import op

import app.orm

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
# table: how the outside-change trigger finds the unit an entry is about; the parts name their facility, which the
# trigger cannot follow.
AUDITED_TABLES = {"facilities": "unit_id", "facility_placements": "none", "facility_inspections": "none",
                  "facility_corrections": "none"}

revision = 'd41f0c8b7e63'
down_revision = '7e4b9c2d8a15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('licence_number', sa.String(length=60), nullable=True),
    sa.Column('licence_issuer', sa.String(length=200), nullable=True),
    sa.Column('licence_issued_on', sa.Date(), nullable=True),
    sa.Column('licence_expires_on', sa.Date(), nullable=True),
    sa.Column('provider_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('social_assistance_centre', 'shelter', 'pagoda_charity', 'boarding', 'other')",
                       name=op.f('ck_facilities_kind')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_facilities_capacity')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_facilities_unit_id_units')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_facilities_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities')),
    sa.UniqueConstraint('provider_id', name=op.f('uq_facilities_provider_id'))
    )
    op.create_index('ix_facilities_unit_id', 'facilities', ['unit_id'])
    op.create_table('facility_placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('alternative_care', 'isolation', 'other')", name=op.f('ck_facility_placements_kind')),
    sa.CheckConstraint('until IS NULL OR until >= since', name=op.f('ck_facility_placements_until_after_since')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'],
                            name=op.f('fk_facility_placements_facility_id_facilities')),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_facility_placements_child_id_children')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_facility_placements_case_id_cases')),
    sa.ForeignKeyConstraint(['measure_id'], ['emergency_measures.id'],
                            name=op.f('fk_facility_placements_measure_id_emergency_measures')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                            name=op.f('fk_facility_placements_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_placements'))
    )
    op.create_index('ix_facility_placements_facility', 'facility_placements', ['facility_id', 'until'])
    op.create_index('ix_facility_placements_child', 'facility_placements', ['child_id'])
    op.create_table('facility_inspections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('follows_up_id', sa.Integer(), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('team', sa.String(length=500), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=True),
    sa.Column('violations', sa.Text(), nullable=True),
    sa.Column('recorded_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('planned_by_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'],
                            name=op.f('fk_facility_inspections_facility_id_facilities')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_facility_inspections_unit_id_units')),
    sa.ForeignKeyConstraint(['follows_up_id'], ['facility_inspections.id'],
                            name=op.f('fk_facility_inspections_follows_up_id_facility_inspections')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                            name=op.f('fk_facility_inspections_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['planned_by_id'], ['users.id'], name=op.f('fk_facility_inspections_planned_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_inspections'))
    )
    op.create_index('ix_facility_inspections_facility', 'facility_inspections', ['facility_id', 'inspected_on'])
    op.create_index('ix_facility_inspections_unit', 'facility_inspections', ['unit_id', 'inspected_on'])
    op.create_table('facility_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=True),
    sa.Column('escalated_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_to_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['facility_inspections.id'],
                            name=op.f('fk_facility_corrections_inspection_id_facility_inspections')),
    sa.ForeignKeyConstraint(['escalated_to_id'], ['units.id'],
                            name=op.f('fk_facility_corrections_escalated_to_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_corrections'))
    )
    op.create_index('ix_facility_corrections_open', 'facility_corrections', ['done_on', 'due_on'])
    op.create_index('ix_facility_corrections_inspection', 'facility_corrections', ['inspection_id'])
    if op.get_bind().dialect.name == "postgresql":
        for table, unit in AUDITED_TABLES.items():
            op.execute(f"CREATE TRIGGER {table}_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                       f"EXECUTE FUNCTION audit_outside_change('{unit}')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED_TABLES:
            op.execute(f"DROP TRIGGER {table}_audit_outside_change ON {table}")
    for table in ('facility_corrections', 'facility_inspections', 'facility_placements', 'facilities'):
        op.drop_table(table)
