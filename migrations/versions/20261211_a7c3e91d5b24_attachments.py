"""attachments: files attached to a case as evidence, and their bytes in chunks (issue 17)

Revision ID: a7c3e91d5b24
Revises: fbeeee5496b1
Create Date: 2026-12-11 00:00:00
"""
import sqlalchemy as sa
from alembic import op

import app.orm

revision = 'a7c3e91d5b24'
down_revision = 'fbeeee5496b1'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
# A file is never replaced or edited (issue 17): its chunks are only ever inserted.
SQLITE_UPGRADE = [
    """CREATE TRIGGER attachment_chunks_no_update BEFORE UPDATE ON attachment_chunks
       BEGIN SELECT RAISE(ABORT, 'attached files are never changed'); END""",
    """CREATE TRIGGER attachment_chunks_no_delete BEFORE DELETE ON attachment_chunks
       BEGIN SELECT RAISE(ABORT, 'attached files are never changed'); END""",
]
POSTGRESQL_UPGRADE = [
    """CREATE FUNCTION attachment_chunks_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'attached files are never changed: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER attachment_chunks_insert_only BEFORE UPDATE OR DELETE ON attachment_chunks
       FOR EACH ROW EXECUTE FUNCTION attachment_chunks_refuse_change()""",
    """CREATE TRIGGER attachment_chunks_no_truncate BEFORE TRUNCATE ON attachment_chunks
       FOR EACH STATEMENT EXECUTE FUNCTION attachment_chunks_refuse_change()""",
    "CREATE TRIGGER attachments_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON attachments "
    f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change('case_id')",
]


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('form', sa.String(length=2), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('original_sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_sha256', sa.String(length=64), nullable=False),
    sa.Column('has_thumbnail', sa.Boolean(), nullable=False),
    sa.Column('pdf_has_script', sa.Boolean(), nullable=False),
    sa.Column('store', sa.String(length=16), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('injury_photo', 'medical', 'police', 'school', 'signed_form', 'consent', 'other')", name=op.f('ck_attachments_kind')),
    sa.CheckConstraint("media_type IN ('image/jpeg', 'image/png', 'application/pdf')", name=op.f('ck_attachments_media_type')),
    sa.CheckConstraint("store IN ('database', 'filesystem')", name=op.f('ck_attachments_store')),
    sa.CheckConstraint("(kind = 'signed_form') = (form IS NOT NULL)", name=op.f('ck_attachments_form_of_signed_form')),
    sa.CheckConstraint('(withdrawn_at IS NULL) = (withdrawal_reason IS NULL)', name=op.f('ck_attachments_withdrawal_reason')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_attachments_added_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision_numbers.id'], name=op.f('fk_attachments_decision_id_decision_numbers')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_attachments_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_attachments_decision_id', ['decision_id'], unique=False)

    op.create_table('attachment_chunks',
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_attachment_chunks_attachment_id_attachments')),
    sa.PrimaryKeyConstraint('attachment_id', 'part', 'seq', name=op.f('pk_attachment_chunks'))
    )
    statements = POSTGRESQL_UPGRADE if op.get_bind().dialect.name == "postgresql" else SQLITE_UPGRADE
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER attachments_audit_outside_change ON attachments")
    op.drop_table('attachment_chunks')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION attachment_chunks_refuse_change()")
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_decision_id')
        batch_op.drop_index(batch_op.f('ix_attachments_case_id'))

    op.drop_table('attachments')
