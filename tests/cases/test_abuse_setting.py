"""Where the abuse happened (issue 18, point 4): asked at intake and when correcting the report; the ministry's
statistics on abused children count it (Circular 13/2021, indicator 0101)."""
import pytest
import sqlalchemy as sa

from app.cases import services
from app.cases.models import Case
from app.extensions import db
from tests.cases.test_pages import INTAKE
from tests.factories import make_case


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_intake_records_where_the_abuse_happened(client, worker):
    client.post("/cases/new", data={**INTAKE, "abuse_setting": "school"})
    case = db.session.scalar(sa.select(Case))
    assert case.abuse_setting == "school"
    assert "Ở trường học" in client.get(f"/cases/{case.reference}").text


def test_a_case_taken_without_the_setting_has_it_not_known(client, worker):
    client.post("/cases/new", data=INTAKE)
    assert db.session.scalar(sa.select(Case)).abuse_setting is None


def test_an_unknown_setting_is_refused_and_nothing_is_written(worker):
    with pytest.raises(services.Invalid) as refusal:
        make_case(worker, abuse_setting="market")
    assert "abuse_setting" in refusal.value.fields
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_correcting_the_report_sets_and_clears_the_setting(worker):
    case = make_case(worker)
    services.edit_case(case, worker, {"abuse_setting": "online"}, case.version)
    assert case.abuse_setting == "online"
    services.edit_case(case, worker, {"abuse_setting": ""}, case.version)
    assert case.abuse_setting is None
