"""child_name_starts: names from each word on, for search by words; instead of trigram indexes

Revision ID: 6c2e8f4a1d37
Revises: b3f1c9d2e7a4
Create Date: 2026-11-29 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '6c2e8f4a1d37'
down_revision = 'b3f1c9d2e7a4'
branch_labels = None
depends_on = None

# Each folded name and other names, from each of its words on (as app.text.word_starts).
POSTGRESQL_BACKFILL = """
INSERT INTO child_name_starts (child_id, start)
SELECT DISTINCT c.id, array_to_string(words[i:], ' ')
  FROM children c,
       LATERAL (VALUES (string_to_array(c.name_folded, ' ')), (string_to_array(c.other_names_folded, ' ')))
               AS names (words),
       LATERAL generate_series(1, coalesce(array_length(words, 1), 0)) AS i
"""


def backfill_here(connection) -> None:
    """The same, in Python, for SQLite."""
    rows = []
    for child_id, *names in connection.execute(sa.text("SELECT id, name_folded, other_names_folded FROM children")):
        starts = set()
        for name in names:
            words = (name or "").split()
            starts.update(" ".join(words[index:]) for index in range(len(words)))
        rows.extend({"child_id": child_id, "start": start} for start in sorted(starts))
    if rows:
        connection.execute(sa.text("INSERT INTO child_name_starts (child_id, start) VALUES (:child_id, :start)"), rows)


def upgrade():
    op.create_table('child_name_starts',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_child_name_starts_child_id_children'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('child_id', 'start', name=op.f('pk_child_name_starts'))
    )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute(POSTGRESQL_BACKFILL)
    else:
        backfill_here(connection)
    op.create_index('ix_child_name_starts_start', 'child_name_starts', ['start', 'child_id'], unique=False,
                    postgresql_ops={'start': 'text_pattern_ops'})
    op.drop_index('ix_children_other_names_folded_trgm', table_name='children')
    op.drop_index('ix_children_name_folded_trgm', table_name='children')


def downgrade():
    op.create_index('ix_children_name_folded_trgm', 'children', ['name_folded'], unique=False,
                    postgresql_using='gin', postgresql_ops={'name_folded': 'gin_trgm_ops'})
    op.create_index('ix_children_other_names_folded_trgm', 'children', ['other_names_folded'], unique=False,
                    postgresql_using='gin', postgresql_ops={'other_names_folded': 'gin_trgm_ops'})
    op.drop_index('ix_child_name_starts_start', table_name='child_name_starts')
    op.drop_table('child_name_starts')
