"""Departments and agencies report (issue 19, point 1; the plan's section III): the province's departments, the
department officer's role and department, which reporters a round asks, and a report sent by a department

Revision ID: c3f8a1d6e2b7
Revises: 4f6b2d8e1a93
Create Date: 2026-12-14 07:30:00

"""
import sqlalchemy as sa
from alembic import op

import app.orm

revision = 'c3f8a1d6e2b7'
down_revision = '4f6b2d8e1a93'
branch_labels = None
depends_on = None

OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"

ROLES_BEFORE = ("role IN ('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin', "
                "'intake', 'collaborator')")
ROLES_AFTER = ("role IN ('worker', 'commune_leader', 'supervisor', 'province_officer', 'inspector', 'admin', "
               "'intake', 'collaborator', 'department_officer')")
CHECKS = (('users', 'role'), ('access_grants', 'role'))


def _set_checks(before: str, after: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table, name in CHECKS:
            op.drop_constraint(op.f(f'ck_{table}_{name}'), table, type_='check')
            op.create_check_constraint(op.f(f'ck_{table}_{name}'), table, after)
        return
    # As in b8e4c2a6d913: SQLite's CHECK constraint is rewritten in the schema; copying the users table would need
    # the foreign keys off.
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


def _defer_foreign_keys() -> None:
    """SQLite copies unit_reports to drop a constraint: its comments and escalations point at it meanwhile, so their
    keys are checked at commit, when the copy holds the same ids."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")


def upgrade():
    _set_checks(ROLES_BEFORE, ROLES_AFTER)
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['province_id'], ['units.id'], name=op.f('fk_departments_province_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('province_id', 'name', name=op.f('uq_departments_province_id_name'))
    )
    op.create_index(op.f('ix_departments_province_id'), 'departments', ['province_id'], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its foreign key in place (copying the users table would need the keys off).
        op.execute("ALTER TABLE users ADD COLUMN department_id INTEGER "
                   "CONSTRAINT fk_users_department_id_departments REFERENCES departments (id)")
    else:
        op.add_column('users', sa.Column('department_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_users_department_id_departments'), 'users', 'departments',
                              ['department_id'], ['id'])
    op.create_index(op.f('ix_users_department_id'), 'users', ['department_id'], unique=False)
    with op.batch_alter_table('report_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('communes_report', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('districts_report', sa.Boolean(), server_default=sa.true(), nullable=False))
    _defer_foreign_keys()
    with op.batch_alter_table('unit_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_unit_reports_round_id_unit_id'), type_='unique')
        batch_op.create_foreign_key(batch_op.f('fk_unit_reports_department_id_departments'), 'departments',
                                    ['department_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_unit_reports_department_id'), ['department_id'], unique=False)
    # One report per unit, and one per department, in a round.
    op.create_index('uq_unit_reports_round_id_unit_id', 'unit_reports', ['round_id', 'unit_id'], unique=True,
                    sqlite_where=sa.text('department_id IS NULL'), postgresql_where=sa.text('department_id IS NULL'))
    op.create_index('uq_unit_reports_round_id_department_id', 'unit_reports', ['round_id', 'department_id'],
                    unique=True, sqlite_where=sa.text('department_id IS NOT NULL'),
                    postgresql_where=sa.text('department_id IS NOT NULL'))

    if op.get_bind().dialect.name == "postgresql":
        # Audited: a change made outside the application is written to the trail (as for every audited table).
        op.execute("CREATE TRIGGER departments_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON departments "
                   f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change('none')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER departments_audit_outside_change ON departments")
    bind = op.get_bind()
    held = bind.scalar(sa.text("SELECT count(*) FROM users WHERE role = 'department_officer'"))
    if held:
        raise RuntimeError(f"{held} accounts hold the department officer role; move them to another role first.")
    sent = bind.scalar(sa.text("SELECT count(*) FROM unit_reports WHERE department_id IS NOT NULL"))
    if sent:
        raise RuntimeError(f"{sent} reports were made for departments; they would be lost.")
    op.drop_index('uq_unit_reports_round_id_department_id', table_name='unit_reports')
    op.drop_index('uq_unit_reports_round_id_unit_id', table_name='unit_reports')
    _defer_foreign_keys()
    with op.batch_alter_table('unit_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_reports_department_id'))
        batch_op.drop_constraint(batch_op.f('fk_unit_reports_department_id_departments'), type_='foreignkey')
        batch_op.create_unique_constraint(batch_op.f('uq_unit_reports_round_id_unit_id'), ['round_id', 'unit_id'])
        batch_op.drop_column('department_id')
    with op.batch_alter_table('report_rounds', schema=None) as batch_op:
        batch_op.drop_column('districts_report')
        batch_op.drop_column('communes_report')
    op.drop_index(op.f('ix_users_department_id'), table_name='users')
    if bind.dialect.name == "sqlite":
        # Its foreign key is the column's own (see `upgrade`): SQLite drops both in place.
        op.execute("ALTER TABLE users DROP COLUMN department_id")
    else:
        op.drop_constraint(op.f('fk_users_department_id_departments'), 'users', type_='foreignkey')
        op.drop_column('users', 'department_id')
    op.execute("DELETE FROM access_grants WHERE role = 'department_officer'")
    _set_checks(ROLES_AFTER, ROLES_BEFORE)
    op.drop_index(op.f('ix_departments_province_id'), table_name='departments')
    op.drop_table('departments')
