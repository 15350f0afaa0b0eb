"""covering indexes for the statistics: a year's cases joined in key order without reading the tables

Revision ID: 824a870f2f1d
Revises: e4c9a037be2c
Create Date: 2026-11-29 02:10:00.000000

"""
from alembic import op

revision = '824a870f2f1d'
down_revision = 'e4c9a037be2c'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite ignores INCLUDE; there these are plain indexes.
    op.create_index('ix_cases_id_for_statistics', 'cases', ['id'], unique=False,
                    postgresql_include=['received_at', 'unit_id', 'status', 'closed_at'])
    op.drop_index('ix_cases_child_id', table_name='cases')
    op.create_index('ix_cases_child_id', 'cases', ['child_id'], unique=False,
                    postgresql_include=['received_at', 'unit_id'])
    op.create_index('ix_children_id_for_statistics', 'children', ['id'], unique=False,
                    postgresql_include=['sex', 'date_of_birth', 'birth_year'])
    op.create_index('ix_case_deadlines_case_id_for_statistics', 'case_deadlines', ['case_id'], unique=False,
                    postgresql_include=['name', 'due_at', 'met_at'])
    op.create_index('ix_assessments_case_id_kind', 'assessments', ['case_id', 'kind'], unique=False,
                    postgresql_include=['created_at'])
    op.drop_index('ix_assessments_case_id', table_name='assessments')


def downgrade():
    op.create_index('ix_assessments_case_id', 'assessments', ['case_id'], unique=False)
    op.drop_index('ix_assessments_case_id_kind', table_name='assessments')
    op.drop_index('ix_case_deadlines_case_id_for_statistics', table_name='case_deadlines')
    op.drop_index('ix_children_id_for_statistics', table_name='children')
    op.drop_index('ix_cases_child_id', table_name='cases')
    op.create_index('ix_cases_child_id', 'cases', ['child_id'], unique=False)
    op.drop_index('ix_cases_id_for_statistics', table_name='cases')
