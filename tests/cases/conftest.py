"""The people most case tests act as: a commune worker and a commune leader of Xã Cẩm Phúc."""
import pytest


@pytest.fixture
def worker(make_user):
    return make_user("worker")


@pytest.fixture
def leader(make_user):
    return make_user("commune_leader")
