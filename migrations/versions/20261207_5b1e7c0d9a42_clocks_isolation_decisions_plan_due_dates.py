"""the law's clocks (issue 15): the province's service standards, danger found later, isolation proposed and decided,
plan actions done and reviews due

Revision ID: 5b1e7c0d9a42
Revises: 259477505917
Create Date: 2026-12-07 21:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.orm

revision = '5b1e7c0d9a42'
down_revision = '259477505917'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"


def upgrade():
    op.create_table('service_standards',
                    sa.Column('unit_id', sa.Integer(), nullable=False),
                    sa.Column('initial_assessment_working_days', sa.Integer(), nullable=False),
                    sa.CheckConstraint('initial_assessment_working_days BETWEEN 1 AND 20',
                                       name=op.f('ck_service_standards_initial_assessment_working_days')),
                    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_service_standards_unit_id_units')),
                    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_service_standards')))
    # Plain ALTERs: rebuilding `cases` in SQLite would trip over the tables that point to it.
    op.add_column('cases', sa.Column('episode_started_at', app.orm.UTCDateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER service_standards_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON "
                   f"service_standards FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                   "EXECUTE FUNCTION audit_outside_change('unit_id')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER service_standards_audit_outside_change ON service_standards")
    op.drop_column('cases', 'episode_started_at')
    op.drop_table('service_standards')
