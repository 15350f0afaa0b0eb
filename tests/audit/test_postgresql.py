"""Behaviour only PostgreSQL shows: changes made outside the application, and concurrent writers."""
import json
import threading

import pytest
import sqlalchemy as sa

from app.audit.services import verify_chain
from app.extensions import db
from app.users.models import User
from tests.factories import audit_entries, last_audit_entry

pytestmark = pytest.mark.postgresql_only


def outside(sql, **params):
    """Plain SQL on a connection of its own, as a database administrator would run it in psql."""
    engine = sa.create_engine(db.engine.url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(sql), params)
    finally:
        engine.dispose()


def test_a_change_made_with_plain_sql_is_recorded_and_attributed_to_the_database_role(make_user):
    user = make_user("worker", full_name="Nguyễn Văn An")
    outside("UPDATE users SET full_name = 'Nguyễn Văn Bình' WHERE id = :id", id=user.id)
    entry = last_audit_entry(entity="users", action="update")
    assert entry.actor == "db:postgres" and entry.actor_role is None
    assert json.loads(entry.changes)["full_name"] == ["Nguyễn Văn An", "Nguyễn Văn Bình"]
    assert entry.unit_path == user.unit.path


def test_plain_sql_inserts_and_deletes_are_recorded(units):
    outside("INSERT INTO units (edition, code, name, level, path) VALUES ('9999', '99', 'Tỉnh Thử', 'province', "
            "'9999/99/')")
    outside("DELETE FROM units WHERE edition = '9999'")
    assert [e.action for e in audit_entries(entity="units", actor="db:postgres")] == ["create", "delete"]


def test_secrets_stay_out_of_entries_written_by_the_trigger(make_user):
    user = make_user("worker")
    outside("UPDATE users SET password_hash = 'plain-secret' WHERE id = :id", id=user.id)
    entry = last_audit_entry(entity="users", actor="db:postgres")
    assert "plain-secret" not in entry.changes
    assert json.loads(entry.changes)["password_hash"] == ["[redacted]", "[redacted]"]


def test_entries_written_by_the_trigger_continue_the_chain(make_user):
    user = make_user("worker")
    outside("UPDATE users SET full_name = 'Một' WHERE id = :id", id=user.id)
    make_user("worker")
    outside("UPDATE users SET full_name = 'Hai' WHERE id = :id", id=user.id)
    assert verify_chain().ok


def test_application_connections_are_marked_so_triggers_stand_aside(app):
    assert db.session.scalar(sa.text("SELECT current_setting('audit.application', true)")) == "on"


def test_changes_made_through_the_application_are_recorded_once(make_user):
    user = make_user("worker")
    assert len(audit_entries(entity="users", entity_id=str(user.id))) == 1


def test_eight_concurrent_writers_keep_one_unbroken_chain(app, make_user):
    users = [make_user("worker") for _ in range(8)]
    start = threading.Barrier(len(users))
    errors = []

    def write(user_id):
        with app.app_context():
            try:
                start.wait()
                for round_number in range(15):
                    user = db.session.get(User, user_id)
                    user.full_name = f"Vòng {round_number}"
                    db.session.commit()
            except Exception as exc:  # the test reports any failure below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(user.id,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    entries = audit_entries()
    assert [entry.id for entry in entries] == list(range(1, len(entries) + 1))
    assert len({entry.prev_hash for entry in entries}) == len(entries)
    assert len(audit_entries(entity="users", action="update")) == 8 * 15
    assert verify_chain().ok


def test_every_audited_table_has_an_outside_change_trigger(app):
    from app.audit.recorder import AUDITED_TABLES

    triggered = set(db.session.scalars(sa.text(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = c.relname || '_audit_outside_change'")))
    assert AUDITED_TABLES <= triggered
