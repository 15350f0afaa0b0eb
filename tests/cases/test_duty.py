"""What the case page offers (available_steps), what it puts first (next_duty), and who may approve a plan."""
from datetime import date, timedelta

import pytest

from app.access import scoped_cases
from app.cases import services
from app.cases.models import Case
from app.extensions import db
from app.orm import utcnow
from tests.factories import GOOD_REVIEW, isolate, make_case, record_review

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))
PROPOSAL = services.IsolationProposal("Cha đánh trẻ", "Nhà bà ngoại", "Bà ngoại", date.today(),
                                      date.today() + timedelta(days=5))


def assessed(case, user):
    services.assess(case, user, {"repeated_harm": True}, None, case.version)
    return case


def drafted(case, user):
    assessed(case, user)
    services.draft_plan(case, user, "Trẻ an toàn tại nhà", [ACTION], case.version)
    return case


def submitted(case, user):
    drafted(case, user)
    services.submit_plan(case, user, case.version)
    return case


def approved(case, user, leader):
    submitted(case, user)
    services.approve_plan(case, leader, case.version)
    return case


def test_a_child_in_danger_has_the_emergency_measures_first(worker):
    case = make_case(worker, immediate_danger=True)
    duty = services.next_duty(case, worker)
    assert (duty.deadline.name, duty.steps) == ("emergency_measures", ("emergency", "propose_isolation"))


def test_after_the_emergency_measures_the_initial_assessment_comes_next(worker):
    case = make_case(worker, immediate_danger=True)
    services.record_emergency(case, worker, services.Emergency("Đưa trẻ đến nhà bà ngoại", utcnow()), case.version)
    duty = services.next_duty(case, worker)
    assert (duty.deadline.name, duty.steps) == ("initial_assessment", ("assess",))


def test_after_the_assessment_the_plan_is_to_be_drafted(worker):
    duty = services.next_duty(assessed(make_case(worker), worker), worker)
    assert (duty.deadline.name, duty.steps) == ("plan_draft", ("draft_plan",))


def test_a_draft_plan_is_to_be_submitted_or_changed(worker):
    duty = services.next_duty(drafted(make_case(worker), worker), worker)
    assert (duty.deadline.name, duty.steps) == ("plan_draft", ("submit_plan", "draft_plan"))


def test_a_submitted_plan_waits_for_a_leader_and_the_leader_decides(worker, leader):
    case = submitted(make_case(worker), worker)
    waiting = services.next_duty(case, worker)
    assert waiting.steps == () and waiting.deadline.name == "plan_approval" and "không tham gia soạn" in waiting.waiting
    deciding = services.next_duty(case, leader)
    assert (deciding.deadline.name, deciding.steps) == ("plan_approval", ("approve_plan", "return_plan"))


def test_a_returned_plan_is_to_be_submitted_again(worker, leader):
    case = submitted(make_case(worker), worker)
    services.return_plan(case, leader, "Thiếu hoạt động hỗ trợ tâm lý.", case.version)
    assert services.next_duty(case, worker).steps == ("submit_plan", "draft_plan")


def test_the_leader_who_drafted_the_plan_only_waits(leader, make_user):
    case = submitted(make_case(leader), leader)
    duty = services.next_duty(case, leader)
    assert duty.steps == () and "không tham gia soạn" in duty.waiting
    assert services.next_duty(case, make_user("commune_leader")).steps == ("approve_plan", "return_plan")


def test_a_plan_under_way_is_followed_by_a_review_on_its_day(worker, leader):
    case = approved(make_case(worker), worker, leader)
    duty = services.next_duty(case, worker)
    assert (duty.deadline.name, duty.steps) == ("review", ("review",))


def test_with_the_review_done_and_the_actions_recorded_the_follow_up_is_offered(worker, leader):
    case = followed_up(approved(make_case(worker), worker, leader), worker)
    duty = services.next_duty(case, worker)
    assert (duty.deadline, duty.steps) == (None, ("review", "propose_closure"))


def followed_up(case, worker):
    record_review(case, worker)
    services.complete_action(case, worker, case.current_plan.actions[0].id, date.today(), case.version)
    return case


def test_a_proposed_closure_waits_for_a_leader_s_decision(worker, leader):
    case = followed_up(approved(make_case(worker), worker, leader), worker)
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    assert services.next_duty(case, worker).steps == ()
    assert services.next_duty(case, leader).steps == ("approve_closure",)


def test_a_closed_case_has_no_duty(worker, leader):
    case = approved(make_case(worker), worker, leader)
    record_review(case, worker)
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    services.approve_closure(case, leader, case.version)
    assert services.next_duty(case, worker) is None


def test_a_duty_the_person_can_answer_comes_before_one_they_can_only_wait_for(worker, leader):
    case = submitted(make_case(worker), worker)
    isolate(case, worker, leader, date.today() - timedelta(days=10), date.today())
    case.deadline("isolation_end").due_at = case.deadline("plan_approval").due_at + timedelta(days=1)
    db.session.commit()
    assert services.next_duty(case, worker).steps == ("end_isolation",)


def test_a_supervisor_is_told_who_acts(worker, make_user):
    duty = services.next_duty(make_case(worker), make_user("supervisor"))
    assert duty.steps == () and "Xã Cẩm Phúc" in duty.waiting


