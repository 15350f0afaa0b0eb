"""the register of decisions (Mẫu 05 and 07 numbered per unit and year), and the office a commune leader signs
under (chairman, or vice-chairman on the chairman's behalf)

Revision ID: 91694bfb7540
Revises: 5e16a0c7b2d9
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.orm


revision = '91694bfb7540'
down_revision = '5e16a0c7b2d9'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"


def upgrade():
    op.create_table('decision_sequences',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_decision_sequences_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_decision_sequences'))
    )
    op.create_table('decision_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=8), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('emergency_measure_id', sa.Integer(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("form IN ('mau-05', 'mau-07')", name=op.f('ck_decision_numbers_form')),
    sa.CheckConstraint('(plan_id IS NULL) <> (emergency_measure_id IS NULL)', name=op.f('ck_decision_numbers_one_decision')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_decision_numbers_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_decision_numbers_case_id_cases')),
    sa.ForeignKeyConstraint(['emergency_measure_id'], ['emergency_measures.id'], name=op.f('fk_decision_numbers_emergency_measure_id_emergency_measures')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_decision_numbers_plan_id_plans')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_decision_numbers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_numbers')),
    sa.UniqueConstraint('emergency_measure_id', name=op.f('uq_decision_numbers_emergency_measure_id')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_decision_numbers_plan_id')),
    sa.UniqueConstraint('unit_id', 'year', 'number', name=op.f('uq_decision_numbers_unit_id_year_number'))
    )
    with op.batch_alter_table('decision_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_numbers_case_id'), ['case_id'], unique=False)

    # A plain ALTER, as the accounts' other new columns: rebuilding the users table fails where API tokens refer to it.
    op.execute("ALTER TABLE users ADD COLUMN office VARCHAR(16) "
               "CONSTRAINT ck_users_office CHECK (office IN ('chairman', 'vice_chairman'))")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER decision_numbers_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON "
                   "decision_numbers FOR EACH ROW WHEN (" + OUTSIDE_THE_APPLICATION + ") "
                   "EXECUTE FUNCTION audit_outside_change('case_id')")

def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER decision_numbers_audit_outside_change ON decision_numbers")
    op.execute("ALTER TABLE users DROP COLUMN office")

    with op.batch_alter_table('decision_numbers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_numbers_case_id'))

    op.drop_table('decision_numbers')
    op.drop_table('decision_sequences')