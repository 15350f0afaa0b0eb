"""Benchmark: the printed audit extract on a large trail, before and after it walked on from the last verification.

Builds a valid chain of --entries entries on PostgreSQL (bench/audit.py's part 3: hashed in Python, loaded with
COPY), then, as a province inspector, prints the unfiltered extract (the newest 5,000 entries) and one filtered to
a case, in three states of the trail:

1. no verification recorded: the extract verifies the whole chain and records it (as every extract did before);
2. right after that: it walks on from the recorded verification, which leaves only the entries written since;
3. after --later more entries: it walks on over those.

Each extract is timed whole (`print_extract`: check, query, PDF); its basis is read from its audit entry. The
whole chain's check alone (`verify_chain`) is timed once for comparison.

Run from the project root:  .venv/bin/python bench/audit_extract.py [--entries 1000000] [--later 10000]
PostgreSQL: BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/bench_audit_extract,
created if missing; its public schema is dropped and rebuilt. Refuses `test` and `postgres`.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from flask_login import login_user

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "development")

from app.audit import services  # noqa: E402
from app.audit.services import AuditFilter  # noqa: E402
from app.extensions import db  # noqa: E402
from app.orm import utcnow  # noqa: E402
from app.reports.audit_extract import print_extract  # noqa: E402
from app.users.models import User  # noqa: E402
from app.users.services import create_user  # noqa: E402
from bench.audit import COLUMNS, bare_entries_table, chain_rows, done, fresh_app, head, set_head  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_audit_extract")
PASSWORD = "correct horse battery"


def append_chain(count: int, communes: list, rebuild_indexes: bool) -> None:
    """`count` valid links after the head, by COPY; a large load without the secondary indexes meanwhile."""
    last, previous = head()

    def load(conn):
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

    if rebuild_indexes:
        with bare_entries_table() as conn:
            load(conn)
    else:
        with db.engine.begin() as conn:
            load(conn)


def timed(label: str, inspector, filters: AuditFilter) -> None:
    """Print the extract; its basis and the entries its check read are those it recorded."""
    started = time.perf_counter()
    document = print_extract(inspector, filters, utcnow())
    seconds = time.perf_counter() - started
    recorded = json.loads(db.session.scalar(sa.text(
        "SELECT changes FROM audit_entries WHERE action = 'audit_export' ORDER BY id DESC LIMIT 1")))
    verified_from = recorded["verified_from"]
    basis = f"walked on from entry {verified_from:,}" if verified_from is not None else "verified the whole chain"
    print(f"  {label:24} {seconds:6.2f} s ({basis}; {len(document) // 1024} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="valid entries in the trail")
    parser.add_argument("--later", type=int, default=10_000, help="entries written after the verification")
    args = parser.parse_args()
    app = fresh_app(URL)
    with app.app_context():
        communes = db.session.execute(sa.text("SELECT code, path FROM units WHERE level = 'commune'")).all()
        started = time.perf_counter()
        append_chain(args.entries, communes, rebuild_indexes=True)
        print(f"Built a valid chain of {args.entries:,} entries in {time.perf_counter() - started:.1f} s")
        inspector = create_user(username="inspector1", full_name="Đặng Thanh Tra", role="inspector", unit_code="30",
                                password=PASSWORD)
        case = db.session.scalar(sa.text("SELECT case_ref FROM audit_entries WHERE case_ref IS NOT NULL LIMIT 1"))
        inspector_id = inspector.id
        db.session.commit()
        started = time.perf_counter()
        verdict = services.verify_chain()
        print(f"The whole chain's check alone, as every extract made it before: {verdict.entries:,} entries "
              f"in {time.perf_counter() - started:.2f} s (ok={verdict.ok})")
        states = (("no verification recorded", [("unfiltered", AuditFilter())]),
                  ("right after it", [("unfiltered", AuditFilter()), (f"case {case}", AuditFilter(case=case))]),
                  (f"{args.later:,} entries later", [("unfiltered", AuditFilter()),
                                                     (f"case {case}", AuditFilter(case=case))]))
        for state, extracts in states:
            if state.endswith("later"):
                append_chain(args.later, communes, rebuild_indexes=False)
            print(f"Extract, {state}:")
            for name, filters in extracts:
                with app.test_request_context("/reports/audit/extract.pdf"):
                    reader = db.session.get(User, inspector_id)
                    login_user(reader)
                    timed(name, reader, filters)
                db.session.remove()
        done()


if __name__ == "__main__":
    main()
