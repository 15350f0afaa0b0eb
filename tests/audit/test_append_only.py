"""The database itself refuses to rewrite the trail."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.factories import audit_entries


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entries SET actor = 'someone.else'",
    "DELETE FROM audit_entries",
    "DELETE FROM audit_head",
])
def test_the_database_refuses_to_change_or_delete_entries(make_user, statement):
    before = [(entry.id, entry.actor) for entry in audit_entries()]
    with pytest.raises(sa.exc.DatabaseError):
        with db.engine.begin() as connection:
            connection.execute(sa.text(statement))
    db.session.expire_all()
    assert [(entry.id, entry.actor) for entry in audit_entries()] == before


@pytest.mark.postgresql_only
def test_postgresql_refuses_to_truncate_the_trail(make_user):
    with pytest.raises(sa.exc.DatabaseError):
        with db.engine.begin() as connection:
            connection.execute(sa.text("TRUNCATE audit_entries"))
    assert audit_entries()


@pytest.fixture
def application_role(app):
    """A PostgreSQL role set up as docs/postgresql-roles.md tells operators to run the application."""
    statements = [
        "DROP ROLE IF EXISTS cases_app_test",
        "CREATE ROLE cases_app_test NOLOGIN",
        "GRANT USAGE ON SCHEMA public TO cases_app_test",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cases_app_test",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO cases_app_test",
        "REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM cases_app_test",
        "REVOKE DELETE, TRUNCATE ON audit_head FROM cases_app_test",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    yield "cases_app_test"
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP OWNED BY cases_app_test"))
        connection.execute(sa.text("DROP ROLE cases_app_test"))


@pytest.mark.postgresql_only
@pytest.mark.parametrize("statement", [
    "UPDATE audit_entries SET actor = 'x'",
    "DELETE FROM audit_entries",
    "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
])
def test_the_application_role_lacks_the_privileges_to_rewrite_the_trail(make_user, application_role, statement):
    with pytest.raises(sa.exc.ProgrammingError, match="permission denied|must be owner"):
        with db.engine.begin() as connection:
            connection.execute(sa.text(f"SET LOCAL ROLE {application_role}"))
            connection.execute(sa.text(statement))


@pytest.mark.postgresql_only
def test_the_application_role_can_still_write_the_trail(make_user, application_role):
    make_user("worker")
    with db.engine.begin() as connection:
        connection.execute(sa.text("SET LOCAL audit.application = 'off'"))  # so that the trigger writes
        connection.execute(sa.text(f"SET LOCAL ROLE {application_role}"))
        connection.execute(sa.text("UPDATE users SET full_name = 'Bằng SQL'"))
    assert audit_entries(actor="db:postgres")
