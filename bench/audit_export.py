"""Benchmark: the inspector's CSV export of a million entries, told as sentences.

Generates --entries synthetic entries on PostgreSQL (a mixture of sign-ins, views, refusals and row changes of
cases, plans, referrals and accounts, by 300 real accounts of the Hải Dương communes, with ids in their changes
that the export names), then streams the whole trail's CSV as a province inspector: once in-process (the
generator the view returns) and once through a real HTTP server (werkzeug, as the tests' live server). Reports
rows per second, the statements sent per batch, and how much resident memory grew while streaming (it should
stay flat: batches of EXPORT_BATCH, nothing kept but the people and units already named).

Run from the project root:  .venv/bin/python bench/audit_export.py [--entries 1000000] [--skip-build]
PostgreSQL: BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/bench_audit_export,
created if missing; its public schema is dropped and rebuilt unless --skip-build. Refuses `test` and `postgres`.
"""
import argparse
import http.cookiejar
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "development")

from app import create_app  # noqa: E402
from app.audit import services  # noqa: E402
from app.extensions import db  # noqa: E402
from app.units.services import DATA_DIR, load_units  # noqa: E402
from app.users.models import User  # noqa: E402
from app.users.services import create_user  # noqa: E402
from bench.audit import bare_entries_table, head, rss_growth, set_head  # noqa: E402
from bench.database import fresh_database  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_audit_export")
PASSWORD = "correct horse battery"
PEOPLE, CHUNK = 300, 250_000
FIRST_NAMES = ("Nguyễn Văn", "Trần Thị", "Lê Minh", "Phạm Thị", "Hoàng Văn", "Vũ Thị")
LAST_NAMES = ("An", "Bình", "Chi", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Tuấn", "Yến")

# Each generated entry takes one of these shapes; `a` is the actor's user id, `p` another user's.
GENERATE = """
WITH people AS (SELECT array_agg(u.id ORDER BY u.id) AS ids, array_agg(n.code ORDER BY u.id) AS codes,
                       array_agg(n.path ORDER BY u.id) AS paths
                FROM users u JOIN units n ON n.id = u.unit_id WHERE u.role IN ('worker', 'commune_leader')),
r AS (SELECT i, floor(random() * :people)::int + 1 AS x, floor(random() * :people)::int + 1 AS y,
             floor(random() * 10)::int AS shape, floor(random() * 2000)::int AS n
      FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) AS i)
INSERT INTO audit_entries (id, at, actor, actor_id, actor_role, actor_unit, ip, request_id, action, entity,
                           entity_id, case_ref, unit_path, changes, prev_hash, hash)
SELECT i, timestamptz '2025-01-01 00:00+07' + (i - :first) * :step * interval '1 second',
       'user' || ids[x], ids[x], CASE WHEN x % 5 = 0 THEN 'commune_leader' ELSE 'worker' END, codes[x],
       '10.0.' || x % 250 || '.1', md5(i::text),
       (ARRAY['sign_in', 'case_viewed', 'update', 'update', 'update', 'create', 'update', 'access_denied',
              'sign_out', 'update'])[shape + 1],
       (ARRAY['users', 'cases', 'cases', 'plans', 'referrals', 'timeline_entries', 'cases', NULL, 'users',
              'users'])[shape + 1],
       (ARRAY[ids[x]::text, n::text, n::text, n::text, n::text, i::text, n::text, NULL, ids[x]::text,
              ids[y]::text])[shape + 1],
       CASE WHEN shape IN (1, 2, 3, 4, 5, 6) THEN 'HD-' || codes[x] || '-2025-' || lpad(n::text, 4, '0') END,
       paths[x],
       (ARRAY[NULL,
              NULL,
              '{"status": ["assessing", "planning"]}',
              '{"decided_at": [null, "2025-03-01T08:15:00+00:00"], "decided_by_id": [null, ' || ids[y]
                  || '], "status": ["submitted", "approved"]}',
              '{"answered_at": [null, "2025-03-01T08:15:00+00:00"], "answered_by_id": [null, ' || ids[x]
                  || '], "status": ["sent", "accepted"]}',
              '{"author_id": [null, ' || ids[x] || '], "kind": [null, "visit"], "occurred_at": [null, '
                  || '"2025-02-28T02:00:00+00:00"], "text": [null, "Thăm gia đình, trẻ đã đi học lại."]}',
              '{"assigned_worker_id": [' || ids[x] || ', ' || ids[y] || ']}',
              '{"method": "GET", "path": "/audit/", "status": 403}',
              '{"reason": "idle"}',
              '{"failed_sign_ins": [0, 1]}'])[shape + 1],
       repeat('0', 64), encode(sha256(i::text::bytea), 'hex')
FROM r, people"""


def app_for_bench():
    return create_app({"APP_ENV": "testing", "DATABASE_URL": URL,
                       "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": False,
                       "PASSWORD_HASH_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})


def build(app, total: int) -> None:
    with app.app_context():
        upgrade()
        load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")
        communes = db.session.scalars(sa.text("SELECT code FROM units WHERE level = 'commune' ORDER BY code")).all()
        for number in range(PEOPLE):
            name = f"{FIRST_NAMES[number % 6]} {LAST_NAMES[number // 6 % 10]} {number}"
            create_user(username=f"person{number}", full_name=name, unit_code=communes[number % len(communes)],
                        role="commune_leader" if number % 5 == 0 else "worker", password=PASSWORD)
        create_user(username="inspector", full_name="Đặng Thanh Tra", role="inspector", unit_code="30",
                    password=PASSWORD)
        (last, _), started = head(), time.perf_counter()
        with bare_entries_table() as conn:
            for lo in range(last + 1, last + 1 + total, CHUNK):
                hi = min(lo + CHUNK - 1, last + total)
                conn.execute(sa.text(GENERATE), {"lo": lo, "hi": hi, "first": last + 1, "people": PEOPLE,
                                                 "step": 365 * 86400 / total})
                print(f"  {hi - last:>10,} entries inserted ({time.perf_counter() - started:.0f} s)", flush=True)
            set_head(conn, last + total)
        db.session.remove()


def in_process(app) -> None:
    with app.test_request_context():
        viewer = db.session.scalar(sa.select(User).where(User.username == "inspector"))
        query, headings = services.filtered(viewer, services.AuditFilter()), services.csv_headings()
        statements = []
        count = lambda *args: statements.append(1)  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", count)
        rows = size = 0
        with rss_growth() as growth:
            started = time.perf_counter()
            for chunk in services.csv_rows(query, headings):
                rows += chunk.count("\n")
                size += len(chunk.encode())
            seconds = time.perf_counter() - started
        sa.event.remove(db.engine, "before_cursor_execute", count)
    batches = rows // services.EXPORT_BATCH + 1
    print(f"In-process: {rows - 1:,} rows, {size / 2**20:.0f} MB of CSV in {seconds:.1f} s "
          f"({(rows - 1) / seconds:,.0f} rows/s); {len(statements):,} statements for {batches:,} batches "
          f"({len(statements) / batches:.1f} a batch); resident memory grew by at most {growth[0]:.1f} MB")


def over_http(app) -> None:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.open(f"{base}/auth/sign-in",
                data=urllib.parse.urlencode({"username": "inspector", "password": PASSWORD}).encode())
    rows = size = 0
    with rss_growth() as growth:
        started = time.perf_counter()
        with opener.open(f"{base}/audit/export.csv") as response:
            first = time.perf_counter() - started
            while block := response.read(1 << 16):
                rows += block.count(b"\n")
                size += len(block)
        seconds = time.perf_counter() - started
    server.shutdown()
    print(f"Over HTTP: {rows - 1:,} rows, {size / 2**20:.0f} MB in {seconds:.1f} s ({(rows - 1) / seconds:,.0f} "
          f"rows/s), first bytes after {first * 1000:.0f} ms; resident memory grew by at most {growth[0]:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--skip-build", action="store_true", help="keep the entries generated before")
    args = parser.parse_args()
    if not args.skip_build:
        fresh_database(URL)
    app = app_for_bench()
    if not args.skip_build:
        print(f"Generating {args.entries:,} entries")
        build(app, args.entries)
    in_process(app)
    over_http(app)


if __name__ == "__main__":
    main()
