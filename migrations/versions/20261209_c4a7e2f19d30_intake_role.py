"""The intake role (hotline 111, police liaison: Decree 56/2017 art. 26.1); the recorder's list of reports

Revision ID: c4a7e2f19d30
Revises: b6d41c8e2f75
Create Date: 2026-12-09 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4a7e2f19d30'
down_revision = 'b6d41c8e2f75'
branch_labels = None
depends_on = None

ROLES_BEFORE = "('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin')"
ROLES_AFTER = "('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin', 'intake')"


def _set_roles(before: str, after: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table in ('users', 'access_grants'):
            op.drop_constraint(op.f(f'ck_{table}_role'), table, type_='check')
            op.create_check_constraint(op.f(f'ck_{table}_role'), table, f"role IN {after}")
        return
    # SQLite changes a constraint by copying the table, which every other table refers to; copying it needs the
    # foreign keys off, which cannot be done inside the migration's transaction. A CHECK constraint that admits
    # one value more is instead rewritten in the schema, the procedure SQLite documents for it ("Making Other
    # Kinds Of Table Schema Changes", sqlite.org/lang_altertable.html); the rows on disk stay as they are.
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    for table in ('users', 'access_grants'):
        sql = bind.scalar(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                          {"name": table})
        if f"role IN {before}" not in sql:
            raise RuntimeError(f"The role constraint of {table} is not the one this migration expects.")
        bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :name"),
                     {"sql": sql.replace(f"role IN {before}", f"role IN {after}"), "name": table})
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade():
    _set_roles(ROLES_BEFORE, ROLES_AFTER)
    op.create_index(op.f('ix_cases_created_by_id'), 'cases', ['created_by_id'], unique=False)


def downgrade():
    # An intake account has no role to fall back to: its administrator removes or moves it first.
    held = op.get_bind().scalar(sa.text("SELECT count(*) FROM users WHERE role = 'intake'"))
    if held:
        raise RuntimeError(f"{held} accounts hold the intake role; move them to another role first.")
    op.drop_index(op.f('ix_cases_created_by_id'), table_name='cases')
    op.execute("DELETE FROM access_grants WHERE role = 'intake'")
    _set_roles(ROLES_AFTER, ROLES_BEFORE)
