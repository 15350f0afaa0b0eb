"""Benchmark: 1,000 uploads of 2 MB photos through the API, then `audit verify --files` over them.

Targets (issue 17): the time each upload takes (metadata removed, thumbnail made, bytes and row committed together),
whether the process's memory grows with the number of uploads (it must not: a file is held only while it is
handled), and how long re-hashing every stored file takes.

What it does: rebuilds the public schema of BENCH_DATABASE_URL (default database `bench_attachments`, created if
missing; refuses `test` and `postgres`), loads Hải Dương's units, creates a commune worker and a case, and sends
N photos (1,000 by default) of about 2 MB each (camera noise, which JPEG cannot shrink, with GPS and camera
metadata) to POST /api/v1/cases/{reference}/attachments in one process through Flask's test client, storing them
in the database (ATTACHMENT_STORE=database, the production default) or, with --store filesystem, under a temporary
folder. It prints the median, 95th percentile and slowest upload, the resident memory after the first 50 uploads
and at the end, and the time `verify_files` takes. The limiter counts in memory here (no Redis needed).

Run by hand from the project root:  .venv/bin/python bench/attachments.py [--uploads N] [--store database]
"""
import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from app import create_app  # noqa: E402
from app.units.services import DATA_DIR, load_units  # noqa: E402
from app.users.services import create_user  # noqa: E402
from bench.database import fresh_database  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_attachments")
PASSWORD = "the bench's own passphrase 2024"
TARGET_SIZE = 2 * 1024 * 1024
WARM = 50


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def photos(count: int, seed: int = 17) -> list[bytes]:
    """A few distinct photos of about 2 MB (camera noise), with GPS and camera metadata, to send in turn."""
    generator = random.Random(seed)
    made = []
    for _ in range(count):
        image = Image.frombytes("RGB", (2100, 1575), generator.randbytes(2100 * 1575 * 3))
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "Apple", "iPhone 15"
        exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (106.0, 20.0, 15.0)}
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, exif=exif)
        made.append(out.getvalue())
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=1000)
    parser.add_argument("--store", choices=("database", "filesystem"), default="database")
    arguments = parser.parse_args()

    fresh_database(URL)
    folder = tempfile.mkdtemp(prefix="bench-attachments-")
    app = create_app({"APP_ENV": "testing", "DATABASE_URL": URL, "ATTACHMENT_STORE": arguments.store,
                      "ATTACHMENT_DIR": folder, "ATTACHMENT_UPLOADS_PER_HOUR": "1000000 per hour",
                      "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": "localhost"})
    with app.app_context():
        from flask_migrate import upgrade

        from app.attachments.services import verify_files
        from app.extensions import db
        from app.users.services import find_user
        from tests.factories import make_case

        upgrade()
        load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")
        create_user(username="worker.bench", full_name="Bench", role="worker", unit_code="10933", password=PASSWORD)
        worker = find_user("worker.bench")
        reference = make_case(worker).reference
        db.session.remove()

    pictures = photos(5)
    print(f"photos of {statistics.mean(len(p) for p in pictures) / 1024 / 1024:.2f} MB on average; "
          f"{arguments.uploads} uploads into the {arguments.store} store")
    client = app.test_client()
    with app.app_context():
        token = client.post("/api/v1/tokens", json={"username": "worker.bench", "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    times, warm_memory = [], None
    started = time.perf_counter()
    for number in range(arguments.uploads):
        body = {"file": (io.BytesIO(pictures[number % len(pictures)]), "IMG.jpg"), "kind": "injury_photo",
                "description": f"Ảnh {number + 1}", "made_on": "2026-12-01"}
        before = time.perf_counter()
        with app.app_context():
            response = client.post(f"/api/v1/cases/{reference}/attachments", data=body, headers=headers)
        times.append(time.perf_counter() - before)
        if response.status_code != 201:
            sys.exit(f"upload {number + 1} answered {response.status_code}: {response.get_data(as_text=True)}")
        if number + 1 == WARM:
            warm_memory = resident_mib()
    total = time.perf_counter() - started
    end_memory = resident_mib()
    times.sort()
    print(f"uploads: {total:.0f} s in all; per upload median {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {times[int(len(times) * 0.95)] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms")
    print(f"resident memory: {warm_memory:.0f} MiB after {WARM} uploads, {end_memory:.0f} MiB after "
          f"{arguments.uploads} ({end_memory - warm_memory:+.0f} MiB)")
    with app.app_context():
        before = time.perf_counter()
        problems = verify_files()
        print(f"verify_files: {len(problems)} problems among {arguments.uploads} files in "
              f"{time.perf_counter() - before:.1f} s; resident memory then {resident_mib():.0f} MiB")


if __name__ == "__main__":
    main()
