"""Backup and restore (README): a backup taken while the app runs, restored into a fresh database, passes
`audit verify` against the checkpoint written beside it, and `reports check-facts`."""
import json
import shutil
import subprocess
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.cases import services
from app.cases.models import Case
from app.extensions import db
from app.orm import utcnow
from tests.factories import make_case, make_referral


@pytest.fixture
def some_work(units, make_user):
    """Cases at several steps, a referral, and the trail they leave."""
    worker = make_user("worker")
    for number in range(3):
        case = make_case(worker)
        services.assess(case, worker, {"repeated_harm": True}, f"Đánh giá {number}.", case.version)
        services.log(case, worker, "visit", utcnow() - timedelta(minutes=number), "Đã thăm nhà.")
    make_referral(case, worker)
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case))


def libpq(url: sa.URL, database: str) -> str:
    return url.set(drivername="postgresql", database=database).render_as_string(hide_password=False)


@contextmanager
def fresh_postgresql_database(url: sa.URL):
    """A database of its own beside the test database (named after it), dropped afterwards."""
    name = f"{url.database}_restored"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def restored_copy(dialect, backup, tmp_path):
    """The URL of a fresh database holding `backup`, restored as the README says."""
    url = db.engine.url
    if dialect == "sqlite":
        restored = tmp_path / "restored.db"
        shutil.copyfile(backup, restored)  # SQLite's backup is a database file: it is put in place as it is
        yield f"sqlite:///{restored}"
        return
    with fresh_postgresql_database(url) as name:
        subprocess.run(["pg_restore", "--no-owner", "--dbname", libpq(url, name), str(backup)], check=True)
        yield url.set(database=name).render_as_string(hide_password=False)


def test_a_backup_restored_into_a_fresh_database_passes_audit_verify_and_check_facts(app, runner, dialect,
                                                                                    some_work, tmp_path):
    backup = tmp_path / "cases.backup"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    checkpoint = json.loads((tmp_path / "cases.backup.checkpoint.json").read_text())
    with restored_copy(dialect, backup, tmp_path) as url:
        restored = create_app({"APP_ENV": "testing", "DATABASE_URL": url})
        with restored.app_context():
            cli = restored.test_cli_runner()
            verified = cli.invoke(args=["audit", "verify", "--checkpoint",
                                        str(tmp_path / "cases.backup.checkpoint.json")])
            facts = cli.invoke(args=["reports", "check-facts"])
            cases = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
            db.session.remove()
            db.engine.dispose()
    assert verified.exit_code == 0, verified.output
    assert facts.exit_code == 0, facts.output
    assert cases == some_work and checkpoint["id"] > 0


def test_a_restore_that_lost_the_newest_entries_fails_verify_against_the_newer_checkpoint(app, runner, dialect,
                                                                                          make_user, some_work,
                                                                                          tmp_path):
    """The checkpoint is what catches a restored copy older than it should be."""
    older = tmp_path / "older.backup"
    assert runner.invoke(args=["backup", str(older)]).exit_code == 0
    make_case(make_user("worker"))
    assert runner.invoke(args=["backup", str(tmp_path / "newer.backup")]).exit_code == 0
    with restored_copy(dialect, older, tmp_path) as url:
        restored = create_app({"APP_ENV": "testing", "DATABASE_URL": url})
        with restored.app_context():
            verified = restored.test_cli_runner().invoke(
                args=["audit", "verify", "--checkpoint", str(tmp_path / "newer.backup.checkpoint.json")])
            db.session.remove()
            db.engine.dispose()
    assert verified.exit_code == 1 and "checkpoint" in verified.output
