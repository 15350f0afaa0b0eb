"""The law's clocks (issue 15): 12 hours only for a child in danger (Decree 56/2017 art. 26.3), the initial
assessment by the province's service standard (art. 26.2 sets no limit)."""
from datetime import timedelta

import pytest

from app.cases import services
from app.deadlines.services import add_working_days, set_initial_assessment_standard
from app.escalations.services import sweep
from app.extensions import db
from app.orm import utcnow
from tests.factories import make_case, unit


def test_a_report_without_danger_has_no_12_hour_clock_art_26_3(worker):
    case = make_case(worker, immediate_danger=False)
    assert case.deadline("emergency_measures") is None
    assert case.deadline("initial_assessment").due_at > case.received_at + timedelta(hours=12)


def test_a_child_in_danger_gets_emergency_measures_within_12_hours_of_the_report_art_26_3(worker):
    case = make_case(worker, immediate_danger=True)
    assert case.deadline("emergency_measures").due_at == case.received_at + timedelta(hours=12)


def test_the_initial_assessment_is_due_by_the_default_service_standard_of_2_working_days(worker):
    case = make_case(worker)
    assert case.deadline("initial_assessment").due_at == add_working_days(case.received_at, 2)


def test_the_initial_assessment_is_due_by_the_service_standard_the_province_sets(worker):
    set_initial_assessment_standard(unit("30"), 4)
    case = make_case(worker)
    assert case.deadline("initial_assessment").due_at == add_working_days(case.received_at, 4)


def test_a_service_standard_is_a_whole_number_of_working_days_from_1_to_20(app, units):
    from app.deadlines.services import StandardRejected

    for days in (0, 21, None):
        with pytest.raises(StandardRejected):
            set_initial_assessment_standard(unit("30"), days)


def test_danger_found_at_the_initial_assessment_starts_12_hours_from_that_moment_art_26_3(worker):
    case = make_case(worker, received_at=utcnow() - timedelta(days=1))
    found = utcnow()
    services.assess(case, worker, {"life_in_danger": True}, None, case.version)
    clock = case.deadline("emergency_measures")
    assert clock.met_at is None and found + timedelta(hours=12) <= clock.due_at <= utcnow() + timedelta(hours=12)


def test_a_missed_service_standard_escalates_named_as_a_local_standard(app, worker):
    from flask_babel import force_locale

    case = make_case(worker, received_at=utcnow() - timedelta(days=7))
    assert len(sweep().raised) == 1
    with app.test_request_context(), force_locale("en"):
        assert case.escalations[0].explanation == (f"Deadline missed: Initial assessment (local standard) "
                                      f"(case {case.reference}).")


def test_reopening_gives_the_new_assessment_the_service_standard(worker, make_user):
    leader = make_user("commune_leader")
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Mục tiêu", [services.PlannedAction("Thăm nhà", "Cán bộ xã",
                                                                           utcnow().date())], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    services.propose_closure(case, worker, "moved_away", "Chuyển đến xã Hòa Bình; đã bàn giao hồ sơ.", case.version)
    services.approve_closure(case, leader, case.version)
    services.reopen(case, worker, "Tái diễn", case.version)
    db.session.refresh(case)
    assert case.deadline("initial_assessment").due_at == add_working_days(case.episode_started_at, 2)
