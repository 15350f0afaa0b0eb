"""While the database cannot be reached, every request answers 503 with Retry-After, in the reader's language, and
leaves no pooled connection in a failed transaction; the next request after it comes back works."""
import pytest
import sqlalchemy as sa

from app.cases import queries
from app.cases.models import TimelineEntry
from app.extensions import db
from tests.factories import PASSWORD, make_case


def cut_every_connection() -> None:
    """As a restart of PostgreSQL does to the app's pool: every connection to this database is ended by the server
    (only this test database's, from a connection of its own)."""
    db.session.close()
    outside = sa.create_engine(db.engine.url, poolclass=sa.NullPool)
    with outside.connect() as connection:
        connection.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    outside.dispose()


def connections_in_failed_transactions() -> int:
    outside = sa.create_engine(db.engine.url, poolclass=sa.NullPool)
    with outside.connect() as connection:
        count = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction (aborted)'").scalar()
    outside.dispose()
    return count


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


@pytest.fixture
def token(client, worker):
    return client.post("/api/v1/tokens", json={"username": worker.username, "password": PASSWORD}).json["token"]


@pytest.fixture
def fresh_pool_after(app):
    yield
    db.engine.dispose()


@pytest.mark.postgresql_only
def test_a_page_asked_for_as_the_database_restarts_answers_503_then_the_next_one_works(client, worker,
                                                                                      fresh_pool_after):
    assert client.get("/cases/").status_code == 200
    cut_every_connection()
    response = client.get("/cases/")
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert "Chưa kết nối được cơ sở dữ liệu" in response.get_data(as_text=True)
    assert client.get("/cases/").status_code == 200
    assert connections_in_failed_transactions() == 0


@pytest.mark.postgresql_only
def test_an_api_write_as_the_database_restarts_answers_503_keeps_nothing_and_can_be_sent_again(
        client, worker, token, fresh_pool_after):
    reference = make_case(worker).reference
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    entry = {"kind": "note", "occurred_at": "2026-11-28T08:00:00+07:00", "text": "Đã gọi điện cho mẹ của trẻ."}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    cut_every_connection()
    response = client.post(f"/api/v1/cases/{reference}/timeline", json=entry, headers=headers)
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert response.json["error"]["code"] == "unavailable" and "database" in response.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TimelineEntry)) == 0
    assert client.post(f"/api/v1/cases/{reference}/timeline", json=entry, headers=headers).status_code == 201
    assert connections_in_failed_transactions() == 0


@pytest.mark.parametrize("error", [
    sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly")),
    sa.exc.PendingRollbackError("This Session's transaction has been rolled back due to a previous exception"),
    sa.exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached")], ids=["operational", "pending", "pool"])
def test_a_database_that_cannot_answer_gives_503_with_retry_after_on_pages_and_api(client, worker, token,
                                                                                   monkeypatch, error):
    def unavailable(*args, **kwargs):
        raise error

    monkeypatch.setattr(queries, "page_of", unavailable)
    monkeypatch.setattr(queries, "rows_of", unavailable)
    page = client.get("/cases/")
    assert page.status_code == 503 and page.headers["Retry-After"].isdigit()
    assert "Chưa kết nối được cơ sở dữ liệu" in page.get_data(as_text=True)
    api = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and api.headers["Retry-After"].isdigit()
    assert api.json["error"]["code"] == "unavailable"


@pytest.mark.postgresql_only
def test_writes_under_load_while_every_connection_is_cut_are_kept_or_answered_503_saying_which(app, make_user,
                                                                                        fresh_pool_after):
    """As the security test found it: the server is restarted while four clients write over HTTP. Each write is
    then kept and answered 201, or refused with 503 and nothing kept, or kept and answered 503 saying so (the
    database went away while the answer was being read); no connection is left in a failed transaction."""
    import json
    import threading
    import time
    import urllib.error
    import urllib.request

    from werkzeug.serving import make_server

    worker = make_user("worker")
    username, reference = worker.username, make_case(worker).reference
    db.session.close()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/api/v1"

    def post(path, payload, token=None):
        request = urllib.request.Request(f"{base}{path}", data=json.dumps(payload).encode(), method="POST",
                                         headers={"Content-Type": "application/json",
                                                  **({"Authorization": f"Bearer {token}"} if token else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, json.loads(response.read())
        except urllib.error.HTTPError as refusal:
            return refusal.code, refusal.headers, json.loads(refusal.read() or "null")

    status, _headers, issued = post("/tokens", {"username": username, "password": PASSWORD})
    assert status == 201
    token = issued["token"]
    answers = []

    def write(client: int) -> None:
        for number in range(15):
            text = f"Ghi chú {client}-{number}"
            status, headers, body = post(f"/cases/{reference}/timeline",
                                         {"kind": "note", "occurred_at": "2026-11-28T08:00:00+07:00",
                                          "text": text}, token)
            answers.append((text, status if status != 503 else body["error"]["code"], headers.get("Retry-After")))

    writers = [threading.Thread(target=write, args=(client,)) for client in range(4)]
    try:
        for writer in writers:
            writer.start()
        for _ in range(3):
            time.sleep(0.2)
            cut_every_connection()
        for writer in writers:
            writer.join()
    finally:
        server.shutdown()
    answered = {status for _text, status, _retry in answers}
    assert answered <= {201, "unavailable", "unavailable_after_saving"} and answered & {"unavailable",
                                                                                       "unavailable_after_saving"}
    assert all(retry and retry.isdigit() for _text, status, retry in answers if status != 201)
    kept = set(db.session.scalars(sa.select(TimelineEntry.text)))
    assert kept == {text for text, status, _retry in answers if status in (201, "unavailable_after_saving")}
    assert connections_in_failed_transactions() == 0
