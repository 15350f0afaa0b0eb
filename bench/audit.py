"""Benchmark: the audit trail against the issue's three targets.

1. "An audited change costs at most 1.5 times the same change unaudited." CHANGES times: load one
   account, change its full_name, commit (as a request does), on `users` (audited) and on
   `bench_plain_users`, its twin (same columns, foreign key and indexes) mapped without `Audited`;
   interleaved, after WARMUP untimed rounds. On PostgreSQL, and also on SQLite with --sqlite.
2. "With 10 million entries on PostgreSQL, a filtered page (one case; one actor in one month)
   answers in under 200 ms." --entries synthetic entries, generated in SQL 1M at a time (the
   secondary indexes are dropped meanwhile and rebuilt identically): 3,000 actors and 300,000 case
   references (on half the entries), both skewed (random()^1.5: a few busy actors and long cases,
   many quiet ones), over the 235 communes of Hải Dương and 24 months; hashes unique, chain invalid.
   As a province inspector, `services.page()` is timed for the case, actor and month of RUNS random
   entries: (a) that case, (b) that actor in that month, (c) as (b) within the entry's district,
   each with its next page (`before`) where there is one. A missed target prints EXPLAIN ANALYZE.
3. "`audit verify` gets through 1 million entries in under 20 seconds." A valid chain of --chain
   entries (hashed with `app.audit.chain.entry_hash`, loaded with COPY), then
   `services.verify_chain()`, sampling the process's resident memory meanwhile.

Parts run in the order 1, 3, 2, each on a freshly rebuilt schema, so the valid chain and the
synthetic one never mix; the last part's data stays in the database.

Run from the project root:  .venv/bin/python bench/audit.py [--part 1|2|3] [--entries N] [--sqlite]
PostgreSQL: BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/bench_audit,
created if missing; its public schema is dropped and rebuilt. Refuses `test` and `postgres`.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import relationship

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "development")

from app import create_app  # noqa: E402
from bench.database import fresh_database  # noqa: E402
from app.audit import services  # noqa: E402
from app.audit.chain import FIELDS, entry_hash  # noqa: E402
from app.extensions import db  # noqa: E402
from app.units.models import Unit  # noqa: E402
from app.units.services import DATA_DIR, load_units  # noqa: E402
from app.users.models import User  # noqa: E402
from app.users.services import create_user  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_audit")
CHANGES, WARMUP, RUNS, CHUNK = 500, 20, 30, 1_000_000
PASSWORD = "correct horse battery"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
ACTIONS = ("create", "update", "update", "update", "sign_in", "sign_out", "audit_view", "delete")
COLUMNS = (*FIELDS, "hash")
results = []  # (target, measured, limit, met)


class PlainUser(db.Model):
    """The users table's twin, mapped without `Audited`: what a change costs with no trail."""
    __table__ = sa.Table("bench_plain_users", db.metadata, *(c._copy() for c in User.__table__.columns),
                         sa.ForeignKeyConstraint(["unit_id"], ["units.id"]))
    unit = relationship(Unit, lazy="joined")


