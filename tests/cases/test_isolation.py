"""Temporary isolation (Decree 56/2017 art. 32, Mẫu 07): the worker proposes, a commune leader decides within the
12 hours of art. 26.3, 15 days at most unless a competent authority asks in writing; the leader may end it early."""
from datetime import date, timedelta

import pytest

from app.cases import queries, services
from app.escalations.services import sweep
from app.extensions import db
from app.orm import utcnow
from tests.factories import isolate, make_case


@pytest.fixture
def leader(make_user):
    return make_user("commune_leader", full_name="Trần Văn Chủ")


def proposal(first, last, **more):
    return services.IsolationProposal(reason="Cha đánh trẻ nhiều lần", place="Nhà bà ngoại",
                                      with_whom="Bà ngoại Trần Thị Mơ", first_day=first, last_day=last, **more)


def test_the_worker_proposes_where_with_whom_and_why_and_nothing_is_decided_yet_art_32(worker):
    case = make_case(worker, immediate_danger=True)
    today = utcnow().date()
    measure = services.propose_isolation(case, worker, proposal(today, today + timedelta(days=5)), case.version)
    assert (measure.isolation_status, measure.isolation_place, measure.isolation_with, measure.description) == (
        "proposed", "Nhà bà ngoại", "Bà ngoại Trần Thị Mơ", "Cha đánh trẻ nhiều lần")
    assert case.deadline("emergency_measures").met_at is None and case.deadline("isolation_end") is None
    assert case.ongoing_isolation is None


def test_an_isolation_proposed_for_a_report_without_danger_starts_the_12_hours_then_art_26_3(worker):
    case = make_case(worker, immediate_danger=False, received_at=utcnow() - timedelta(days=1))
    today = utcnow().date()
    proposed = utcnow()
    services.propose_isolation(case, worker, proposal(today, today + timedelta(days=5)), case.version)
    clock = case.deadline("emergency_measures")
    assert case.immediate_danger and clock.met_at is None
    assert proposed + timedelta(hours=12) <= clock.due_at <= utcnow() + timedelta(hours=12)


def test_a_proposal_needs_where_with_whom_why_and_its_days(worker):
    case = make_case(worker)
    with pytest.raises(services.Invalid) as refusal:
        services.propose_isolation(case, worker, services.IsolationProposal(), case.version)
    assert set(refusal.value.fields) >= {"reason", "place", "with_whom", "last_day"}


def test_only_a_commune_leader_decides_an_isolation_art_32(worker):
    case = make_case(worker, immediate_danger=True)
    today = utcnow().date()
    services.propose_isolation(case, worker, proposal(today, today + timedelta(days=5)), case.version)
    with pytest.raises(services.RoleNotAllowed):
        services.decide_isolation(case, worker, case.version)


def test_the_leader_s_decision_names_them_answers_the_12_hours_and_sets_the_end_deadline_art_26_3_and_32(
        worker, leader):
    case = make_case(worker, immediate_danger=True)
    today = utcnow().date()
    measure = isolate(case, worker, leader, today, today + timedelta(days=5))
    assert (measure.isolation_status, measure.decided_by_id, measure.decided_by) == ("decided", leader.id,
                                                                                      "Trần Văn Chủ")
    assert case.deadline("emergency_measures").met_at == measure.decided_at
    assert case.deadline("isolation_end").due_at.date() == today + timedelta(days=5)
    assert case.ongoing_isolation is measure


def test_a_declined_proposal_says_why_and_leaves_the_12_hours_running(worker, leader):
    case = make_case(worker, immediate_danger=True)
    today = utcnow().date()
    services.propose_isolation(case, worker, proposal(today, today + timedelta(days=5)), case.version)
    with pytest.raises(services.Invalid):
        services.decline_isolation(case, leader, " ", case.version)
    db.session.rollback()
    measure = services.decline_isolation(case, leader, "Mẹ đã đưa trẻ đi nơi an toàn", case.version)
    assert (measure.isolation_status, measure.decision_note) == ("declined", "Mẹ đã đưa trẻ đi nơi an toàn")
    assert case.deadline("emergency_measures").met_at is None and case.ongoing_isolation is None


def test_one_proposal_waits_at_a_time(worker):
    case = make_case(worker)
    today = utcnow().date()
    services.propose_isolation(case, worker, proposal(today, today + timedelta(days=5)), case.version)
    with pytest.raises(services.WrongState):
        services.propose_isolation(case, worker, proposal(today, today + timedelta(days=3)), case.version)


def test_a_temporary_isolation_lasts_15_days_at_most_art_32(worker):
    case = make_case(worker, immediate_danger=True)
    with pytest.raises(services.Invalid) as refusal:
        services.propose_isolation(case, worker, proposal(date(2026, 1, 1), date(2026, 1, 16)), case.version)
    assert {"last_day", "extension_authority", "extension_number", "extension_date"} <= set(refusal.value.fields)
    db.session.rollback()
    services.propose_isolation(case, worker, proposal(date(2026, 1, 1), date(2026, 1, 15)), case.version)


