"""Benchmark: which representation answers "which units are under this one?" fastest.

Loads the whole-country list (vn_units_2024.csv, 11,239 units) into a scratch
PostgreSQL database and compares, for the largest province (Hà Nội, 610 units),
its largest district (Chương Mỹ, 33 units) and one of that district's communes:

  a) the materialized path the app uses (`app.access.units_under`: path LIKE 'prefix%'),
  b) a recursive CTE over parent_id,
  c) a closure table (ancestor_id, descendant_id, depth), built here and timed,

on two hot paths: listing the unit ids of a subtree, and counting the rows of a
1,000,000-row fact table (`bench_cases`, spread over the communes) in a subtree.
Each figure is the median of RUNS executions (ms), run through SQLAlchemy as the
app runs them. psycopg prepares a statement server-side after 5 executions, and
PostgreSQL may then switch to a generic plan, which cannot turn `path LIKE $1 || '%'`
into an index range; so (a) is also timed under plan_cache_mode = force_custom_plan.
(a) and (b) are also timed on SQLite (a file in /tmp) for the unit lists.

Run from the project root:  .venv/bin/python bench/units_subtree.py
PostgreSQL: BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/bench_units.
The database is created if missing and its public schema is dropped and rebuilt on
every run; temporary tables are dropped at the end.
"""
import os
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "development")

from app import create_app  # noqa: E402
from app.access import units_under  # noqa: E402
from bench.database import fresh_database  # noqa: E402
from app.extensions import db  # noqa: E402
from app.units.models import Unit  # noqa: E402
from app.units.services import DATA_DIR, find_unit, load_units  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_units")
SQLITE_FILE = Path("/tmp/bench_units.sqlite")
RUNS = 50
FACT_ROWS = 1_000_000
EDITION = "2024"
# The province with most units below it, its largest district, and a commune of that district.
SAMPLES = {"province": "01", "district": "277", "commune": "10015"}

CTE = ("WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id = :id"
       " UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) ")
CLOSURE = "SELECT descendant_id FROM bench_closure WHERE ancestor_id = :id"
COUNT = "SELECT count(*) FROM bench_cases WHERE unit_id IN ({})"
cases = sa.table("bench_cases", sa.column("unit_id"))

FACTS_SQL = [  # FACT_ROWS cases spread at random over the communes, indexed on unit_id
    "CREATE TEMP TABLE bench_cases"
    " (id serial PRIMARY KEY, unit_id int NOT NULL, created_at timestamptz NOT NULL)",
    "SELECT setseed(0.42)",
    "WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM units WHERE level = 'commune')"
    " INSERT INTO bench_cases (unit_id, created_at)"
    " SELECT c.ids[1 + floor(random() * cardinality(c.ids))::int], now() - random() * interval '3 years'"
    " FROM c, generate_series(1, :n)",
    "CREATE INDEX ON bench_cases (unit_id)",
    "VACUUM ANALYZE bench_cases",
]
CLOSURE_SQL = [  # every (ancestor, descendant) pair, the unit itself included at depth 0
    "CREATE TEMP TABLE bench_closure"
    " (ancestor_id int NOT NULL, descendant_id int NOT NULL, depth smallint NOT NULL)",
    "INSERT INTO bench_closure WITH RECURSIVE c(a, d, depth) AS (SELECT id, id, 0 FROM units"
    " UNION ALL SELECT c.a, u.id, c.depth + 1 FROM c JOIN units u ON u.parent_id = c.d)"
    " SELECT a, d, depth FROM c",
    "ALTER TABLE bench_closure ADD PRIMARY KEY (ancestor_id, descendant_id)",  # serves "descendants of"
    "CREATE INDEX ON bench_closure (descendant_id)",  # serves "ancestors of" and upkeep
    "VACUUM ANALYZE bench_closure",
]


