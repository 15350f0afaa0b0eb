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


@pytest.fixture(params=["filesystem", "database"])
def store(request, app, tmp_path):
    """Each test that asks for the store runs once with each."""
    kept = app.config["ATTACHMENT_STORE"], app.config["ATTACHMENT_DIR"]
    app.config["ATTACHMENT_STORE"], app.config["ATTACHMENT_DIR"] = request.param, str(tmp_path / "attachments")
    yield request.param
    app.config["ATTACHMENT_STORE"], app.config["ATTACHMENT_DIR"] = kept


@pytest.fixture
def worker(make_user):
    """A commune worker of Cẩm Phúc (10933), in district 295."""
    return make_user("worker")


@pytest.fixture
def case(worker):
    return make_case(worker)
