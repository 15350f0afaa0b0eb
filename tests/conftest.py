"""Fixtures: an app on a migrated database (SQLite or PostgreSQL), a client, and a sign-in helper.

`pytest --db=sqlite` (the default) or `pytest --db=postgresql`, the latter at
TEST_DATABASE_URL. With CI=true an unreachable PostgreSQL fails the run.
"""
import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.extensions import db, limiter
from tests import database, factories

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def pytest_addoption(parser):
    parser.addoption("--db", choices=("sqlite", "postgresql"), default="sqlite",
                     help="database to run the suite on")


def pytest_collection_modifyitems(config, items):
    """Tests of behaviour only PostgreSQL has run in the PostgreSQL pass and are left out of the SQLite one."""
    if config.getoption("--db") == "postgresql":
        return
    kept = [item for item in items if "postgresql_only" not in item.keywords]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_report_header(config):
    return f"database: {config.getoption('--db')}"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgresql_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)
    try:
        with sa.create_engine(url).connect() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
            connection.commit()
    except sa.exc.OperationalError as exc:
        message = f"PostgreSQL at {url} is unreachable: {exc.orig}"
        if in_ci():
            pytest.exit(message, returncode=1)
        pytest.skip(message, allow_module_level=True)
    return url


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    if request.config.getoption("--db") == "postgresql":
        return _postgresql_url()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def redis_url():
    """The rate limits are counted in a real Redis, as in production (`make test` starts one)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        pytest.exit(f"Redis at {url} is unreachable ({exc}): start it (redis-server --daemonize yes) or set "
                    "TEST_REDIS_URL", returncode=1)
    return url


@pytest.fixture(scope="session")
def dialect(request):
    return request.config.getoption("--db")


class RequestIsolatedClient(FlaskClient):
    """Each request runs in an app context of its own, as in production.

    Tests hold an app context for factories and queries; without this, requests
    would share its `g` and database session (a user cached by Flask-Login, a locale).
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def _app(database_url, redis_url, tmp_path_factory):
    app = create_app({
        "APP_ENV": "testing",
        "DATABASE_URL": database_url,
        "SERVER_NAME": "localhost",
        # Forms are posted without tokens here; CSRF has its own test and the browser test uses real tokens.
        "WTF_CSRF_ENABLED": False,
        # The test client and the browser test speak plain HTTP to localhost.
        "SESSION_COOKIE_SECURE": False,
        # Cheap hashes keep the suite fast; production parameters are tested on their own.
        "PASSWORD_HASH_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        "RATELIMIT_STORAGE_URI": redis_url,
        # The suite signs in often from one address, faster than people do; tests/auth/test_limits.py puts the
        # deployment's limits back where it tests them.
        "SIGN_IN_ATTEMPTS_PER_ADDRESS": "1000 per minute",
        # Its own keys, so that two runs at once (SQLite and PostgreSQL) do not count each other's attempts.
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"test-{os.getpid()}"},
        # Attached files kept on disk go to a folder of the run's own, never the project's instance folder.
        "ATTACHMENT_DIR": str(tmp_path_factory.mktemp("attachments")),
    })
    app.test_client_class = RequestIsolatedClient
    with app.app_context():
        upgrade()
        database.wipe()
    return app


@pytest.fixture
def app(_app):
    """The app inside an app context, its tables emptied after each test."""
    with _app.app_context():
        yield _app
        db.session.rollback()
        db.session.remove()
        database.wipe()
        limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def units(app):
    """The Hải Dương 2024 list: province 30, district 295, communes 10933 and 10966."""
    return factories.load_hai_duong()


@pytest.fixture
def make_user(units):
    return factories.make_user


@pytest.fixture
def sign_in(client):
    def sign_in_as(user, password=factories.PASSWORD):
        response = client.post("/auth/sign-in", data={"username": user.username, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return user

    return sign_in_as
