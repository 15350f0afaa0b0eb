"""case_facts: what the statistics count of each case, in one narrow row per case, filled from the cases

Revision ID: b3f1c9d2e7a4
Revises: 824a870f2f1d
Create Date: 2026-11-29 04:45:00.000000

"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa
from flask import current_app

import app.orm

revision = 'b3f1c9d2e7a4'
down_revision = '824a870f2f1d'
branch_labels = None
depends_on = None

# As app.reports.facts.rewrite() when this revision was written: the bits of CATEGORY_BITS, and the child's
# whole years on the local day of the report (app.reports.sql.age_at), in each dialect.
BACKFILL = """
INSERT INTO case_facts (case_id, unit_id, received_at, child_sex, child_age, categories, first_assessed_at)
SELECT c.id, c.unit_id, c.received_at, ch.sex, {age},
       (SELECT coalesce(sum(CASE cc.category WHEN 'violence' THEN 1 WHEN 'sexual_abuse' THEN 2
                                             WHEN 'exploitation' THEN 4 WHEN 'neglect' THEN 8
                                             WHEN 'abandonment' THEN 16 WHEN 'trafficking' THEN 32
                                             WHEN 'other' THEN 64 ELSE 0 END), 0)
          FROM case_categories cc WHERE cc.case_id = c.id),
       (SELECT min(a.created_at) FROM assessments a WHERE a.case_id = c.id AND a.kind = 'initial')
  FROM cases c JOIN children ch ON ch.id = c.child_id
"""
POSTGRESQL_AGE = """CAST(CASE WHEN ch.date_of_birth IS NOT NULL
    THEN date_part('year', age(CAST(timezone('{zone}', c.received_at) AS DATE), ch.date_of_birth))
    ELSE date_part('year', CAST(timezone('{zone}', c.received_at) AS DATE)) - ch.birth_year END AS INTEGER)"""
# SQLite: the zone's offset now, exact for Viet Nam (no daylight saving since 1975).
SQLITE_AGE = """CASE WHEN ch.date_of_birth IS NOT NULL
    THEN CAST(strftime('%Y', datetime(c.received_at, '{offset}')) AS INTEGER)
         - CAST(strftime('%Y', ch.date_of_birth) AS INTEGER)
         - (strftime('%m-%d', datetime(c.received_at, '{offset}')) < strftime('%m-%d', ch.date_of_birth))
    ELSE CAST(strftime('%Y', datetime(c.received_at, '{offset}')) AS INTEGER) - ch.birth_year END"""


def backfill(dialect: str, zone: str) -> str:
    if dialect == "postgresql":
        return BACKFILL.format(age=POSTGRESQL_AGE.format(zone=zone))
    offset = datetime.now(timezone.utc).astimezone(ZoneInfo(zone)).utcoffset()
    return BACKFILL.format(age=SQLITE_AGE.format(offset=f"{int(offset.total_seconds()):+d} seconds"))


def upgrade():
    op.create_table('case_facts',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('received_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('child_sex', sa.String(length=8), nullable=False),
    sa.Column('child_age', sa.Integer(), nullable=False),
    sa.Column('categories', sa.Integer(), nullable=False),
    sa.Column('first_assessed_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_facts_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_facts'))
    )
    op.execute(backfill(op.get_bind().dialect.name, current_app.config["APP_TIMEZONE"]))
    op.create_index('ix_case_facts_unit_id_received_at', 'case_facts', ['unit_id', 'received_at'], unique=False,
                    postgresql_include=['child_sex', 'child_age', 'categories', 'first_assessed_at'])


def downgrade():
    op.drop_index('ix_case_facts_unit_id_received_at', table_name='case_facts')
    op.drop_table('case_facts')
