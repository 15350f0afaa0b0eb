"""The intake role (hotline 111, police liaison: Decree 56/2017 art. 26.1) and the recorder's list of reports;
Mẫu 01's unknowns: a child's sex not known, a description instead of a name, an estimated age

Revision ID: c4a7e2f19d30
Revises: 5b1e7c0d9a42
Create Date: 2026-12-09 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4a7e2f19d30'
down_revision = '5b1e7c0d9a42'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin')"
ROLES_AFTER = "role IN ('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin', 'intake')"
SEXES_BEFORE = "sex IN ('male', 'female')"
SEXES_AFTER = "sex IN ('male', 'female', 'unknown')"
# (table, constraint, condition before, condition after)
CHECKS = (('users', 'role', ROLES_BEFORE, ROLES_AFTER), ('access_grants', 'role', ROLES_BEFORE, ROLES_AFTER),
          ('children', 'sex', SEXES_BEFORE, SEXES_AFTER))


def _set_checks(undo: bool) -> None:
    bind = op.get_bind()
    checks = [(table, name, after, before) if undo else (table, name, before, after)
              for table, name, before, after in CHECKS]
    if bind.dialect.name != "sqlite":
        for table, name, _before, after in checks:
            op.drop_constraint(op.f(f'ck_{table}_{name}'), table, type_='check')
            op.create_check_constraint(op.f(f'ck_{table}_{name}'), table, after)
        return
    # SQLite changes a constraint by copying the table, which other tables refer to; copying it needs the foreign
    # keys off, which cannot be done inside the migration's transaction. A CHECK constraint that admits one value
    # more is instead rewritten in the schema, the procedure SQLite documents for it ("Making Other Kinds Of Table
    # Schema Changes", sqlite.org/lang_altertable.html); the rows on disk stay as they are. Undone, it admits one
    # value less: the downgrade first makes sure no row holds it.
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    for table, _name, before, after in checks:
        sql = bind.scalar(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                          {"name": table})
        if before not in sql:
            raise RuntimeError(f"A constraint of {table} is not the one this migration expects.")
        bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :name"),
                     {"sql": sql.replace(before, after), "name": table})
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade():
    _set_checks(undo=False)
    op.create_index(op.f('ix_cases_created_by_id'), 'cases', ['created_by_id'], unique=False)
    # Plain ALTERs (PostgreSQL, SQLite 3.35+): a batch would copy the children table that others refer to.
    op.add_column('children', sa.Column('description', sa.Text(), nullable=True))
    op.add_column('children', sa.Column('age_estimated', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    # An intake account has no role to fall back to, nor a child of unknown sex a sex: those are settled first.
    bind = op.get_bind()
    held = bind.scalar(sa.text("SELECT count(*) FROM users WHERE role = 'intake'"))
    if held:
        raise RuntimeError(f"{held} accounts hold the intake role; move them to another role first.")
    unknown = bind.scalar(sa.text("SELECT count(*) FROM children WHERE sex = 'unknown' OR full_name = ''"))
    if unknown:
        raise RuntimeError(f"{unknown} children are recorded without their sex or name; complete them first.")
    op.execute("ALTER TABLE children DROP COLUMN age_estimated")
    op.execute("ALTER TABLE children DROP COLUMN description")
    op.drop_index(op.f('ix_cases_created_by_id'), table_name='cases')
    op.execute("DELETE FROM access_grants WHERE role = 'intake'")
    _set_checks(undo=True)
