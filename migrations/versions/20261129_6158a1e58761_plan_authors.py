"""plan_authors: everyone who wrote a version of a plan, none of whom may approve it

Revision ID: 6158a1e58761
Revises: 5d7e1a3c9b20
Create Date: 2026-11-29 09:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '6158a1e58761'
down_revision = '5d7e1a3c9b20'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"


def upgrade():
    op.create_table('plan_authors',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('plan_id', sa.Integer(), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_authors_plan_id_plans')),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_authors_user_id_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_authors')),
                    sa.UniqueConstraint('plan_id', 'user_id', name=op.f('uq_plan_authors_plan_id_user_id')))
    # Earlier plans kept only their last writer; that is all that is known of them, and the trail holds it already
    # (plans.drafted_by_id), so the copy goes in before the trigger that records changes made outside the app.
    op.execute('INSERT INTO plan_authors (plan_id, user_id) SELECT id, drafted_by_id FROM plans')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER plan_authors_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON plan_authors "
                   f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change('plan_id')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER plan_authors_audit_outside_change ON plan_authors")
    op.drop_table('plan_authors')
