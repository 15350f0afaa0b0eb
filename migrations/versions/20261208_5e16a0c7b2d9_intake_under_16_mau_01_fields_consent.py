"""intake: Mẫu 01's missing fields (abused or at risk, the harm foreseen, the carers' age and occupation), consent
to the data being kept, and the statistics' copy of abused or at risk. Existing records keep every value: the new
columns are empty on them, and a 16- or 17-year-old's case stays as it was (the statistics count it apart).

Revision ID: 5e16a0c7b2d9
Revises: 259477505917
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e16a0c7b2d9'
down_revision = '259477505917'
branch_labels = None
depends_on = None

CASE_CHECKS = {
    'harm_status': "harm_status IN ('abused', 'at_risk')",
    'child_consent': "child_consent IN ('agreed', 'refused', 'under_7')",
    'carer_consent': "carer_consent IN ('agreed', 'refused', 'not_reached')",
    'data_ground': "data_ground IN ('protect_life', 'legal_duty')",
}


def upgrade():
    # Plain ALTERs (PostgreSQL, SQLite 3.35+): a batch would copy the cases table that every other one refers to.
    op.add_column('cases', sa.Column('harm_status', sa.String(length=8), nullable=True))
    op.add_column('cases', sa.Column('harm_foreseen', sa.Text(), nullable=True))
    op.add_column('cases', sa.Column('child_consent', sa.String(length=12), nullable=True))
    op.add_column('cases', sa.Column('carer_consent', sa.String(length=12), nullable=True))
    op.add_column('cases', sa.Column('data_ground', sa.String(length=16), nullable=True))
    op.add_column('carers', sa.Column('age', sa.Integer(), nullable=True))
    op.add_column('carers', sa.Column('occupation', sa.String(length=120), nullable=True))
    op.add_column('case_facts', sa.Column('harm_status', sa.String(length=8), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # SQLite cannot add a constraint to a table without copying it; the application checks the values there.
        for name, condition in CASE_CHECKS.items():
            op.create_check_constraint(op.f(f'ck_cases_{name}'), 'cases', condition)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in reversed(CASE_CHECKS):
            op.drop_constraint(op.f(f'ck_cases_{name}'), 'cases', type_='check')
    for table, column in (('case_facts', 'harm_status'), ('carers', 'occupation'), ('carers', 'age'),
                          ('cases', 'data_ground'), ('cases', 'carer_consent'), ('cases', 'child_consent'),
                          ('cases', 'harm_foreseen'), ('cases', 'harm_status')):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
