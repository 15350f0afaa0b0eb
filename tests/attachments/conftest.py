"""The stores every attachment test runs against, for real: files under a folder of the test's own, and chunks in
the test database."""
import pytest
from flask_babel import force_locale

from tests.factories import make_case


@pytest.fixture(autouse=True)
def in_english(app):
    """The messages these tests read, in the language they are written in (one test reads them in Vietnamese)."""
    with force_locale("en"):
        yield


def _use_store(app, monkeypatch, tmp_path, name: str) -> str:
    monkeypatch.setitem(app.config, "ATTACHMENT_STORE", name)
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(tmp_path / "attachments"))
    return name


@pytest.fixture(params=["filesystem", "database"])
def store(request, app, tmp_path, monkeypatch):
    """Each test that asks for the store runs once with each."""
    return _use_store(app, monkeypatch, tmp_path, request.param)


@pytest.fixture
def filesystem_store(app, tmp_path, monkeypatch):
    """For what only files on disk can show."""
    return _use_store(app, monkeypatch, tmp_path, "filesystem")


@pytest.fixture
def database_store(app, tmp_path, monkeypatch):
    """For what only the database's chunks can show."""
    return _use_store(app, monkeypatch, tmp_path, "database")


@pytest.fixture
def worker(make_user):
    """A commune worker of Cẩm Phúc (10933), in district 295."""
    return make_user("worker")


@pytest.fixture
def case(worker):
    return make_case(worker)
