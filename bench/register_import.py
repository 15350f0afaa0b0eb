"""Benchmark: importing a list of 5,000 children into a commune's register (issue 18, point 3: under 30 s).

What it does: rebuilds the public schema of BENCH_DATABASE_URL (default database `bench_register_import`, created if
missing; refuses `test` and `postgres`), loads Hải Dương's units, creates a commune worker, registers 1,000
children (so that part of the list matches), then writes a CSV of 5,000 rows (1,000 of the registered children in
another group, 3,950 new ones, 50 wrong) and times, through the pages: reading and checking the file
(POST /register/import, the preview kept in the database), showing the preview, and, with the 50 wrong rows taken
out, confirming it (every row written in one transaction); then counts the trail's entries the confirmation wrote
(one per child changed) and verifies the whole chain, as `flask audit verify` does.

Run by hand from the project root:  .venv/bin/python bench/register_import.py [--rows N]
"""
import argparse
import csv
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.models import AuditEntry  # noqa: E402
from app.audit.services import verify_chain  # noqa: E402
from app.extensions import db  # noqa: E402
from app.units.services import DATA_DIR, load_units  # noqa: E402
from app.users.services import create_user  # noqa: E402
from bench.database import fresh_database  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_register_import")
PASSWORD = "the bench's own passphrase 2024"
HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Nhóm", "Thuộc nhóm từ ngày", "Nơi sống",
          "Ở cùng ai", "Xã"]
REGISTERED = 1000
BAD = 50


def born(index: int) -> date:
    return date(2011 + index % 14, 1 + index % 12, 1 + index % 28)


def the_list(rows: int, bad: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for index in range(rows):
        wrong = bad and index % (rows // BAD) == 7
        group = "Trẻ em khuyết tật" if index < REGISTERED else "Trẻ em bị bỏ rơi"
        writer.writerow([f"Nguyễn Văn Số {index}", "Nam", "" if wrong else born(index).strftime("%d/%m/%Y"),
                         f"030{index:09d}", group, "", "", "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    arguments = parser.parse_args()

    fresh_database(URL)
    app = create_app({"APP_ENV": "testing", "DATABASE_URL": URL, "RATELIMIT_STORAGE_URI": "memory://",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade

        from app.children.services import ChildDetails, new_child
        from app.register.services import Membership, Situation, register_child
        from app.users.services import find_user

        upgrade()
        load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")
        create_user(username="worker.bench", full_name="Bench", role="worker", unit_code="10933", password=PASSWORD)
        worker = find_user("worker.bench")
        for index in range(REGISTERED):
            child = new_child(ChildDetails(full_name=f"Nguyễn Văn Số {index}", sex="male",
                                           date_of_birth=born(index), id_number=f"030{index:09d}",
                                           address_unit=worker.unit))
            register_child(worker, child, Situation("with_parents"), Membership("orphaned", None, date(2026, 1, 1)),
                           date(2026, 11, 1))
        db.session.commit()
        db.session.remove()

    client = app.test_client()
    client.post("/auth/sign-in", data={"username": "worker.bench", "password": PASSWORD})
    for label, data in (("with 50 wrong rows", the_list(arguments.rows, True)),
                        ("corrected", the_list(arguments.rows, False))):
        started = time.perf_counter()
        response = client.post("/register/import", data={"file": (io.BytesIO(data), "danh-sach.csv")},
                               content_type="multipart/form-data")
        read = time.perf_counter() - started
        preview = response.headers["Location"]
        started = time.perf_counter()
        page = client.get(preview)
        shown = time.perf_counter() - started
        print(f"{label}: read and checked {arguments.rows} rows in {read:.2f} s; preview page {shown:.2f} s "
              f"({len(page.data) // 1024} KB)")
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(AuditEntry.id)))
    started = time.perf_counter()
    response = client.post(preview)
    written = time.perf_counter() - started
    print(f"confirmed: {response.status_code}, written in {written:.2f} s")
    with app.app_context():
        told = db.session.execute(sa.select(AuditEntry.action, sa.func.count()).where(AuditEntry.id > last)
                                  .group_by(AuditEntry.action).order_by(AuditEntry.action)).all()
        started = time.perf_counter()
        verdict = verify_chain()
        print(f"trail: {', '.join(f'{count} {action}' for action, count in told)}; chain of {verdict.entries} "
              f"entries {'whole' if verdict.ok else 'BROKEN'} ({time.perf_counter() - started:.2f} s)")


if __name__ == "__main__":
    main()
