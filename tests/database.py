"""Privileged access to the test database, behind the application's back.

The audit tables refuse UPDATE and DELETE; tests need to empty them between tests
and to tamper with them on purpose. On PostgreSQL the session runs with triggers
off (`session_replication_role = replica`, which needs a superuser); on SQLite the
triggers are dropped and recreated from their own stored SQL.
"""
from contextlib import contextmanager

import sqlalchemy as sa

from app.audit.models import GENESIS_HASH
from app.extensions import db


@contextmanager
def behind_the_back():
    """A connection on which the database's own protections are off; commits on exit."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
            yield connection
        else:
            triggers = connection.execute(sa.text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _sql in triggers:
                connection.execute(sa.text(f'DROP TRIGGER "{name}"'))
            yield connection
            for _name, sql in triggers:
                connection.execute(sa.text(sql))


def wipe() -> None:
    """Empty every table and restart the audit chain."""
    with behind_the_back() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(sa.text(f"DELETE FROM {table.name}"))
        connection.execute(sa.text("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, :genesis)"),
                           {"genesis": GENESIS_HASH})
