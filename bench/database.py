"""What every benchmark needs first: a database of its own, emptied."""
import sys

import sqlalchemy as sa


def fresh_database(url: str) -> None:
    """Create the benchmark's database if missing and rebuild its public schema; never the test database."""
    target = sa.make_url(url)
    if target.database in ("test", "postgres"):
        sys.exit(f"refusing to benchmark in database {target.database!r}")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
