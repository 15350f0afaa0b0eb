"""case_steps: each step of a case as it was taken, by whom and when, for the case's story

Revision ID: e225a371eb2c
Revises: 7c2e5a91d4b3
Create Date: 2026-12-06 17:23:11.805205

"""
from alembic import op
import sqlalchemy as sa

import app.orm

revision = 'e225a371eb2c'
down_revision = '7c2e5a91d4b3'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
ACTIONS = ('edit', 'assess', 'emergency', 'end_isolation', 'detail', 'draft_plan', 'submit_plan', 'approve_plan',
           'return_plan', 'log', 'review', 'new_plan', 'propose_closure', 'approve_closure', 'reopen')


def upgrade():
    op.create_table('case_steps',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('case_id', sa.Integer(), nullable=False),
                    sa.Column('action', sa.String(length=24), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('taken_at', app.orm.UTCDateTime(timezone=True), nullable=False),
                    sa.Column('detail', sa.String(length=16), nullable=True),
                    sa.Column('note', sa.Text(), nullable=True),
                    sa.CheckConstraint(f"action IN ({', '.join(repr(action) for action in ACTIONS)})",
                                       name=op.f('ck_case_steps_action')),
                    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_steps_case_id_cases')),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_steps_user_id_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_steps')))
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_steps_case_id'), ['case_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER case_steps_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON case_steps "
                   f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change('case_id')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER case_steps_audit_outside_change ON case_steps")
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_steps_case_id'))
    op.drop_table('case_steps')
