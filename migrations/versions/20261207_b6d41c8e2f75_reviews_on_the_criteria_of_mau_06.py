"""reviews on the criteria of Mẫu 06 (Decree 56/2017 art. 30), each scored with a note; reviews recorded on the
former four criteria keep their scores, as recorded, in former_scores

Revision ID: b6d41c8e2f75
Revises: 91694bfb7540
Create Date: 2026-12-06 21:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b6d41c8e2f75'
down_revision = '91694bfb7540'
branch_labels = None
depends_on = None

CRITERIA = ('harm', 'abuser_access', 'care_obstacles', 'self_protection')


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.alter_column('scores', new_column_name='former_scores', existing_type=sa.JSON(), nullable=True)
        for criterion in CRITERIA:
            batch_op.add_column(sa.Column(criterion, sa.String(length=8), nullable=True))
            batch_op.add_column(sa.Column(f'{criterion}_note', sa.Text(), nullable=True))
            batch_op.create_check_constraint(batch_op.f(f'ck_reviews_{criterion}'),
                                             f"{criterion} IN ('high', 'medium', 'low')")


def downgrade():
    # The former schema has one JSON of scores: a review on Mẫu 06 keeps its levels there, keyed by criterion.
    reviews = sa.table('reviews', sa.column('id', sa.Integer), sa.column('former_scores', sa.JSON),
                       *[sa.column(criterion, sa.String) for criterion in CRITERIA])
    connection = op.get_bind()
    for row in connection.execute(sa.select(reviews).where(reviews.c.harm.is_not(None))).mappings():
        connection.execute(reviews.update().where(reviews.c.id == row['id'])
                           .values(former_scores={criterion: row[criterion] for criterion in CRITERIA}))
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        for criterion in CRITERIA:
            batch_op.drop_constraint(batch_op.f(f'ck_reviews_{criterion}'), type_='check')
            batch_op.drop_column(f'{criterion}_note')
            batch_op.drop_column(criterion)
        batch_op.alter_column('former_scores', new_column_name='scores', existing_type=sa.JSON(), nullable=False)
