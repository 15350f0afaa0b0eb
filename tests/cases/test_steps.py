"""The statutory steps of a case and their deadlines."""
import re
import threading
from datetime import date, timedelta

import pytest

from app.cases import services
from app.cases.models import Case
from app.deadlines.services import add_working_days
from app.extensions import db
from app.orm import utcnow
from tests.factories import make_case, record_review, unit

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))


def planned(case, worker):
    services.assess(case, worker, {"repeated_harm": True}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn tại nhà", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    return case


def test_intake_creates_a_reported_case_with_a_reference_without_the_childs_name(worker):
    case = make_case(worker)
    assert case.status == "reported"
    assert re.fullmatch(r"HD-10933-\d{4}-0001", case.reference)
    assert "An" not in case.reference


def test_references_count_up_within_a_unit_and_year(worker):
    first, second = make_case(worker), make_case(worker)
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


def test_intake_starts_the_initial_assessment_clock(worker):
    case = make_case(worker)
    assert case.deadline("initial_assessment").due_at == add_working_days(case.received_at, 2)
    assert case.deadline("emergency_measures") is None


def test_a_child_in_danger_gets_an_emergency_deadline_of_12_hours(worker):
    case = make_case(worker, immediate_danger=True)
    assert case.deadline("emergency_measures").due_at == case.received_at + timedelta(hours=12)


def test_intake_refuses_bad_input_and_creates_nothing(worker):
    with pytest.raises(services.Invalid) as refusal:
        make_case(worker, categories=[], source="rumour", description=" ")
    assert set(refusal.value.fields) >= {"categories", "source", "description"}
    db.session.rollback()
    assert db.session.query(Case).count() == 0


def test_a_worker_opens_cases_only_in_their_own_commune(worker):
    with pytest.raises(services.Invalid):
        make_case(worker, unit=unit("10966"))


def test_the_checklist_gives_the_risk_and_starts_the_plan_clock(worker):
    case = make_case(worker)
    services.assess(case, worker, {"life_in_danger": True}, "Trẻ bị thương", case.version)
    assert (case.status, case.risk_level) == ("assessing", "high")
    assert case.deadline("initial_assessment").met_at is not None
    assert case.deadline("plan_draft").due_at < case.deadline("plan_approval").due_at


@pytest.mark.parametrize("answers, risk", [({}, "low"), ({"neglect_signs": True}, "low"),
                                           ({"repeated_harm": True}, "medium"),
                                           ({"repeated_harm": True, "no_safe_adult": True}, "high"),
                                           ({"sexual_abuse": True}, "high")])
def test_the_risk_rule(worker, answers, risk):
    case = make_case(worker)
    assert services.assess(case, worker, answers, None, case.version).risk_level == risk


def test_danger_found_after_a_reopening_runs_12_hours_from_the_reopening(worker, leader):
    case = make_case(worker, immediate_danger=True, received_at=utcnow() - timedelta(days=60))
    services.record_emergency(case, worker, services.Emergency(description="Đưa trẻ đến trạm y tế",
                                                               taken_at=utcnow() - timedelta(days=59)), case.version)
    closed(case, worker, leader)
    services.reopen(case, worker, "Trẻ lại bị đánh", case.version)
    services.assess(case, worker, {"life_in_danger": True}, None, case.version)
    clock = case.deadline("emergency_measures")
    assert clock.met_at is None and clock.due_at > utcnow() + timedelta(hours=11)


def test_measures_taken_before_the_danger_was_found_answer_the_emergency_clock(worker):
    case = make_case(worker, immediate_danger=False)
    services.record_emergency(case, worker, services.Emergency(description="Đưa trẻ đến trạm y tế",
                                                               taken_at=utcnow()), case.version)
    services.assess(case, worker, {"life_in_danger": True}, None, case.version)
    assert case.deadline("emergency_measures").met_at is not None


def test_the_drafter_can_never_approve_their_own_plan(make_user):
    leader = make_user("commune_leader")
    case = make_case(leader)
    services.assess(case, leader, {}, None, case.version)
    services.draft_plan(case, leader, "Mục tiêu", [ACTION], case.version)
    services.submit_plan(case, leader, case.version)
    with pytest.raises(services.NotAllowed):
        services.approve_plan(case, leader, case.version)


def test_a_leader_who_wrote_any_version_of_the_plan_cannot_approve_it(worker, leader):
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, leader, "Mục tiêu của lãnh đạo", [ACTION], case.version)
    services.draft_plan(case, worker, "Mục tiêu của lãnh đạo", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    with pytest.raises(services.NotAllowed):
        services.approve_plan(case, leader, case.version)


def test_a_leader_approves_a_workers_plan_and_the_plan_is_carried_out(worker, leader):
    case = planned(make_case(worker), worker)
    services.approve_plan(case, leader, case.version)
    assert case.status == "in_progress" and case.current_plan.decided_by_id == leader.id
    assert case.deadline("plan_draft").met_at and case.deadline("plan_approval").met_at


def test_returning_a_plan_needs_a_reason_and_the_worker_can_resubmit(worker, leader):
    case = planned(make_case(worker), worker)
    with pytest.raises(services.Invalid):
        services.return_plan(case, leader, " ", case.version)
    db.session.rollback()
    services.return_plan(case, leader, "Thêm hoạt động về học tập", case.version)
    assert case.current_plan.status == "returned"
    services.draft_plan(case, worker, "Mục tiêu mới", [ACTION, ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    assert case.current_plan.status == "submitted" and len(case.current_plan.actions) == 2


def test_follow_up_review_and_closure_approved_by_a_leader(worker, leader):
    case = planned(make_case(worker), worker)
    services.approve_plan(case, leader, case.version)
    services.log(case, worker, "visit", utcnow(), "Thăm nhà, trẻ đi học đều")
    record_review(case, worker)
    assert case.status == "monitoring"
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    services.approve_closure(case, leader, case.version)
    assert case.status == "closed" and case.closed_at is not None


def test_closing_for_another_reason_needs_a_note(worker):
    case = make_case(worker)
    case.status = "monitoring"
    db.session.commit()
    with pytest.raises(services.Invalid):
        services.propose_closure(case, worker, "other", "", case.version)


def test_reopening_needs_a_reason_and_restarts_the_assessment(worker):
    case = make_case(worker)
    case.status = "closed"
    db.session.commit()
    services.reopen(case, worker, "Trẻ lại bị đánh", case.version)
    assert case.status == "assessing" and case.deadline("initial_assessment").met_at is None
    assert "Trẻ lại bị đánh" in case.timeline[0].text


def closed(case, worker, leader):
    services.approve_plan(planned(case, worker), leader, case.version)
    record_review(case, worker)
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    services.approve_closure(case, leader, case.version)
    return case


def test_the_assessment_after_a_reopening_starts_a_new_plan_clock(worker, leader):
    case = closed(make_case(worker), worker, leader)
    services.reopen(case, worker, "Trẻ lại bị đánh", case.version)
    services.assess(case, worker, {"repeated_harm": True}, None, case.version)
    assert case.deadline("plan_draft").met_at is None and case.deadline("plan_approval").met_at is None
    assert case.deadline("plan_draft").due_at > utcnow()


def test_a_new_plan_voids_an_earlier_closure_proposal(worker, leader):
    case = planned(make_case(worker), worker)
    services.approve_plan(case, leader, case.version)
    record_review(case, worker)
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    services.new_plan(case, worker, "Trẻ lại gặp nguy hiểm", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    assert case.closure_reason is None
    with pytest.raises(services.WrongState):
        services.approve_closure(case, leader, case.version)


def test_a_save_on_a_stale_version_is_refused_and_says_what_changed(worker, leader):
    case = make_case(worker)
    seen = case.version
    services.edit_case(case, leader, {"place": "Trường học"}, seen)
    with pytest.raises(services.StaleVersion) as refusal:
        services.edit_case(case, worker, {"description": "Sửa lại"}, seen)
    assert [change["fields"] for change in refusal.value.changes] == [["place"]]
    db.session.rollback()
    assert case.description != "Sửa lại"


def test_editing_checks_the_fields(worker):
    case = make_case(worker)
    with pytest.raises(services.Invalid) as refusal:
        services.edit_case(case, worker, {"status": "closed", "categories": ["gossip"]}, case.version)
    assert {"status"} <= set(refusal.value.fields)


@pytest.mark.postgresql_only
def test_two_sessions_saving_the_same_version_at_once_exactly_one_wins(app, worker, leader):
    case = make_case(worker)
    reference, seen = case.reference, case.version
    outcomes = []
    start = threading.Barrier(2)

    def save(user_id, place):
        with app.app_context():
            from app.users.models import User
            user = db.session.get(User, user_id)
            target = db.session.query(Case).filter_by(reference=reference).one()
            start.wait()
            try:
                services.edit_case(target, user, {"place": place}, seen)
                outcomes.append("saved")
            except services.StaleVersion:
                outcomes.append("stale")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(user.id, place))
               for user, place in ((worker, "Chợ"), (leader, "Trường"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
