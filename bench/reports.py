"""Benchmark: the province's yearly statistics and a case file of 100 timeline entries, with a million cases.

Targets (issue 6): on PostgreSQL with N cases (1,000,000 by default), the province's statistics for a year in
under 2 s, and a case file with 100 timeline entries in under 1 s.

What it does: rebuilds the public schema of BENCH_DATABASE_URL (default database `bench_reports`, created if
missing; refuses `test` and `postgres`), loads Hải Dương's units, generates N children and cases exactly as
bench/cases.py does (235 communes, two years back from today, one category and one initial-assessment deadline
each), then adds what the statistics read and cases.py leaves out: the initial assessment of every case whose
deadline was met, a closing time for every closed case, and one case with 100 timeline entries. It then asks,
through the API as a province officer would (bearer token, the Flask test client, no network), for the
province's statistics of the last whole year as JSON and as PDF, and for the case file; each REPEAT times.

Run by hand from the project root:  .venv/bin/python bench/reports.py [--cases N] [--skip-build]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "development")

from app import create_app  # noqa: E402
from app.reports import facts  # noqa: E402
from bench.cases import generate  # noqa: E402
from bench.database import fresh_database  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_reports")
PASSWORD = "benchmark passphrase"
REPEAT = 5
TIMELINE_ENTRIES = 100

COMPLETE = """
INSERT INTO assessments (case_id, kind, answers, risk_level, created_by_id, created_at)
SELECT d.case_id, 'initial', '{{}}', 'medium', {worker}, d.met_at
  FROM case_deadlines d WHERE d.name = 'initial_assessment' AND d.met_at IS NOT NULL;
UPDATE cases SET closed_at = received_at + interval '40 days', closure_reason = 'safe_stable'
 WHERE status = 'closed';
"""
TIMELINE = """
INSERT INTO timeline_entries (case_id, kind, occurred_at, text, author_id, created_at)
SELECT {case}, (ARRAY['visit','contact','service','note'])[1 + g % 4], now() - g * interval '1 day',
       'Lần ' || g || ': cán bộ đã đến thăm gia đình, trao đổi với mẹ và bà nội của trẻ về việc học và sức khoẻ; '
       || 'trẻ đi học đều, không còn dấu hiệu bị đánh. Hẹn lần thăm tiếp theo sau một tuần.', {worker}, now()
  FROM generate_series(1, {entries}) AS g;
"""


def build(app, total: int) -> None:
    from flask_migrate import upgrade

    from app.extensions import db
    from app.units.services import DATA_DIR, load_units
    from app.users.services import create_user

    upgrade()
    load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")
    create_user(username="bench.officer", full_name="Bench officer", role="province_officer", unit_code="30",
                password=PASSWORD)
    worker = create_user(username="bench.worker", full_name="Nguyễn Thị Bảo", role="worker", unit_code="10933",
                         password=PASSWORD)
    started = time.perf_counter()
    with db.engine.begin() as conn:
        # The application's connection is marked, so the outside-change triggers stay quiet here.
        generate(conn, total)
        conn.execute(sa.text(COMPLETE.format(worker=worker.id)))
        case_id = conn.scalar(sa.text("SELECT min(c.id) FROM cases c JOIN units u ON u.id = c.unit_id "
                                      "WHERE u.code = '10933'"))
        conn.execute(sa.text(TIMELINE.format(case=case_id, worker=worker.id, entries=TIMELINE_ENTRIES)))
        # Written in SQL, the cases bypassed the flush that keeps their statistics' facts.
        facts.rewrite_all(conn)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    print(f"generated {total:,} children and cases with their assessments in {time.perf_counter() - started:.0f} s")


def timed(client, path: str, headers: dict) -> list[float]:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code, response.data[:300])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--skip-build", action="store_true", help="reuse the cases already generated")
    arguments = parser.parse_args()
    if not arguments.skip_build:
        fresh_database(URL)
    app = create_app({"APP_ENV": "testing", "DATABASE_URL": URL, "SERVER_NAME": "localhost"})
    with app.app_context():
        if arguments.skip_build:
            # The cases stay; the schema still follows the migrations written since they were generated.
            from flask_migrate import upgrade

            upgrade()
        else:
            build(app, arguments.cases)
        from app.extensions import db

        year = db.session.scalar(sa.text("SELECT extract(year FROM now())::int")) - 1
        reference = db.session.scalar(sa.text("SELECT c.reference FROM cases c JOIN timeline_entries t "
                                              "ON t.case_id = c.id GROUP BY c.reference LIMIT 1"))
        in_year = db.session.scalar(sa.text(
            f"SELECT count(*) FROM cases WHERE received_at >= '{year}-01-01' AND received_at < '{year + 1}-01-01'"))
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"username": "bench.officer", "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    period = f"unit=30&from={year}-01-01&to={year}-12-31"
    rows = [
        (f"province statistics {year}, JSON ({in_year:,} new cases)", f"/api/v1/reports/statistics.json?{period}", 2.0),
        (f"province statistics {year}, PDF", f"/api/v1/reports/statistics.pdf?{period}", 2.0),
        (f"case file, {TIMELINE_ENTRIES} timeline entries, PDF", f"/api/v1/cases/{reference}/file.pdf", 1.0),
    ]
    print(f"\n{'scenario':58} {'median s':>9} {'max s':>7}  target")
    for label, path, limit in rows:
        times = timed(client, path, headers)
        median, worst = statistics.median(times), max(times)
        print(f"{label:58} {median:9.3f} {worst:7.3f}  < {limit} s {'met' if worst < limit else 'MISSED'}")


if __name__ == "__main__":
    main()
