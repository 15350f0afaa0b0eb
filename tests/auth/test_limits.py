"""Sign-in attempts are limited per source address and per account, and password hashing is bounded
(issue 14, item 7). The limits per address are counted in Redis, as in production."""
import threading
from datetime import timedelta

import pytest
from limits import parse_many

from app import create_app
from app.config import load_config
from app.auth import passwords
from app.security import source_address
from app.extensions import db, limiter
from tests.factories import PASSWORD, audit_entries

OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.7"


def attempt(app, username, password="not the password", address=OFFICE):
    return app.test_client().post("/auth/sign-in", data={"username": username, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def token_attempt(app, username, password="not the password", address=OFFICE):
    return app.test_client().post("/api/v1/tokens", json={"username": username, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits per address, so that a test reaches them in a few attempts."""
    def set_limits(attempts="100 per minute", failures="100 per hour"):
        monkeypatch.setitem(app.config, "SIGN_IN_ATTEMPTS_PER_ADDRESS", attempts)
        monkeypatch.setitem(app.config, "SIGN_IN_FAILURES_PER_ADDRESS", failures)
    return set_limits


def test_twenty_five_usernames_from_one_address_are_not_all_tried(app, units, monkeypatch):
    """The issue's flood, with the deployment's limits: one address gets 5 attempts in 10 seconds."""
    deployed = load_config({"APP_ENV": "development"})
    monkeypatch.setitem(app.config, "SIGN_IN_ATTEMPTS_PER_ADDRESS", deployed["SIGN_IN_ATTEMPTS_PER_ADDRESS"])
    answers = [attempt(app, f"guess{number}").status_code for number in range(25)]
    assert answers == [200] * 5 + [429] * 20
    assert len(audit_entries(action="sign_in_failed")) == 5


def test_the_deployment_s_limits_are_five_attempts_in_ten_seconds_twenty_a_minute_and_twenty_failures_an_hour():
    deployed = load_config({"APP_ENV": "development"})
    assert [str(limit) for limit in parse_many(deployed["SIGN_IN_ATTEMPTS_PER_ADDRESS"])] == [
        "5 per 10 second", "20 per 1 minute"]
    assert [str(limit) for limit in parse_many(deployed["SIGN_IN_FAILURES_PER_ADDRESS"])] == ["20 per 1 hour"]


def test_a_limited_address_is_told_when_to_try_again_in_its_language(app, units, limits):
    limits(attempts="2 per minute")
    attempt(app, "a"), attempt(app, "b")
    refused = attempt(app, "c")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 61
    assert "Có quá nhiều lần thử từ địa chỉ của bạn" in refused.get_data(as_text=True)


def test_another_address_is_not_limited_by_the_first(app, make_user, limits):
    limits(attempts="2 per minute")
    user = make_user("worker")
    attempt(app, "a"), attempt(app, "b")
    assert attempt(app, user.username, PASSWORD, address=ELSEWHERE).status_code == 302


def test_failures_count_towards_their_own_limit_and_successes_do_not(app, make_user, limits):
    limits(failures="3 per hour")
    user = make_user("worker")
    for _ in range(5):
        assert attempt(app, user.username, PASSWORD).status_code == 302
    for name in ("a", "b", "c"):
        assert attempt(app, name).status_code == 200
    assert attempt(app, user.username, PASSWORD).status_code == 429


def test_token_creation_and_activation_share_the_address_s_limits(app, units, limits):
    limits(attempts="2 per minute")
    attempt(app, "a")
    app.test_client().post("/auth/activate", data={"username": "b", "code": "x", "new_password": "y",
                                                   "confirm": "y"}, environ_base={"REMOTE_ADDR": OFFICE})
    refused = token_attempt(app, "c")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert refused.json["error"]["code"] == "too_many_requests"


def test_pages_other_than_sign_in_are_not_limited(app, make_user, sign_in, client, limits):
    limits(attempts="1 per minute")
    sign_in(make_user("worker"))
    assert all(client.get("/").status_code == 200 for _ in range(5))
    assert client.get("/auth/sign-in").status_code == 302


def test_the_counts_live_in_redis_where_every_process_and_host_sees_them(app, units, limits, database_url,
                                                                         redis_url):
    limits(attempts="2 per minute")
    assert type(limiter.storage).__name__ == "RedisStorage"
    attempt(app, "a"), attempt(app, "b")
    other_host = create_app({**{key: app.config[key] for key in (
        "APP_ENV", "SERVER_NAME", "WTF_CSRF_ENABLED", "PASSWORD_HASH_PARAMETERS", "RATELIMIT_STORAGE_OPTIONS",
        "SIGN_IN_ATTEMPTS_PER_ADDRESS", "SIGN_IN_FAILURES_PER_ADDRESS")},
        "DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": redis_url})
    with other_host.app_context():
        assert attempt(other_host, "c").status_code == 429
        db.session.remove()


def test_an_attacker_elsewhere_cannot_lock_the_owner_out_of_a_known_address(app, make_user):
    user = make_user("worker")
    assert attempt(app, user.username, PASSWORD).status_code == 302
    for _ in range(6):
        attempt(app, user.username, address=ELSEWHERE)
    assert attempt(app, user.username, PASSWORD, address=ELSEWHERE).status_code == 200
    assert attempt(app, user.username, PASSWORD).status_code == 302


def test_failures_from_a_known_address_slow_down_instead_of_locking(app, make_user):
    user = make_user("worker")
    attempt(app, user.username, PASSWORD)
    for _ in range(5):
        assert attempt(app, user.username).status_code == 200
    waiting = attempt(app, user.username, PASSWORD)
    assert waiting.status_code == 429 and 10 <= int(waiting.headers["Retry-After"]) <= 15
    db.session.refresh(user)
    assert user.locked_until is None
    _let_time_pass(user, seconds=16)
    assert attempt(app, user.username, PASSWORD).status_code == 302


def test_the_wait_doubles_with_each_further_failure_up_to_five_minutes(app, make_user):
    user = make_user("worker")
    attempt(app, user.username, PASSWORD)
    assert [attempt(app, user.username).status_code for _ in range(5)] == [200] * 5
    waits = []
    for _ in range(7):
        waits.append(int(attempt(app, user.username).headers["Retry-After"]))
        _let_time_pass(user, seconds=600)
        assert attempt(app, user.username).status_code == 200
    assert waits == [15, 30, 60, 120, 240, 300, 300]


def test_a_slowed_attempt_is_recorded_and_checks_no_password(app, make_user, monkeypatch):
    user = make_user("worker")
    attempt(app, user.username, PASSWORD)
    for _ in range(5):
        attempt(app, user.username)
    checked = []
    monkeypatch.setattr("app.auth.services.verify_password", lambda *args: checked.append(args) or True)
    attempt(app, user.username, PASSWORD)
    assert checked == [] and audit_entries(action="sign_in_failed")[-1].changes == '{"reason": "slowed_down"}'


def test_an_api_client_at_a_known_address_is_slowed_down_too(app, make_user):
    user = make_user("worker")
    assert token_attempt(app, user.username, PASSWORD).status_code == 201
    for _ in range(5):
        token_attempt(app, user.username)
    waiting = token_attempt(app, user.username, PASSWORD)
    assert waiting.status_code == 429 and waiting.json["error"]["code"] == "too_many_requests"


@pytest.mark.parametrize("address, counted_as", [
    ("192.0.2.1", "192.0.2.1"), ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.1", "192.0.2.1")])
def test_an_ipv6_device_is_counted_by_its_network(app, address, counted_as):
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        assert source_address() == counted_as


def test_an_ipv6_attacker_cannot_escape_the_limit_by_changing_address_within_the_network(app, units, limits):
    limits(attempts="2 per minute")
    attempt(app, "a", address="2001:db8:1:2::1"), attempt(app, "b", address="2001:db8:1:2::2")
    assert attempt(app, "c", address="2001:db8:1:2::3").status_code == 429
    assert attempt(app, "d", address="2001:db8:1:3::1").status_code == 200


def _let_time_pass(user, seconds):
    from app.auth.models import KnownAddress

    for known in db.session.scalars(db.select(KnownAddress).where(KnownAddress.user_id == user.id)):
        if known.last_failure_at:
            known.last_failure_at -= timedelta(seconds=seconds)
    db.session.commit()


def test_at_most_the_configured_number_of_hashes_run_at_once(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_CONCURRENCY", 2)
    running, most = [0], [0]
    lock = threading.Lock()

    class SlowHasher:
        def hash(self, password):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            threading.Event().wait(0.05)
            with lock:
                running[0] -= 1
            return "hashed"

    monkeypatch.setattr(passwords, "_hasher", SlowHasher)

    def hash_one():
        with app.app_context():
            passwords.hash_password("a password")

    threads = [threading.Thread(target=hash_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 2


def test_a_sign_in_that_waits_too_long_for_its_turn_is_answered_503(app, make_user, monkeypatch):
    user = make_user("worker")
    monkeypatch.setitem(app.config, "PASSWORD_HASH_CONCURRENCY", 1)
    monkeypatch.setitem(app.config, "PASSWORD_HASH_WAIT", timedelta(milliseconds=20))
    turn = passwords._turns(1)
    turn.acquire()
    try:
        page = attempt(app, user.username, PASSWORD)
        api = token_attempt(app, user.username, PASSWORD, address=ELSEWHERE)
    finally:
        turn.release()
    assert page.status_code == 503 and page.headers["Retry-After"] == "10"
    assert "Máy chủ đang bận" in page.get_data(as_text=True)
    assert api.status_code == 503 and api.json["error"]["code"] == "busy"
    assert attempt(app, user.username, PASSWORD).status_code == 302
