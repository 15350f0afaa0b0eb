"""Reports and rounds sent before the 2025 reorganisation are still read by the province that succeeded."""
from datetime import date

from app.reporting import services
from tests.reporting.conftest import written


def sent_before_the_reorganisation(make_user, whole_worker):
    officer = make_user("province_officer", unit="30")
    round_ = services.create_round(officer, "half_year", date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 10),
                                   date(2025, 7, 20), "half")
    report = services.submit(whole_worker, services.own_report(whole_worker, round_), written())
    return round_.id, report.id


def test_the_new_province_s_officer_reads_the_old_province_s_rounds_and_sent_reports(
        successions, whole_worker, make_user):
    round_id, report_id = sent_before_the_reorganisation(make_user, whole_worker)
    services_reorganise()

    officer = make_user("province_officer", unit="31")
    assert services.get_round(officer, round_id) is not None
    assert services.get_report(officer, report_id) is not None


def test_the_new_province_s_inspector_reads_the_old_province_s_rounds_and_sent_reports(
        successions, whole_worker, make_user):
    round_id, report_id = sent_before_the_reorganisation(make_user, whole_worker)
    services_reorganise()

    inspector = make_user("inspector", unit="31")
    assert services.get_round(inspector, round_id) is not None
    assert services.get_report(inspector, report_id) is not None


def test_the_new_province_s_officer_repeats_an_old_round_for_the_new_province(successions, whole_worker, make_user):
    round_id, _report_id = sent_before_the_reorganisation(make_user, whole_worker)
    services_reorganise()

    officer = make_user("province_officer", unit="31")
    following = services.repeat_round(officer, services.get_round(officer, round_id))
    assert following.province.code == "31" and following.period_start == date(2025, 7, 1)
    assert services.own_report(officer, following) is not None


def services_reorganise():
    from app.reorganisation import services as reorganisation

    reorganisation.reorganise("2024", "2025", "30")

