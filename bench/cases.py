"""Benchmark: the case list and name search with a million cases on PostgreSQL, served by gunicorn.

Targets (issue 4): with N cases (1,000,000 by default) and 8 concurrent signed-in clients against gunicorn with
2 workers on this 2-core machine, the case list page serves at least 300 requests/s with p95 under 50 ms for a
commune worker, a district supervisor and a province officer alike; name search p95 under 100 ms. Each figure
is reported next to a bare Flask "hello" endpoint (bench/hello.py) measured in the same run.

What it does: rebuilds the public schema of BENCH_DATABASE_URL (default database `bench_cases`, created if
missing; refuses `test` and `postgres`), loads Hải Dương's units, generates N children and cases in SQL spread
over the 235 communes and two years (one deadline each), creates three accounts, starts gunicorn, signs in
through the sign-in page, and drives each scenario with wrk (Debian's package `wrk`) for DURATION seconds.

Run by hand from the project root:  .venv/bin/python bench/cases.py [--cases N] [--duration S]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "development")

from app import create_app  # noqa: E402
from app.reports import facts  # noqa: E402
from bench.database import fresh_database  # noqa: E402
from app.units.services import DATA_DIR, load_units  # noqa: E402
from app.users.services import create_user  # noqa: E402

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_cases")
PORT = 8099
PASSWORD = "benchmark passphrase"
ACCOUNTS = (("bench.worker", "worker", "10933"), ("bench.supervisor", "supervisor", "295"),
            ("bench.officer", "province_officer", "30"))
# Accented and folded parts of names, in step, so that generated names are realistic and searchable.
FAMILY = (("Nguyễn", "nguyen"), ("Trần", "tran"), ("Lê", "le"), ("Phạm", "pham"), ("Hoàng", "hoang"),
          ("Vũ", "vu"), ("Đặng", "dang"), ("Bùi", "bui"), ("Đỗ", "do"), ("Ngô", "ngo"))
MIDDLE = (("Văn", "van"), ("Thị", "thi"), ("Minh", "minh"), ("Đức", "duc"), ("Thu", "thu"), ("Quốc", "quoc"))
GIVEN = (("An", "an"), ("Bình", "binh"), ("Châu", "chau"), ("Dũng", "dung"), ("Hà", "ha"), ("Hải", "hai"),
         ("Hằng", "hang"), ("Hùng", "hung"), ("Lan", "lan"), ("Long", "long"), ("Mai", "mai"), ("Nam", "nam"),
         ("Ngọc", "ngoc"), ("Phúc", "phuc"), ("Quỳnh", "quynh"), ("Sơn", "son"), ("Thảo", "thao"), ("Tuấn", "tuan"))
# Like a browser, each client sends back the session cookie it was last given: the header's badge, for one, is kept
# in the session for a minute rather than counted on every page.
LUA = """
response = function(status, headers, body)
  local given = headers["Set-Cookie"]
  if given then wrk.headers["Cookie"] = string.match(given, "^[^;]+") end
end
request = function()
  return wrk.format()
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\\n", summary.requests / (summary.duration / 1e6),
           latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status,
           summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def sql_array(values) -> str:
    return "ARRAY[" + ", ".join("'" + value + "'" for value in values) + "]"


def generate(conn: sa.Connection, total: int, under: str = "") -> None:
    """`total` children and cases, in SQL (see GENERATE), spread over the communes whose path starts with `under`
    (all by default); also used by bench/reports.py and bench/reorganisation.py."""
    conn.execute(sa.text(GENERATE.format(
        total=total, under=under.replace("'", "''"),
        family=sql_array(f for f, _ in FAMILY), family_f=sql_array(f for _, f in FAMILY),
        middle=sql_array(m for m, _ in MIDDLE), middle_f=sql_array(m for _, m in MIDDLE),
        given=sql_array(g for g, _ in GIVEN), given_f=sql_array(g for _, g in GIVEN))))


def build(total: int) -> None:
    fresh_database(URL)
    app = create_app({"APP_ENV": "testing", "DATABASE_URL": URL})
    with app.app_context():
        from flask_migrate import upgrade

        from app.extensions import db
        upgrade()
        load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")
        for username, role, unit in ACCOUNTS:
            create_user(username=username, full_name=username, role=role, unit_code=unit, password=PASSWORD)
        started = time.perf_counter()
        with db.engine.begin() as conn:
            # The application's connection is marked, so the outside-change triggers stay quiet here.
            generate(conn, total)
            # Written in SQL, the cases bypassed the flush that keeps their statistics' facts.
            facts.rewrite_all(conn)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
        print(f"generated {total:,} children and cases in {time.perf_counter() - started:.0f} s")


