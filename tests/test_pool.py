"""Pooled database connections: an idle one that broke meanwhile is replaced before a request uses it."""
import pytest
import sqlalchemy as sa

from app import orm
from app.extensions import db


@pytest.mark.postgresql_only
def test_idle_connections_broken_meanwhile_are_replaced_before_use(app, monkeypatch):
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    outside = sa.create_engine(db.engine.url, poolclass=sa.NullPool)
    with outside.connect() as connection:
        # As a database restart would: every connection of the app's pool is cut while it sits idle.
        connection.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    outside.dispose()
    monkeypatch.setattr(orm, "IDLE_BEFORE_PING", 0)
    try:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        db.engine.dispose()  # the other cut connections, so that the next tests start afresh


@pytest.mark.postgresql_only
def test_a_checked_connection_is_left_idle_so_a_read_outside_a_transaction_works(app, monkeypatch):
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    monkeypatch.setattr(orm, "IDLE_BEFORE_PING", 0)
    # The check's own transaction must not outlive it: a connection left in one cannot switch to autocommit.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
