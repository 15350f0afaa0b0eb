from datetime import timedelta

import pytest

from app.deadlines.services import local_zone
from app.orm import utcnow
from app.reporting import services
from app.reporting.models import SECTIONS


def today():
    return utcnow().astimezone(local_zone()).date()


def written(kind="half_year", **overrides):
    """Every section of a report of `kind`, written."""
    return {key: f"Nội dung {key}." for key in SECTIONS[kind]} | overrides


@pytest.fixture
def officer(make_user):
    return make_user("province_officer")


@pytest.fixture
def make_round(officer):
    """A round of the current period; communes due in `due_in` days, consolidated reports a week later."""
    def make(kind="half_year", due_in=10, recurrence="half", by=None):
        day = today()
        return services.create_round(by or officer, kind, day - timedelta(days=60), day, day + timedelta(days=due_in),
                                     day + timedelta(days=due_in + 7), recurrence)
    return make