GENERATE = """
CREATE TEMP TABLE communes AS SELECT row_number() OVER (ORDER BY id) AS n, id, code FROM units
 WHERE level = 'commune' AND path LIKE '{under}%';
INSERT INTO children (id, full_name, name_folded, sex, date_of_birth, birth_year, special_circumstances, created_at)
SELECT g, f[1 + g % 10] || ' ' || m[1 + (g / 10) % 6] || ' ' || v[1 + (g / 60) % 18],
       ff[1 + g % 10] || ' ' || mf[1 + (g / 10) % 6] || ' ' || vf[1 + (g / 60) % 18],
       CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, DATE '2009-01-01' + (g % 5800),
       extract(year FROM DATE '2009-01-01' + (g % 5800)), '[]', now()
  FROM generate_series(1, {total}) AS g,
       (SELECT {family} f, {family_f} ff, {middle} m, {middle_f} mf, {given} v, {given_f} vf) AS parts;
SELECT setval(pg_get_serial_sequence('children', 'id'), {total});
INSERT INTO cases (id, reference, unit_id, child_id, status, source, received_at, description, immediate_danger,
                   reporter_may_be_named, risk_level, created_at, updated_at, version)
SELECT g, 'HD-' || c.code || '-B-' || lpad(g::text, 7, '0'), c.id, g,
       (ARRAY['reported','assessing','planning','in_progress','monitoring','closed'])[1 + g % 6],
       'hotline_111', now() - (g % 730) * interval '1 day' - (g % 1440) * interval '1 minute',
       'Benchmark case', g % 10 = 0, false,
       CASE WHEN g % 6 = 0 THEN NULL ELSE (ARRAY['high','medium','low'])[1 + g % 3] END, now(), now(), 1
  FROM generate_series(1, {total}) AS g JOIN communes c ON c.n = 1 + g % (SELECT count(*) FROM communes);
SELECT setval(pg_get_serial_sequence('cases', 'id'), {total});
INSERT INTO child_name_starts (child_id, start)
SELECT c.id, array_to_string(words[i:], ' ')
  FROM children c, LATERAL (SELECT string_to_array(c.name_folded, ' ') AS words) AS names,
       LATERAL generate_series(1, array_length(words, 1)) AS i;
INSERT INTO case_categories (case_id, category)
SELECT g, (ARRAY['violence','sexual_abuse','exploitation','neglect','abandonment','trafficking'])[1 + g % 6]
  FROM generate_series(1, {total}) AS g;
INSERT INTO case_deadlines (case_id, name, due_at, met_at)
SELECT g, 'initial_assessment', now() - (g % 730) * interval '1 day' + interval '12 hours',
       CASE WHEN g % 6 = 0 THEN NULL ELSE now() - (g % 730) * interval '1 day' END
  FROM generate_series(1, {total}) AS g;
"""


def sign_in(username: str) -> str:
    """The session cookie of a real sign-in through the page (with its CSRF token)."""
    opener = urllib.request.build_opener()
    page = opener.open(f"http://127.0.0.1:{PORT}/auth/sign-in")
    cookie = page.headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.read().decode()).group(1)
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/auth/sign-in", headers={"Cookie": cookie},
        data=urllib.parse.urlencode({"csrf_token": token, "username": username, "password": PASSWORD}).encode())

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(request)
    except urllib.error.HTTPError as answer:
        if answer.code == 302:
            return answer.headers["Set-Cookie"].split(";")[0]
        raise
    raise RuntimeError(f"sign-in as {username} failed")


def serve(module: str, env: dict) -> subprocess.Popen:
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
                               "--log-level", "warning", module], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def load(path: str, cookie: str | None, duration: int, script: str) -> tuple[float, float, float, int, int]:
    command = ["wrk", "-t2", "-c8", f"-d{duration}s", "-s", script, f"http://127.0.0.1:{PORT}{path}"]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps, p50, p95, bad_status, failures = output.split("RESULT ")[1].split()
    return float(rps), float(p50), float(p95), int(bad_status), int(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--skip-build", action="store_true", help="reuse the cases already generated")
    arguments = parser.parse_args()
    if not arguments.skip_build:
        build(arguments.cases)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "benchmark", "DATABASE_URL": URL,
           "PYTHONPATH": str(ROOT)}
    rows = []
    server = serve("bench.hello:app", env)
    try:
        rows.append(("bare Flask hello", "/", None, 0, 0) + load("/", None, arguments.duration, script.name))
    finally:
        server.terminate()
        server.wait()
    server = serve("wsgi:app", env)
    try:
        for username, role, _unit in ACCOUNTS:
            cookie = sign_in(username)
            for label, path, limit in ((f"case list, {role}", "/cases/", 50),
                                       (f"name search, {role}", "/cases/?q=nguyen+van+an", 100)):
                rows.append((label, path, cookie, 300 if limit == 50 else 0, limit) +
                            load(path, cookie, arguments.duration, script.name))
    finally:
        server.terminate()
        server.wait()
    hello_rps = rows[0][5]
    print(f"\n{'scenario':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'vs hello':>9}  target")
    for label, _path, _cookie, min_rps, p95_limit, rps, p50, p95, bad, failed in rows:
        target = "" if not p95_limit else (f">= {min_rps} req/s, " if min_rps else "") + f"p95 < {p95_limit} ms"
        met = "" if not p95_limit else ("met" if p95 < p95_limit and rps >= min_rps and not bad + failed
                                        else "MISSED")
        print(f"{label:34} {rps:8.1f} {p50:8.2f} {p95:8.2f} {bad + failed:7d} {rps / hello_rps:9.3f}  {target} {met}")


if __name__ == "__main__":
    main()