def test_longer_than_15_days_only_at_a_competent_authority_s_written_request_recorded_with_number_and_date_art_32(
        worker, leader):
    case = make_case(worker, immediate_danger=True)
    measure = isolate(case, worker, leader, date(2026, 1, 1), date(2026, 1, 25),
                      extension_authority="Công an huyện Cẩm Giàng", extension_number="123/CV-CA",
                      extension_date=date(2025, 12, 31))
    assert (measure.extension_authority, measure.extension_number, measure.extension_date) == (
        "Công an huyện Cẩm Giàng", "123/CV-CA", date(2025, 12, 31))
    assert case.deadline("isolation_end").due_at.date() == date(2026, 1, 25)


def test_extensions_of_an_isolation_count_towards_its_15_days(worker, leader):
    case = make_case(worker, immediate_danger=True)
    isolate(case, worker, leader, date(2026, 1, 1), date(2026, 1, 10))
    isolate(case, worker, leader, date(2026, 1, 11), date(2026, 1, 15))
    with pytest.raises(services.Invalid) as refusal:
        services.propose_isolation(case, worker, proposal(date(2026, 1, 16), date(2026, 1, 16)), case.version)
    assert "last_day" in refusal.value.fields
    db.session.rollback()
    assert case.deadline("isolation_end").due_at.date() == date(2026, 1, 15)


def test_a_later_isolation_after_a_gap_has_its_own_15_days(worker, leader):
    case = make_case(worker, immediate_danger=True)
    isolate(case, worker, leader, date(2026, 1, 1), date(2026, 1, 15))
    isolate(case, worker, leader, date(2026, 3, 1), date(2026, 3, 15))
    assert case.deadline("isolation_end").due_at.date() == date(2026, 3, 15)


def test_the_leader_may_end_an_isolation_early_art_32(worker, leader):
    case = make_case(worker, immediate_danger=True)
    first = utcnow().date() - timedelta(days=3)
    isolate(case, worker, leader, first, first + timedelta(days=14))
    with pytest.raises(services.NotAllowed):
        services.end_isolation(case, worker, first + timedelta(days=2), "Trẻ về nhà với mẹ", case.version)
    db.session.rollback()
    assert "end_isolation" not in services.available_steps(case, worker)
    measure = services.end_isolation(case, leader, first + timedelta(days=2), "Trẻ về nhà với mẹ", case.version)
    assert (measure.isolation_ended_on, measure.ended_by_id) == (first + timedelta(days=2), leader.id)
    assert case.deadline("isolation_end").met_at is not None and case.ongoing_isolation is None


def test_at_its_last_day_the_worker_records_the_end_and_meets_its_deadline(worker, leader):
    case = make_case(worker, immediate_danger=True)
    first = utcnow().date() - timedelta(days=20)
    isolate(case, worker, leader, first, first + timedelta(days=14))
    services.end_isolation(case, worker, first + timedelta(days=14), "Trẻ về nhà với mẹ", case.version)
    assert case.deadline("isolation_end").met_at is not None and case.ongoing_isolation is None
    overdue = queries.filtered(worker, queries.CaseFilter(overdue=True), utcnow())
    assert db.session.execute(overdue).all() == []


@pytest.mark.parametrize("days_after_first", [-1, 30])
def test_an_isolation_ends_between_its_first_day_and_today(worker, leader, days_after_first):
    case = make_case(worker, immediate_danger=True)
    first = utcnow().date() - timedelta(days=5)
    isolate(case, worker, leader, first, first + timedelta(days=14))
    with pytest.raises(services.Invalid) as refusal:
        services.end_isolation(case, leader, first + timedelta(days=days_after_first), "Về nhà", case.version)
    assert "ended_on" in refusal.value.fields


def test_an_isolation_extended_in_advance_can_end_before_the_extension_starts(worker, leader):
    case = make_case(worker, immediate_danger=True)
    today = utcnow().date()
    isolate(case, worker, leader, today - timedelta(days=5), today + timedelta(days=2))
    isolate(case, worker, leader, today + timedelta(days=3), today + timedelta(days=9))
    services.end_isolation(case, leader, today, "Trẻ về nhà với mẹ", case.version)
    assert case.deadline("isolation_end").met_at is not None


def test_without_an_isolation_under_way_there_is_none_to_end(worker):
    case = make_case(worker)
    with pytest.raises(services.WrongState):
        services.end_isolation(case, worker, utcnow().date(), "Về nhà", case.version)


def test_a_missed_end_of_isolation_escalates_art_32(worker, leader):
    case = make_case(worker, immediate_danger=True)
    first = utcnow().date() - timedelta(days=20)
    isolate(case, worker, leader, first, first + timedelta(days=14))
    services.assess(case, worker, {}, None, case.version)
    raised = sweep().raised
    assert [escalation.trigger.split(":")[1] for escalation in case.escalations] == ["isolation_end"]
    assert len(raised) == 1


def test_to_approve_lists_isolation_proposals_beside_plans_and_closures(worker, leader):
    case = make_case(worker, immediate_danger=True)
    today = utcnow().date()
    services.propose_isolation(case, worker, proposal(today, today + timedelta(days=5)), case.version)
    assert [row.reference for row in queries.awaiting_approval(leader, utcnow())] == [case.reference]
    assert queries.awaiting_approval(worker, utcnow()) == []
    assert services.next_duty(case, leader).steps == ("decide_isolation", "decline_isolation")
    services.decide_isolation(case, leader, case.version)
    assert queries.awaiting_approval(leader, utcnow()) == []
