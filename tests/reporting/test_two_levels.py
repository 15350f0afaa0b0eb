"""Reporting in the 2025 list, without districts: a commune's report goes straight to the province, whose
supervisor reviews it and whose officer consolidates."""
from datetime import timedelta

import pytest

from app.cases.services import NotAllowed
from app.reporting import services
from tests.factories import load_two_levels, make_case, make_user, unit
from tests.reporting.conftest import today, written


@pytest.fixture
def province(app, monkeypatch):
    load_two_levels()
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    return unit("31", "2025")


@pytest.fixture
def round_(province):
    officer = make_user("province_officer", unit="31")
    day = today()
    return services.create_round(officer, "year", day - timedelta(days=30), day, day + timedelta(days=5),
                                 day + timedelta(days=10), "year")


def report_of(round_, code):
    return next(report for report in services.parts_of(services.own_report(make_user("province_officer",
                                                                                         unit="31"), round_))
                if report.unit.code == code)


def test_the_2025_round_has_the_communes_and_the_province(round_):
    officer = make_user("province_officer", unit="31")
    province_report = services.own_report(officer, round_)
    assert sorted(part.unit.code for part in services.parts_of(province_report)) == ["10933", "10966"]
    assert services.consolidates(province_report)


def test_the_province_s_supervisor_reviews_a_commune_s_report(round_):
    worker = make_user("worker", unit="10933")
    make_case(worker)
    report = services.own_report(worker, round_)
    services.submit(worker, report, written("year"))
    supervisor = make_user("supervisor", unit="31")
    services.accept(supervisor, report)
    assert report.status == "accepted" and report.reviewed_by_id == supervisor.id


def test_another_commune_does_not_review_it(round_):
    worker = make_user("worker", unit="10933")
    report = services.own_report(worker, round_)
    services.submit(worker, report, written("year"))
    with pytest.raises(NotAllowed):
        services.accept(make_user("commune_leader", unit="10966"), report)


def test_the_province_consolidates_its_communes_directly(round_):
    supervisor = make_user("supervisor", unit="31")
    totals = 0
    for code, cases in (("10933", 2), ("10966", 1)):
        worker = make_user("worker", unit=code)
        for _number in range(cases):
            make_case(worker)
        report = services.own_report(worker, round_)
        services.submit(worker, report, written("year"))
        services.accept(supervisor, report)
        totals += cases
    officer = make_user("province_officer", unit="31")
    consolidated = services.submit(officer, services.own_report(officer, round_), written("year"))
    table = next(table for table in consolidated.figures["groups"][0]["tables"] if table["key"] == "new_by_sex")
    assert table["total"]["values"] == [totals]
    assert [part["code"] for part in consolidated.parts] == ["10933", "10966"]
