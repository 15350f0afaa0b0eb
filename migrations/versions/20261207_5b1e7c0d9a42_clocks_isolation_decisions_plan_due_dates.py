"""the law's clocks (issue 15): the province's service standards, danger found later, isolation proposed and decided,
plan actions done and reviews due

Revision ID: 5b1e7c0d9a42
Revises: b6d41c8e2f75
Create Date: 2026-12-07 21:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.orm

revision = '5b1e7c0d9a42'
down_revision = 'b6d41c8e2f75'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
OLD_ACTIONS = ('edit', 'assess', 'emergency', 'end_isolation', 'detail', 'draft_plan', 'submit_plan', 'approve_plan',
               'return_plan', 'log', 'review', 'new_plan', 'propose_closure', 'approve_closure', 'reopen')
NEW_ACTIONS = ('edit', 'assess', 'emergency', 'propose_isolation', 'decide_isolation', 'decline_isolation',
               'end_isolation', 'detail', 'draft_plan', 'submit_plan', 'approve_plan', 'return_plan', 'log',
               'complete_action', 'review', 'new_plan', 'propose_closure', 'approve_closure', 'reopen')


def _measure_columns() -> tuple[sa.Column, ...]:
    return (sa.Column('isolation_status', sa.String(length=16), nullable=True),
            sa.Column('isolation_with', sa.String(length=300), nullable=True),
            sa.Column('extension_authority', sa.String(length=300), nullable=True),
            sa.Column('extension_number', sa.String(length=60), nullable=True),
            sa.Column('extension_date', sa.Date(), nullable=True),
            sa.Column('decided_by_id', sa.Integer(), nullable=True),
            sa.Column('decided_at', app.orm.UTCDateTime(timezone=True), nullable=True),
            sa.Column('decision_note', sa.Text(), nullable=True),
            sa.Column('ended_by_id', sa.Integer(), nullable=True))


def _actions_check(actions) -> str:
    return f"action IN ({', '.join(repr(action) for action in actions)})"


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
    # Isolation proposed by the worker, decided by a commune leader (Decree 56/2017 art. 32). Those recorded before
    # were recorded as decided, by the name typed then.
    with op.batch_alter_table('emergency_measures', schema=None) as batch_op:
        for column in _measure_columns():
            batch_op.add_column(column)
        batch_op.create_check_constraint(op.f('ck_emergency_measures_isolation_status'),
                                         "isolation_status IN ('proposed', 'decided', 'declined')")
        batch_op.create_foreign_key(batch_op.f('fk_emergency_measures_decided_by_id_users'), 'users',
                                    ['decided_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_emergency_measures_ended_by_id_users'), 'users',
                                    ['ended_by_id'], ['id'])
    op.execute("UPDATE emergency_measures SET isolation_status = 'decided', decided_at = taken_at WHERE isolation")
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_steps_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_case_steps_action'), _actions_check(NEW_ACTIONS))
    # Plan actions done, and the review's day (Decree 56/2017 arts. 29-31).
    op.add_column('plans', sa.Column('review_due_on', sa.Date(), nullable=True))
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('done_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('done_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_plan_actions_done_by_id_users'), 'users', ['done_by_id'], ['id'])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER service_standards_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON "
                   f"service_standards FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                   "EXECUTE FUNCTION audit_outside_change('unit_id')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER service_standards_audit_outside_change ON service_standards")
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plan_actions_done_by_id_users'), type_='foreignkey')
        batch_op.drop_column('done_by_id')
        batch_op.drop_column('done_on')
    op.drop_column('plans', 'review_due_on')
    op.execute("DELETE FROM case_steps WHERE action IN "
               "('propose_isolation', 'decide_isolation', 'decline_isolation', 'complete_action')")
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_steps_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_case_steps_action'), _actions_check(OLD_ACTIONS))
    with op.batch_alter_table('emergency_measures', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_emergency_measures_ended_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_emergency_measures_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_emergency_measures_isolation_status'), type_='check')
        for column in reversed(_measure_columns()):
            batch_op.drop_column(column.name)
    op.drop_column('cases', 'episode_started_at')
    op.drop_table('service_standards')
