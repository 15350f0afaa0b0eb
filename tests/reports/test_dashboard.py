"""The board on supervisors', province officers' and inspectors' home pages; every figure links to its list."""
import re
from datetime import timedelta

import pytest

from app.cases import services
from app.deadlines.services import local_zone
from app.orm import utcnow
from app.reports.dashboard import board
from tests.factories import make_case


@pytest.fixture
def cases(make_user):
    worker = make_user("worker")
    assessed = make_case(worker)
    services.assess(assessed, worker, {"repeated_harm": True}, None, assessed.version)
    overdue = make_case(worker, received_at=utcnow() - timedelta(days=7))
    earlier = make_case(worker, received_at=utcnow() - timedelta(days=45))
    make_case(make_user("worker", unit="10507"))  # another district
    return {"assessed": assessed, "overdue": overdue, "earlier": earlier}


def test_open_cases_are_counted_by_status_and_risk_within_scope(make_user, cases):
    result = board(make_user("supervisor"), utcnow())
    assert result.open_by_status_and_risk == {("assessing", "medium"): 1, ("reported", ""): 2}
    assert result.open_total == 3 and result.status_total("reported") == 2 and result.risk_total("medium") == 1


def test_cases_with_an_overdue_deadline_are_counted(make_user, cases):
    assert board(make_user("supervisor"), utcnow()).overdue == 2  # the 20-hour-old and the 45-day-old reports


def test_new_cases_per_month_cover_the_last_twelve_months(make_user, cases):
    months = board(make_user("province_officer"), utcnow()).months
    assert len(months) == 12 and months[-1].first == utcnow().astimezone(local_zone()).date().replace(day=1)
    earlier = cases["earlier"].received_at.astimezone(local_zone()).date()
    assert sum(month.count for month in months) == 4
    assert next(month for month in months if month.first <= earlier <= month.last).count >= 1


@pytest.mark.parametrize("role", ["supervisor", "province_officer", "inspector"])
def test_the_board_is_on_the_home_page_with_its_chart(client, sign_in, make_user, cases, role):
    sign_in(make_user(role))
    page = client.get("/").text
    assert '<ol class="chart"' in page and "/cases/?status=assessing&amp;risk=medium" in page


def test_a_workers_home_page_has_no_board(client, sign_in, make_user, cases):
    sign_in(make_user("worker"))
    assert '<ol class="chart"' not in client.get("/").text


def test_the_overdue_figure_opens_the_list_of_those_cases(client, sign_in, make_user, cases):
    sign_in(make_user("supervisor"))
    link = re.search(r'href="(/cases/\?[^"]*overdue=y[^"]*)"', client.get("/").text).group(1).replace("&amp;", "&")
    listed = client.get(link).text
    assert cases["overdue"].reference in listed and cases["earlier"].reference in listed
    assert cases["assessed"].reference not in listed


def test_each_month_of_the_chart_opens_the_cases_reported_that_month(client, sign_in, make_user, cases):
    sign_in(make_user("supervisor"))
    first = cases["earlier"].received_at.astimezone(local_zone()).date().replace(day=1).isoformat()
    link = re.search(rf'href="(/cases/\?received_from={first}[^"]*)"', client.get("/").text).group(1)
    assert cases["earlier"].reference in client.get(link.replace("&amp;", "&")).text


def test_the_province_board_lists_the_records_of_16_and_17_year_olds_to_review(client, sign_in, make_user, cases):
    from tests.factories import case_kept_from_before

    older = case_kept_from_before(make_user("worker"), years=16)
    assert board(make_user("province_officer"), utcnow()).aged_16_or_over == 1
    sign_in(make_user("province_officer"))
    link = re.search(r'href="(/cases/\?aged_16_or_over=y)"', client.get("/").text).group(1)
    listed = client.get(link).text
    assert older.reference in listed and cases["assessed"].reference not in listed


def test_the_board_says_nothing_of_16_year_olds_where_there_are_none(client, sign_in, make_user, cases):
    sign_in(make_user("province_officer"))
    assert "aged_16_or_over" not in client.get("/").text
