import pytest

from tests.factories import make_case


@pytest.fixture
def worker(make_user):
    """A commune worker of Cẩm Phúc (10933), in district 295."""
    return make_user("worker")


@pytest.fixture
def case(worker):
    return make_case(worker)
