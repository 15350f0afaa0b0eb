"""Village collaborators (issue 18, point 2): the role, and who added a register entry and whether the commune
worker confirmed it; the imports' checked rows between the preview and the confirmation (point 3)

Revision ID: b8e4c2a6d913
Revises: 3a9c5e7d1b24
Create Date: 2026-12-12 04:40:00

"""
import sqlalchemy as sa
from alembic import op

import app.orm

revision = 'b8e4c2a6d913'
down_revision = '3a9c5e7d1b24'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin', 'intake')"
ROLES_AFTER = ("role IN ('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin', "
               "'intake', 'collaborator')")
CHECKS = (('users', 'role'), ('access_grants', 'role'))


def _set_checks(before: str, after: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, name in CHECKS:
            op.drop_constraint(op.f(f'ck_{table}_{name}'), table, type_='check')
            op.create_check_constraint(op.f(f'ck_{table}_{name}'), table, after)
        return
    # As in c4a7e2f19d30: SQLite's CHECK constraint is rewritten in the schema (sqlite.org/lang_altertable.html),
    # copying the users table would need the foreign keys off.
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    for table, _name in CHECKS:
        sql = bind.scalar(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                          {"name": table})
        if before not in sql:
            raise RuntimeError(f"A constraint of {table} is not the one this migration expects.")
        bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :name"),
                     {"sql": sql.replace(before, after), "name": table})
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade():
    _set_checks(ROLES_BEFORE, ROLES_AFTER)
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confirmation', sa.String(length=12), server_default='confirmed',
                                      nullable=False))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', app.orm.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f('ix_register_entries_added_by_id'), ['added_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_register_entries_added_by_id_users'), 'users',
                                    ['added_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_register_entries_decided_by_id_users'), 'users',
                                    ['decided_by_id'], ['id'])
    op.create_table('register_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('encoding', sa.String(length=10), nullable=True),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('applied_at', app.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_register_imports_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_register_imports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_imports'))
    )
    op.create_index(op.f('ix_register_imports_user_id'), 'register_imports', ['user_id'], unique=False)


def downgrade():
    bind = op.get_bind()
    held = bind.scalar(sa.text("SELECT count(*) FROM users WHERE role = 'collaborator'"))
    if held:
        raise RuntimeError(f"{held} accounts hold the collaborator role; move them to another role first.")
    op.drop_index(op.f('ix_register_imports_user_id'), table_name='register_imports')
    op.drop_table('register_imports')
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_register_entries_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_register_entries_added_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_register_entries_added_by_id'))
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by_id')
        batch_op.drop_column('confirmation')
        batch_op.drop_column('added_by_id')
    op.execute("DELETE FROM access_grants WHERE role = 'collaborator'")
    _set_checks(ROLES_AFTER, ROLES_BEFORE)
