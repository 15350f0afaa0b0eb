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
