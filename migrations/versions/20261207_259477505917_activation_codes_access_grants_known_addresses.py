"""activation codes and access grants (no password an administrator chose reads a case), known addresses (failures
from them slow down rather than lock), tokens of deactivated accounts revoked

Revision ID: 259477505917
Revises: e225a371eb2c
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.orm


revision = '259477505917'
down_revision = 'e225a371eb2c'
branch_labels = None
depends_on = None

# As in the audit trail's migration: the triggers fire only for connections that are not the application's.
OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"


def _users_trigger(*secrets: str) -> list[str]:
    arguments = ", ".join(f"'{argument}'" for argument in ("unit_id", *secrets))
    return ["DROP TRIGGER users_audit_outside_change ON users",
            f"CREATE TRIGGER users_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON users "
            f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change({arguments})"]


def upgrade():
    op.create_table('access_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("decision IN ('approved', 'refused', 'withdrawn')", name=op.f('ck_access_grants_decision')),
    sa.CheckConstraint("kind IN ('new_account', 'placement', 'password_reset')", name=op.f('ck_access_grants_kind')),
    sa.CheckConstraint("role IN ('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin')", name=op.f('ck_access_grants_role')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_access_grants_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_access_grants_requested_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_access_grants_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_access_grants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_grants'))
    )
    with op.batch_alter_table('access_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_grants_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_access_grants_open_user_id', ['user_id'], unique=True,
                              sqlite_where=sa.text('decision IS NULL'), postgresql_where=sa.text('decision IS NULL'))

    op.create_table('known_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('last_sign_in_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_known_addresses_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_addresses')),
    sa.UniqueConstraint('user_id', 'address', name=op.f('uq_known_addresses_user_id_address'))
    )
    # Plain ALTERs (PostgreSQL, SQLite 3.35+): a batch would copy the table that every other one refers to.
    op.add_column('users', sa.Column('activation_code_hash', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('activation_expires_at', app.orm.UTCDateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('awaiting_approval', sa.Boolean(), server_default=sa.false(), nullable=False))
    # A password an administrator chose (issue 13's accounts that have not replaced it yet) stops working: an
    # administrator gives such a person an activation code instead.
    op.execute("UPDATE users SET password_hash = '!' WHERE must_choose_password")
    op.execute("ALTER TABLE users DROP COLUMN must_choose_password")
    # Tokens of deactivated accounts were only ignored, and came back to life at reactivation.
    op.execute("UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL "
               "AND user_id IN (SELECT id FROM users WHERE NOT active)")
    if op.get_bind().dialect.name == "postgresql":
        for statement in _users_trigger("password_hash", "activation_code_hash"):
            op.execute(statement)
        op.execute("CREATE TRIGGER access_grants_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON "
                   f"access_grants FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) "
                   "EXECUTE FUNCTION audit_outside_change('unit_id')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_grants_audit_outside_change ON access_grants")
        for statement in _users_trigger("password_hash"):
            op.execute(statement)
    op.add_column('users', sa.Column('must_choose_password', sa.Boolean(), server_default=sa.false(), nullable=False))
    for column in ('awaiting_approval', 'activation_expires_at', 'activation_code_hash'):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")

    op.drop_table('known_addresses')
    with op.batch_alter_table('access_grants', schema=None) as batch_op:
        batch_op.drop_index('uq_access_grants_open_user_id', sqlite_where=sa.text('decision IS NULL'),
                            postgresql_where=sa.text('decision IS NULL'))
        batch_op.drop_index(batch_op.f('ix_access_grants_unit_id'))

    op.drop_table('access_grants')