# The page offers a step only when its service would take it.

STATES = ("reported", "isolation_proposed", "isolated", "assessing", "drafted", "submitted", "returned",
          "in_progress", "monitoring", "closure_proposed", "closed")
# The steps whose service asks more than the state machine's table (status and role), whatever is typed.
CONDITIONAL = ("draft_plan", "submit_plan", "approve_plan", "return_plan", "propose_isolation", "decide_isolation",
               "decline_isolation", "end_isolation", "complete_action", "approve_closure")


def case_in(state, worker, leader) -> Case:
    """A case of `worker`'s commune at `state`; its plans are written by `worker` and decided by `leader`."""
    case = make_case(worker)
    if state == "isolated":
        isolate(case, worker, leader, date.today() - timedelta(days=5), date.today() + timedelta(days=5))
    if state == "isolation_proposed":
        services.propose_isolation(case, worker, PROPOSAL, case.version)
    if state in ("reported", "isolated", "isolation_proposed"):
        return case
    assessed(case, worker)
    if state != "assessing":
        services.draft_plan(case, worker, "Trẻ an toàn", [ACTION], case.version)
    if state not in ("assessing", "drafted"):
        services.submit_plan(case, worker, case.version)
    if state == "returned":
        services.return_plan(case, leader, "Thiếu hoạt động.", case.version)
    if state in ("in_progress", "monitoring", "closure_proposed", "closed"):
        services.approve_plan(case, leader, case.version)
    if state in ("monitoring", "closure_proposed", "closed"):
        record_review(case, worker)
    if state in ("closure_proposed", "closed"):
        services.propose_closure(case, worker, "safe_stable", None, case.version)
    if state == "closed":
        services.approve_closure(case, leader, case.version)
    return case


def take(case, user, step):
    """The step with what its form would send, on the version the page showed."""
    now, version = utcnow(), case.version
    calls = {
        "edit": lambda: services.edit_case(case, user, {"place": "Chợ"}, version),
        "assess": lambda: services.assess(case, user, {"repeated_harm": True}, None, version),
        "emergency": lambda: services.record_emergency(case, user, services.Emergency("Đưa trẻ đi khám", now),
                                                       version),
        "end_isolation": lambda: services.end_isolation(case, user, date.today(), "Trẻ về nhà", version),
        "propose_isolation": lambda: services.propose_isolation(case, user, PROPOSAL, version),
        "decide_isolation": lambda: services.decide_isolation(case, user, version),
        "complete_action": lambda: services.complete_action(
            case, user, case.current_plan.actions[0].id if case.current_plan else None, date.today(), version),
        "decline_isolation": lambda: services.decline_isolation(case, user, "Trẻ đã an toàn", version),
        "detail": lambda: services.record_detailed_assessment(case, user, "Họp trường hợp", None, version),
        "draft_plan": lambda: services.draft_plan(case, user, "Trẻ an toàn", [ACTION], version),
        "new_plan": lambda: services.new_plan(case, user, "Trẻ an toàn", [ACTION], version),
        "submit_plan": lambda: services.submit_plan(case, user, version),
        "approve_plan": lambda: services.approve_plan(case, user, version),
        "return_plan": lambda: services.return_plan(case, user, "Thiếu hoạt động.", version),
        "log": lambda: services.log(case, user, "note", now, "Ghi chú"),
        "review": lambda: services.review(case, user, GOOD_REVIEW, None, version),
        # A reason that needs no review, so that the step is taken whether or not one was recorded.
        "propose_closure": lambda: services.propose_closure(case, user, "moved_away", "Chuyển đến xã khác.", version),
        "approve_closure": lambda: services.approve_closure(case, user, version),
        "reopen": lambda: services.reopen(case, user, "Trẻ lại bị đánh", version),
    }
    calls[step]()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ("worker", "commune_leader"))
def test_every_step_offered_is_taken_and_every_conditional_step_withheld_is_refused(make_user, state, role):
    worker, leader = make_user("worker"), make_user("commune_leader")
    user = worker if role == "worker" else leader
    case = case_in(state, worker, leader)
    offered = services.available_steps(case, user)
    for step in CONDITIONAL:
        if step not in offered:
            with pytest.raises(services.CaseRefused):
                take(case, user, step)
            db.session.rollback()
    for number, step in enumerate(offered):
        take(case if number == 0 else case_in(state, worker, leader), user, step)


def test_the_drafter_may_not_approve_and_the_lists_say_the_same(make_user):
    """may_approve_plan and plan_approvable_by are one rule: checked on every kind of case and person."""
    worker, leader, other = make_user("worker"), make_user("commune_leader"), make_user("commune_leader")
    cases = [case_in(state, worker, leader) for state in STATES]
    cases.append(submitted(make_case(leader), leader))
    for user in (worker, leader, other, make_user("supervisor")):
        listed = set(db.session.scalars(scoped_cases(user).where(services.plan_approvable_by(user))
                                        .with_only_columns(Case.id)))
        assert {case.id for case in cases if services.may_approve_plan(case, user)} == listed, user.role
    assert not services.may_approve_plan(cases[-1], leader) and services.may_approve_plan(cases[-1], other)
