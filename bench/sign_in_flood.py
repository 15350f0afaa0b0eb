"""Benchmark: a flood of bad sign-ins against gunicorn, with production Argon2 parameters (app/config.py).

Serves a checkout of the app (this one by default, or another with --checkout: to compare with an older one,
`git archive main | tar -x -C /tmp/main`) with gunicorn on a scratch SQLite database, then sends FLOOD concurrent
bad sign-ins through the sign-in page (GET for the form's CSRF token, then POST), each for a username nobody has,
from 127.0.0.1 (or, with --spread, each from an address of its own in 127.0.1.0/24). Half a second in, a real user
signs in from 127.0.0.2. It prints the answers to the flood, the peak resident memory of gunicorn's processes
(sampled every 20 ms) above their resting size, and how long the real user waited.

Run from the project root:  .venv/bin/python bench/sign_in_flood.py [--workers 2 --threads 8] [--spread]
Needs Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/15, a database of its own) for the limits; the
limiter's keys there are removed at the end. Everything it starts it stops; its files live in a temporary directory.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "worker.real", "the real user's own passphrase 2024"


def request(port, method, path, source, cookie=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response.getheader("Set-Cookie"), data


def sign_in(port, username, password, source):
    """The sign-in page as a browser uses it; the status of the POST, or of the GET when that is refused."""
    status, set_cookie, page = request(port, "GET", "/auth/sign-in", source)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if status != 200 or token is None:
        return status
    cookie = set_cookie.split(";", 1)[0]
    body = urllib.parse.urlencode({"csrf_token": token.group(1), "username": username, "password": password})
    return request(port, "POST", "/auth/sign-in", source, cookie, body)[0]


def resident_kib(pids) -> int:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


def gunicorn_pids(master: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [master, *map(int, children)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkout", default=str(ROOT))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--flood", type=int, default=50)
    parser.add_argument("--spread", action="store_true", help="each bad sign-in from an address of its own")
    parser.add_argument("--port", type=int, default=8765)
    arguments = parser.parse_args()
    checkout = Path(arguments.checkout).resolve()
    scratch = Path(tempfile.mkdtemp(prefix="sign-in-flood-"))
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "bench-" + "x" * 40,
           "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}", "RATELIMIT_STORAGE_URI": redis_url,
           "PYTHONPATH": str(checkout)}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["units", "load", "app/units/data/hai_duong_2024.csv"]):
        subprocess.run(flask + command, cwd=checkout, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["users", "create", "--username", USERNAME, "--role", "worker", "--unit", "10933",
                            "--password-stdin"], cwd=checkout, env=env, check=True, capture_output=True,
                   input=PASSWORD + "\n", text=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(arguments.workers), "--threads", str(arguments.threads),
         "--bind", f"127.0.0.1:{arguments.port}", "--timeout", "120", "--backlog", "256", "wsgi:app"],
        cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=open(scratch / "gunicorn.log", "w"))
    try:
        for _ in range(100):
            try:
                request(arguments.port, "GET", "/auth/sign-in", "127.0.0.1")
                break
            except OSError:
                time.sleep(0.2)
        # A first sign-in by every worker, so that each has loaded its code and its dummy hash before measuring.
        for _ in range(arguments.workers * 2):
            sign_in(arguments.port, "warm.up", "not the password", "127.0.0.3")
        time.sleep(1)
        pids = gunicorn_pids(server.pid)
        resting = resident_kib(pids)
        peak = [resting]
        sampling = threading.Event()

        def sample():
            while not sampling.is_set():
                peak[0] = max(peak[0], resident_kib(pids))
                time.sleep(0.02)

        answers, flood_times = Counter(), []

        def bad_sign_in(number):
            source = f"127.0.1.{number % 250 + 1}" if arguments.spread else "127.0.0.1"
            started = time.monotonic()
            answers[sign_in(arguments.port, f"guess{number}", "not the password", source)] += 1
            flood_times.append(time.monotonic() - started)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.monotonic()
        flood = [threading.Thread(target=bad_sign_in, args=(number,)) for number in range(arguments.flood)]
        for thread in flood:
            thread.start()
        time.sleep(0.5)
        real_started = time.monotonic()
        real_status = sign_in(arguments.port, USERNAME, PASSWORD, "127.0.0.2")
        real_wait = time.monotonic() - real_started
        for thread in flood:
            thread.join()
        flood_done = time.monotonic() - started
        sampling.set()
        sampler.join()
        origin = "each from its own address" if arguments.spread else "from one address"
        print(f"checkout {checkout}; gunicorn {arguments.workers} workers x {arguments.threads} threads; "
              f"{arguments.flood} bad sign-ins {origin}")
        print(f"flood answers: {dict(sorted(answers.items()))}; all answered in {flood_done:.1f} s "
              f"(median {statistics.median(flood_times):.1f} s each)")
        print(f"resident memory: {resting / 1024:.0f} MiB at rest, peak {peak[0] / 1024:.0f} MiB "
              f"(+{(peak[0] - resting) / 1024:.0f} MiB)")
        print(f"the real user, from another address, got {real_status} after {real_wait:.2f} s")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        try:
            import redis

            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter("LIMITS:*"):
                client.delete(key)
        except Exception:  # noqa: BLE001  (the main checkout has no limiter and leaves no keys)
            pass


if __name__ == "__main__":
    main()