def build(url: str) -> tuple:
    """A fresh app on `url` with the schema migrated and the country loaded; returns (app, load seconds)."""
    if url.startswith("postgresql"):
        fresh_database(url)
    app = create_app({"APP_ENV": "development", "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        raw = (DATA_DIR / "vn_units_2024.csv").read_bytes()
        started = time.perf_counter()
        load_units(raw, EDITION)
        seconds = time.perf_counter() - started
        db.session.remove()
    return app, seconds


def samples() -> dict[str, Unit]:
    return {level: find_unit(code, EDITION) for level, code in SAMPLES.items()}


def median_ms(conn, variants: dict[str, tuple]) -> dict[str, tuple[float, list]]:
    """Run each (stmt, params, custom_plans) variant RUNS times, interleaved round-robin so drift
    hits all alike; return each variant's median wall time in ms (rows fetched) and its result."""
    times, rows = {name: [] for name in variants}, {}
    for _ in range(RUNS + 1):  # the first round only warms up
        for name, (stmt, params, custom_plans) in variants.items():
            if custom_plans:
                conn.execute(sa.text("SET plan_cache_mode = force_custom_plan"))
            started = time.perf_counter()
            rows[name] = conn.execute(stmt, params or {}).all()
            times[name].append(time.perf_counter() - started)
            if custom_plans:
                conn.execute(sa.text("RESET plan_cache_mode"))
    return {name: (statistics.median(t[1:]) * 1000, rows[name]) for name, t in times.items()}


def timed_sql(conn, statements: list[str], **params) -> float:
    """Run `statements` in order; return the seconds they took."""
    started = time.perf_counter()
    for statement in statements:
        conn.execute(sa.text(statement), params)
    return time.perf_counter() - started


def variants(unit: Unit, path_stmt, cte_sql: str, closure_sql: str, postgresql: bool) -> dict[str, tuple]:
    """The (statement, params, force custom plans) each representation runs for one query."""
    by_id = {"id": unit.id}
    found = {"a) path LIKE": (path_stmt, None, False), "a) path LIKE, custom plans": (path_stmt, None, True),
             "b) recursive CTE": (sa.text(cte_sql), by_id, False),
             "c) closure table": (sa.text(closure_sql), by_id, False)}
    return found if postgresql else {name: found[name] for name in ("a) path LIKE", "b) recursive CTE")}


def list_queries(unit: Unit, postgresql: bool) -> dict[str, tuple]:
    return variants(unit, units_under(unit), CTE + "SELECT id FROM sub", CLOSURE, postgresql)


def count_queries(unit: Unit) -> dict[str, tuple]:
    path_stmt = sa.select(sa.func.count()).select_from(cases).where(cases.c.unit_id.in_(units_under(unit)))
    return variants(unit, path_stmt, CTE + COUNT.format("SELECT id FROM sub"), COUNT.format(CLOSURE), True)


def run_column(conn, variants: dict[str, tuple], column: str, table: dict) -> None:
    """Time each variant into `table[variant][column]`, checking that all give the same answer."""
    answers = set()
    for name, (ms, rows) in median_ms(conn, variants).items():
        table.setdefault(name, {})[column] = ms
        answers.add(repr(sorted(tuple(r) for r in rows)))
    if len(answers) != 1:
        sys.exit(f"the representations disagree on {column}")


def bench_postgresql(table: dict) -> None:
    app, load_s = build(PG_URL)
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        try:
            conn.execute(sa.text("ANALYZE units"))
            units = samples()
            facts_s = timed_sql(conn, FACTS_SQL, n=FACT_ROWS)
            closure_s = timed_sql(conn, CLOSURE_SQL)
            closure_rows = conn.scalar(sa.text("SELECT count(*) FROM bench_closure"))
            print(f"PostgreSQL: load_units(whole country) {load_s * 1000:.0f} ms; "
                  f"{FACT_ROWS:,} bench_cases built in {facts_s * 1000:.0f} ms")
            print(f"Closure table: built in {closure_s * 1000:.1f} ms, {closure_rows:,} rows")
            for level, unit in units.items():
                size = conn.scalar(sa.select(sa.func.count()).select_from(units_under(unit).subquery()))
                print(f"  {level:8} {unit.label}: {size} units in subtree")
            for level, unit in units.items():
                run_column(conn, list_queries(unit, postgresql=True), f"{level} ids", table["PG"])
            for level in ("province", "district"):
                run_column(conn, count_queries(units[level]), f"{level} facts", table["PG"])
        finally:
            conn.execute(sa.text("DROP TABLE IF EXISTS bench_cases, bench_closure"))
        db.session.remove()
        db.engine.dispose()


def bench_sqlite(table: dict) -> None:
    SQLITE_FILE.unlink(missing_ok=True)
    try:
        app, load_s = build(f"sqlite:///{SQLITE_FILE}")
        print(f"SQLite: load_units(whole country) {load_s * 1000:.0f} ms")
        with app.app_context(), db.engine.connect() as conn:
            conn.execute(sa.text("ANALYZE"))
            for level, unit in samples().items():
                run_column(conn, list_queries(unit, postgresql=False), f"{level} ids", table["SQLite"])
            db.session.remove()
            db.engine.dispose()
    finally:
        SQLITE_FILE.unlink(missing_ok=True)


def print_table(table: dict) -> None:
    columns = ["province ids", "district ids", "commune ids", "province facts", "district facts"]
    print(f"\nMedian of {RUNS} runs, ms{'':14}" + "".join(f"{c:>16}" for c in columns))
    for engine, rows in table.items():
        for name, cells in rows.items():
            print(f"{engine + ' ' + name:34}" + "".join(
                f"{cells[c]:16.3f}" if c in cells else f"{'-':>16}" for c in columns))


def main() -> None:
    table = {"PG": {}, "SQLite": {}}
    bench_postgresql(table)
    bench_sqlite(table)
    print_table(table)


if __name__ == "__main__":
    main()
