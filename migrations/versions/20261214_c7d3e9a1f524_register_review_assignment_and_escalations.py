"""Reviews of registered children (issue 18, points 2 and 5): who makes an entry's next review, a collaborator's
review waiting for the commune's confirmation, and long-overdue reviews raised by the deadline sweep

Revision ID: c7d3e9a1f524
Revises: c93b5f0e7a41
Create Date: 2026-12-14 07:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c7d3e9a1f524'
down_revision = 'c93b5f0e7a41'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"


def upgrade():
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_register_entries_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_register_entries_reviewer_id_users'), 'users',
                                    ['reviewer_id'], ['id'])
    with op.batch_alter_table('register_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmation', sa.String(length=12), server_default='confirmed',
                                      nullable=False))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_register_reviews_decided_by_id_users'), 'users',
                                    ['decided_by_id'], ['id'])
    op.create_table('register_review_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'],
                            name=op.f('fk_register_review_escalations_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entries.id'],
                            name=op.f('fk_register_review_escalations_entry_id_register_entries')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'],
                            name=op.f('fk_register_review_escalations_from_unit_id_units')),
    sa.ForeignKeyConstraint(['previous_id'], ['register_review_escalations.id'],
                            name=op.f('fk_register_review_escalations_previous_id_register_review_escalations')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_register_review_escalations_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_review_escalations')),
    sa.UniqueConstraint('entry_id', 'due_on', 'to_unit_id',
                        name=op.f('uq_register_review_escalations_entry_id_due_on_to_unit_id')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_register_review_escalations_previous_id'))
    )
    op.create_index(op.f('ix_register_review_escalations_entry_id'), 'register_review_escalations', ['entry_id'],
                    unique=False)
    op.create_index('ix_register_review_escalations_to_unit_acknowledged', 'register_review_escalations',
                    ['to_unit_id', 'acknowledged_at'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Audited: a change made outside the application is written to the trail (as for every audited table).
        op.execute("CREATE TRIGGER register_review_escalations_audit_outside_change AFTER INSERT OR UPDATE OR DELETE "
                   "ON register_review_escalations "
                   f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change('none')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER register_review_escalations_audit_outside_change ON register_review_escalations")
    op.drop_index('ix_register_review_escalations_to_unit_acknowledged', table_name='register_review_escalations')
    op.drop_index(op.f('ix_register_review_escalations_entry_id'), table_name='register_review_escalations')
    op.drop_table('register_review_escalations')
    with op.batch_alter_table('register_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_register_reviews_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by_id')
        batch_op.drop_column('confirmation')
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_register_entries_reviewer_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_register_entries_reviewer_id'))
        batch_op.drop_column('reviewer_id')