def fresh_app(url: str):
    """An app on a just-migrated schema (PostgreSQL: public dropped and rebuilt) with Hải Dương loaded."""
    if url.startswith("postgresql"):
        fresh_database(url)
    app = create_app({"APP_ENV": "testing", "DATABASE_URL": url,
                      "PASSWORD_HASH_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})
    with app.app_context():
        upgrade()
        load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")
        db.session.remove()
    return app


def done() -> None:
    db.session.remove()
    db.engine.dispose()


def change_cost(url: str, label: str) -> None:
    """Part 1: mean ms of load-change-commit, audited and plain."""
    with fresh_app(url).app_context():
        PlainUser.__table__.create(db.engine)
        user = create_user(username="worker1", full_name="Nguyễn Văn Thử", role="worker", unit_code="10933",
                           password=PASSWORD)
        db.session.add(PlainUser(**{c.key: getattr(user, c.key) for c in User.__table__.columns}))
        db.session.commit()
        key, times = user.id, {User: [], PlainUser: []}  # user.id read once: reading it reloads `user`
        for i in range(WARMUP + CHANGES):
            for model in (User, PlainUser) if i % 2 else (PlainUser, User):
                started = time.perf_counter()
                # As a request does: read the row, change it, commit (a fresh request has nothing cached).
                db.session.get(model, key, populate_existing=True).full_name = f"Nguyễn Văn {i}"
                db.session.commit()
                if i >= WARMUP:
                    times[model].append((time.perf_counter() - started) * 1000)
        entries = db.session.scalar(sa.text("SELECT count(*) FROM audit_entries WHERE action = 'update'"))
        done()
    audited, plain = statistics.mean(times[User]), statistics.mean(times[PlainUser])
    ratio = audited / plain
    print(f"Part 1, {label}: {CHANGES} changes each; audited mean {audited:.3f} ms (median "
          f"{statistics.median(times[User]):.3f}), plain mean {plain:.3f} ms (median "
          f"{statistics.median(times[PlainUser]):.3f}); ratio {ratio:.2f}; {entries} update entries written")
    results.append((f"1 audited/plain change, {label}", f"{ratio:.2f}x ({audited:.2f} vs {plain:.2f} ms mean)",
                    "<= 1.5x", ratio <= 1.5))


@contextmanager
def bare_entries_table():
    """audit_entries without its secondary indexes while it is filled; rebuilt identically, then analysed."""
    listing = sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_entries' "
                      "AND indexname <> 'pk_audit_entries' ORDER BY indexname")
    unique = "uq_audit_entries_hash"  # a constraint's index: dropped and added back as the constraint
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        before = conn.execute(listing).all()
        for name, _ in before:
            conn.execute(sa.text(f"ALTER TABLE audit_entries DROP CONSTRAINT {name}" if name == unique
                                 else f"DROP INDEX {name}"))
        yield conn
        started = time.perf_counter()
        conn.execute(sa.text("SET maintenance_work_mem = '1GB'"))
        for name, definition in before:
            conn.execute(sa.text(f"ALTER TABLE audit_entries ADD CONSTRAINT {name} UNIQUE (hash)"
                                 if name == unique else definition))
        assert conn.execute(listing).all() == before, "indexes differ after the rebuild"
        print(f"  {len(before)} indexes rebuilt in {time.perf_counter() - started:.1f} s")
        conn.execute(sa.text("VACUUM ANALYZE audit_entries"))


def head() -> tuple[int, str]:
    last = tuple(db.session.execute(sa.text("SELECT last_id, last_hash FROM audit_head")).one())
    db.session.commit()  # holds no snapshot or lock while the table is rebuilt
    return last


def set_head(conn, last_id: int) -> None:
    conn.execute(sa.text("UPDATE audit_head SET last_id = :i, last_hash = "
                         "(SELECT hash FROM audit_entries WHERE id = :i)"), {"i": last_id})


def chain_rows(first: int, previous: str, count: int, communes: list):
    """`count` valid links after (first - 1, previous), about cases and accounts, one a minute or so."""
    rng, start = random.Random(42), datetime(2024, 1, 1, tzinfo=LOCAL)
    changes = json.dumps({"full_name": ["Nguyễn Văn An", "Nguyễn Văn Ân"]}, ensure_ascii=False)
    for i in range(first, first + count):
        actor, on_case = int(3000 * rng.random() ** 1.5), rng.random() < 0.5
        code, path = communes[actor % len(communes)]
        row = {"id": i, "at": start + timedelta(seconds=63 * (i - first), microseconds=rng.randrange(10**6)),
               "actor": f"user{actor:04d}", "actor_id": 1000 + actor, "actor_role": "worker", "actor_unit": code,
               "ip": f"10.0.{actor % 250}.{actor % 200}", "request_id": f"{rng.getrandbits(128):032x}",
               "action": rng.choice(ACTIONS), "entity": "cases" if on_case else "users",
               "entity_id": str(rng.randrange(100_000)),
               "case_ref": f"HD-{code}-2025-{rng.randrange(1300):04d}" if on_case else None,
               "unit_path": path, "changes": changes, "prev_hash": previous}
        row["hash"] = previous = entry_hash(row)
        yield [row[column] for column in COLUMNS]


@contextmanager
def rss_growth():
    """Yields a list that holds, afterwards, the peak growth of resident memory in MB (sampled every 20 ms)."""
    def rss():
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def sample():
        while not stop.wait(0.02):
            peak[0] = max(peak[0], rss())

    baseline, stop = rss(), threading.Event()
    peak, sampler = [baseline], threading.Thread(target=sample)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()
        peak[0] = max(peak[0], rss()) - baseline


def verify_speed(url: str, count: int) -> None:
    """Part 3: build a valid chain, then time verify_chain()."""
    with fresh_app(url).app_context():
        communes = db.session.execute(sa.text("SELECT code, path FROM units WHERE level = 'commune'")).all()
        (last, previous), started = head(), time.perf_counter()
        with bare_entries_table() as conn:
            raw = db.engine.raw_connection()
            try:
                with raw.driver_connection.cursor() as cursor, \
                        cursor.copy(f"COPY audit_entries ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in chain_rows(last + 1, previous, count, communes):
                        copy.write_row(row)
                raw.driver_connection.commit()
            finally:
                raw.close()
            set_head(conn, last + count)
        print(f"Part 3: built a valid chain of {count:,} entries (after the {last} of loading the units) "
              f"in {time.perf_counter() - started:.1f} s")
        with rss_growth() as growth:
            started = time.perf_counter()
            verdict = services.verify_chain()
            seconds = time.perf_counter() - started
        done()
    rate = verdict.entries / seconds
    print(f"  verify_chain: ok={verdict.ok}, {verdict.entries:,} entries in {seconds:.1f} s ({rate:,.0f}/s); "
          f"resident memory grew by at most {growth[0]:.1f} MB")
    results.append((f"3 verify {verdict.entries:,} entries (ok={verdict.ok})",
                    f"{seconds:.1f} s, {rate:,.0f}/s, RSS +{growth[0]:.0f} MB", "< 20 s", verdict.ok and seconds < 20))


GENERATE = """
WITH c AS (SELECT array_agg(code ORDER BY code) AS k, array_agg(path ORDER BY code) AS p
           FROM units WHERE level = 'commune' AND edition = '2024'),
r AS (SELECT i, floor(3000 * random() ^ 1.5)::int AS a, floor(300000 * random() ^ 1.5)::int AS n,
             random() < 0.5 AS on_case, random() AS u, random() AS w FROM generate_series(:lo, :hi) AS i)
INSERT INTO audit_entries (id, at, actor, actor_id, actor_role, actor_unit, ip, request_id, action, entity,
                           entity_id, case_ref, unit_path, changes, prev_hash, hash)
SELECT i, timestamptz '2024-01-01 00:00+07' + (i - :first) * :step * interval '1 second',
       'user' || lpad(a::text, 4, '0'), 1000 + a, 'worker', k[1 + a % cardinality(k)],
       '10.0.' || a % 250 || '.' || a % 200, md5(i::text), (CAST(:actions AS text[]))[1 + floor(u * 8)::int],
       CASE WHEN on_case THEN 'cases' ELSE 'users' END, (i % 100000)::text,
       CASE WHEN on_case THEN 'HD-' || k[1 + n % cardinality(k)] || '-2025-'
                              || lpad((n / cardinality(k))::text, 4, '0') END,
       CASE WHEN on_case THEN p[1 + n % cardinality(p)] WHEN w < 0.9 THEN p[1 + a % cardinality(p)]
            ELSE p[1 + floor(w * cardinality(p))::int] END,
       '{"status": ["open", "closed"]}', repeat('0', 64), encode(sha256(i::text::bytea), 'hex')
FROM r, c"""


def generate(total: int) -> None:
    (last, _), started = head(), time.perf_counter()
    with bare_entries_table() as conn:
        for number, lo in enumerate(range(last + 1, last + 1 + total, CHUNK)):
            hi = min(lo + CHUNK - 1, last + total)
            conn.execute(sa.text("SELECT setseed(:s)"), {"s": number / (total // CHUNK + 2)})
            conn.execute(sa.text(GENERATE), {"lo": lo, "hi": hi, "first": last + 1, "actions": list(ACTIONS),
                                             "step": 730 * 86400 / total})
            print(f"  {hi - last:>12,} entries inserted ({time.perf_counter() - started:.0f} s)", flush=True)
        set_head(conn, last + total)
    print(f"  inserted, indexed and analysed in {time.perf_counter() - started:.0f} s")


def month_of(moment: datetime) -> dict:
    since = moment.astimezone(LOCAL).date().replace(day=1)
    return {"since": since, "until": (since + timedelta(days=32)).replace(day=1) - timedelta(days=1)}


def explain(viewer, filters, before) -> None:
    """EXPLAIN ANALYZE of the very statement page() sends for `filters`."""
    sent = []
    grab = lambda conn, cursor, statement, params, context, many: sent.append((statement, params))  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", grab)
    try:
        services.page(viewer, filters, before)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", grab)
    statement, params = next(s for s in reversed(sent) if "FROM audit_entries" in s[0])
    plan = db.session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
    print(f"  EXPLAIN ANALYZE, {filters}, before={before}:\n    " + "\n    ".join(r[0] for r in plan))


def time_pages(name: str, viewer, filters: list, extra: bool = False) -> None:
    """Median and max ms of page() over `filters`, then of the next page of those that have one."""
    services.page(viewer, filters[0])  # warm-up
    for label, next_page in ((name, False), (name + ", next page", True)):
        times = []  # (ms, filters, before)
        for wanted in filters:
            before = services.page(viewer, wanted)[1] if next_page else None
            if next_page and before is None:
                continue
            started = time.perf_counter()
            services.page(viewer, wanted, before)
            times.append(((time.perf_counter() - started) * 1000, wanted, before))
        if not times:
            print(f"  {label}: no sample has a next page")
            continue
        median, (worst, *slowest) = statistics.median(t[0] for t in times), max(times, key=lambda t: t[0])
        print(f"  {label}: {len(times)} runs, median {median:.1f} ms, max {worst:.1f} ms")
        results.append((f"2 {'(extra) ' if extra else ''}{label}", f"median {median:.1f}, max {worst:.1f} ms "
                        f"({len(times)} run{'s' * (len(times) > 1)})", "< 200 ms", worst < 200))
        if worst >= 200:
            print(f"  TARGET MISSED by {label}; the slowest run:")
            explain(viewer, *slowest)


def page_speed(url: str, total: int) -> None:
    """Part 2: generate `total` entries, then time filtered pages as a province inspector."""
    with fresh_app(url).app_context():
        viewer = create_user(username="inspector1", full_name="Trần Thị Thanh Tra", role="inspector",
                             unit_code="30", password=PASSWORD)
        print(f"Part 2: generating {total:,} synthetic entries")
        generate(total)
        last = head()[0]
        size = db.session.scalar(sa.text("SELECT pg_size_pretty(pg_total_relation_size('audit_entries'))"))
        print(f"  audit_entries: {last:,} entries, {size} with indexes")
        rng = random.Random(7)
        sample = db.session.execute(sa.text("SELECT case_ref, actor, at, unit_path FROM audit_entries "
                                            "WHERE id = ANY(:ids)"),
                                    {"ids": [rng.randint(last - total + 1, last) for _ in range(4 * RUNS)]}).all()
        by_case = [services.AuditFilter(case=row.case_ref) for row in sample if row.case_ref][:RUNS]
        by_actor = [services.AuditFilter(actor=row.actor, **month_of(row.at)) for row in sample[:RUNS]]
        in_district = [services.AuditFilter(actor=row.actor, unit=row.unit_path.split("/")[2], **month_of(row.at))
                       for row in sample[:RUNS]]
        time_pages("(a) one case", viewer, by_case)
        time_pages("(b) one actor in one month", viewer, by_actor)
        time_pages("(c) as (b), in one district", viewer, in_district, extra=True)
        done()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, choices=(1, 2, 3), help="run only this part (default: all)")
    parser.add_argument("--entries", type=int, default=10_000_000, help="synthetic entries for part 2")
    parser.add_argument("--chain", type=int, default=1_000_000, help="valid entries for part 3")
    parser.add_argument("--sqlite", action="store_true", help="also run part 1 on a temporary SQLite file")
    args = parser.parse_args()
    for part in [args.part] if args.part else [1, 3, 2]:
        if part == 1:
            change_cost(PG_URL, "PostgreSQL")
            if args.sqlite:
                with tempfile.TemporaryDirectory() as folder:
                    change_cost(f"sqlite:///{folder}/bench_audit.sqlite", "SQLite")
        elif part == 3:
            verify_speed(PG_URL, args.chain)
        else:
            page_speed(PG_URL, args.entries)
    print(f"\n{'Summary':52}{'measured':46}{'limit':10}result")
    for target, measured, limit, met in results:
        print(f"{target:52}{measured:46}{limit:10}{'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
