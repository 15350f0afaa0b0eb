"""children, cases and their steps, holidays; outside-change triggers for them

Revision ID: 379030f1491a
Revises: 950635f77801
Create Date: 2026-11-28 23:50:17.348272

"""
from alembic import op
import sqlalchemy as sa

import app.orm


# revision identifiers, used by Alembic.
revision = '379030f1491a'
down_revision = '950635f77801'
branch_labels = None
depends_on = None

# As in the audit trail's migration: the triggers fire only for connections that are not the application's.
OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
AUDITED_TABLES = {
    # table: (how to find the unit an entry is about, columns whose values stay out of the trail)
    "holidays": ("none", ()),
    "children": ("address_unit_id", ()),
    "carers": ("child_id", ()),
    "cases": ("unit_id", ()),
    "case_categories": ("case_id", ()),
    "case_deadlines": ("case_id", ()),
    "assessments": ("case_id", ()),
    "emergency_measures": ("case_id", ()),
    "plans": ("case_id", ()),
    "plan_actions": ("plan_id", ()),
    "timeline_entries": ("case_id", ()),
    "reviews": ("case_id", ()),
}



def upgrade():
    op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_holidays_day'))
    )
    op.create_table('case_sequences',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_case_sequences_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_case_sequences'))
    )
    op.create_table('children',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('other_names', sa.String(length=200), nullable=True),
    sa.Column('name_folded', sa.String(length=200), nullable=False),
    sa.Column('other_names_folded', sa.String(length=200), nullable=True),
    sa.Column('sex', sa.String(length=8), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=12), nullable=True),
    sa.Column('ethnicity', sa.String(length=80), nullable=True),
    sa.Column('address_unit_id', sa.Integer(), nullable=True),
    sa.Column('address_detail', sa.String(length=300), nullable=True),
    sa.Column('school', sa.String(length=200), nullable=True),
    sa.Column('special_circumstances', sa.JSON(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sex IN ('male', 'female')", name=op.f('ck_children_sex')),
    sa.CheckConstraint('date_of_birth IS NOT NULL OR birth_year IS NOT NULL', name=op.f('ck_children_birth_known')),
    sa.ForeignKeyConstraint(['address_unit_id'], ['units.id'], name=op.f('fk_children_address_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_birth_year'), ['birth_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_name_folded'), ['name_folded'], unique=False)

    op.create_table('carers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relationship_to_child', sa.String(length=80), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_carers_child_id_children')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carers'))
    )
    with op.batch_alter_table('carers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carers_child_id'), ['child_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('received_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reporter_name', sa.String(length=200), nullable=True),
    sa.Column('reporter_contact', sa.String(length=100), nullable=True),
    sa.Column('reporter_may_be_named', sa.Boolean(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('immediate_danger', sa.Boolean(), nullable=False),
    sa.Column('action_taken', sa.Text(), nullable=True),
    sa.Column('risk_level', sa.String(length=8), nullable=True),
    sa.Column('assigned_worker_id', sa.Integer(), nullable=True),
    sa.Column('closure_reason', sa.String(length=16), nullable=True),
    sa.Column('closure_note', sa.Text(), nullable=True),
    sa.Column('closure_proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("risk_level IN ('high', 'medium', 'low')", name=op.f('ck_cases_risk_level')),
    sa.CheckConstraint("status IN ('reported', 'assessing', 'planning', 'in_progress', 'monitoring', 'closed')", name=op.f('ck_cases_status')),
    sa.ForeignKeyConstraint(['assigned_worker_id'], ['users.id'], name=op.f('fk_cases_assigned_worker_id_users')),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_cases_child_id_children')),
    sa.ForeignKeyConstraint(['closure_proposed_by_id'], ['users.id'], name=op.f('fk_cases_closure_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cases_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_cases_reference'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_assigned_worker_id'), ['assigned_worker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_cases_unit_id_status', ['unit_id', 'status'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('risk_level', sa.String(length=8), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('meeting_minutes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_assessments_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assessments_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_case_id'), ['case_id'], unique=False)

    op.create_table('case_categories',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.CheckConstraint("category IN ('violence', 'sexual_abuse', 'exploitation', 'neglect', 'abandonment', 'trafficking', 'other')", name=op.f('ck_case_categories_category')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_categories_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'category', name=op.f('pk_case_categories'))
    )
    with op.batch_alter_table('case_categories', schema=None) as batch_op:
        batch_op.create_index('ix_case_categories_category_case_id', ['category', 'case_id'], unique=False)

    op.create_table('case_deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('due_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('met_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_deadlines_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_deadlines')),
    sa.UniqueConstraint('case_id', 'name', name=op.f('uq_case_deadlines_case_id_name'))
    )
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_case_deadlines_open', ['met_at', 'due_at'], unique=False)

    op.create_table('emergency_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('taken_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('isolation', sa.Boolean(), nullable=False),
    sa.Column('isolation_place', sa.String(length=300), nullable=True),
    sa.Column('isolation_from', sa.Date(), nullable=True),
    sa.Column('isolation_until', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_emergency_measures_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_emergency_measures_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_measures'))
    )
    with op.batch_alter_table('emergency_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emergency_measures_case_id'), ['case_id'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'returned')", name=op.f('ck_plans_status')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_plans_case_id_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_plans_decided_by_id_users')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_plans_drafted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_case_id'), ['case_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_reviews_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reviews_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_case_id'), ['case_id'], unique=False)

    op.create_table('timeline_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('occurred_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('visit', 'contact', 'service', 'note')", name=op.f('ck_timeline_entries_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_timeline_entries_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_timeline_entries_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_entries'))
    )
    with op.batch_alter_table('timeline_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timeline_entries_case_id'), ['case_id'], unique=False)

    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_actions_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_actions'))
    )
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actions_plan_id'), ['plan_id'], unique=False)


    if op.get_bind().dialect.name == "postgresql":
        for table, (unit, secrets) in AUDITED_TABLES.items():
            arguments = ", ".join(f"'{argument}'" for argument in (unit, *secrets))
            op.execute(f"CREATE TRIGGER {table}_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                       f"EXECUTE FUNCTION audit_outside_change({arguments})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDITED_TABLES:
            op.execute(f"DROP TRIGGER {table}_audit_outside_change ON {table}")
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_actions_plan_id'))

    op.drop_table('plan_actions')
    with op.batch_alter_table('timeline_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timeline_entries_case_id'))

    op.drop_table('timeline_entries')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_case_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_case_id'))

    op.drop_table('plans')
    with op.batch_alter_table('emergency_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emergency_measures_case_id'))

    op.drop_table('emergency_measures')
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_case_deadlines_open')

    op.drop_table('case_deadlines')
    with op.batch_alter_table('case_categories', schema=None) as batch_op:
        batch_op.drop_index('ix_case_categories_category_case_id')

    op.drop_table('case_categories')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_case_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_unit_id_status')
        batch_op.drop_index(batch_op.f('ix_cases_child_id'))
        batch_op.drop_index(batch_op.f('ix_cases_assigned_worker_id'))

    op.drop_table('cases')
    with op.batch_alter_table('carers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carers_child_id'))

    op.drop_table('carers')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_name_folded'))
        batch_op.drop_index(batch_op.f('ix_children_id_number'))
        batch_op.drop_index(batch_op.f('ix_children_birth_year'))

    op.drop_table('children')
    op.drop_table('case_sequences')
    op.drop_table('holidays')
