"""The plan's dates count (Decree 56/2017 arts. 29-31): an action past its date is overdue until done, on the case
and in "Việc chờ bạn"; the review (Mẫu 06) is due on the day the plan sets, by default 3 months after approval, and
escalates when missed."""
from datetime import date, timedelta

import pytest

from app.cases import services
from app.deadlines.services import local_zone
from app.escalations.services import sweep
from app.extensions import db
from app.notifications.services import notices_for
from app.orm import utcnow
from tests.factories import make_case, record_review


def today():
    return utcnow().astimezone(local_zone()).date()


def approved(worker, leader, actions, review_due_on=None):
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn", actions, case.version, review_due_on)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    return case


def action(description, due):
    return services.PlannedAction(description, "Cán bộ xã", due)


def test_the_review_is_due_3_months_after_approval_by_default_art_31(worker, leader):
    case = approved(worker, leader, [action("Thăm nhà", today() + timedelta(days=7))])
    due = services.months_after(today(), 3)
    assert case.current_plan.review_due_on == due
    assert case.deadline("review").due_at.astimezone(local_zone()).date() == due


def test_the_review_is_due_on_the_day_the_plan_sets_art_31(worker, leader):
    day = today() + timedelta(days=40)
    case = approved(worker, leader, [action("Thăm nhà", today() + timedelta(days=7))], review_due_on=day)
    assert case.deadline("review").due_at.astimezone(local_zone()).date() == day


def test_a_plan_s_review_day_comes_after_today(worker):
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    with pytest.raises(services.Invalid) as refusal:
        services.draft_plan(case, worker, "Trẻ an toàn", [action("Thăm nhà", today())], case.version, today())
    assert "review_due_on" in refusal.value.fields


def test_three_months_after_the_31st_is_the_last_day_of_a_shorter_month():
    assert services.months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert services.months_after(date(2026, 8, 31), 3) == date(2026, 11, 30)


def test_the_review_meets_its_deadline(worker, leader):
    case = approved(worker, leader, [action("Thăm nhà", today() + timedelta(days=7))])
    record_review(case, worker)
    assert case.deadline("review").met_at is not None


def test_a_missed_review_escalates_art_31(worker, leader):
    case = approved(worker, leader, [action("Thăm nhà", today() + timedelta(days=200))])
    case.deadline("review").due_at = utcnow() - timedelta(days=1)
    db.session.commit()
    sweep()
    assert [escalation.trigger.split(":")[1] for escalation in case.escalations] == ["review"]


def test_an_action_past_its_date_is_overdue_on_the_case_and_in_the_list_of_work_art_29(worker, leader):
    late = today() - timedelta(days=2)
    case = approved(worker, leader, [action("Đưa trẻ đi khám", late), action("Thăm nhà", today() + timedelta(10))])
    assert [a.description for a in services.overdue_actions(case, today())] == ["Đưa trẻ đi khám"]
    clock = case.deadline("plan_action")
    assert clock.met_at is None and clock.overdue(utcnow())
    assert case.reference in [deadline.case.reference for deadline in notices_for(worker, utcnow()).overdue]
    assert services.next_duty(case, worker).steps == ("complete_action",)


def test_an_action_done_moves_the_clock_to_the_next_and_the_last_meets_it_art_29(worker, leader):
    first, second = today() - timedelta(days=2), today() + timedelta(days=10)
    case = approved(worker, leader, [action("Đưa trẻ đi khám", first), action("Thăm nhà", second)])
    plan = case.current_plan
    services.complete_action(case, worker, plan.actions[0].id, today(), case.version)
    assert case.deadline("plan_action").due_at.astimezone(local_zone()).date() == second
    assert services.overdue_actions(case, today()) == []
    services.complete_action(case, worker, plan.actions[1].id, today(), case.version)
    assert case.deadline("plan_action").met_at is not None
    assert "complete_action" not in services.available_steps(case, worker)


def test_an_action_is_recorded_done_once_and_not_in_the_future(worker, leader):
    case = approved(worker, leader, [action("Thăm nhà", today() + timedelta(days=3))])
    action_id = case.current_plan.actions[0].id
    with pytest.raises(services.Invalid) as refusal:
        services.complete_action(case, worker, action_id, today() + timedelta(days=1), case.version)
    assert "done_on" in refusal.value.fields
    db.session.rollback()
    services.complete_action(case, worker, action_id, today(), case.version)
    with pytest.raises(services.Invalid) as refusal:
        services.complete_action(case, worker, action_id, today(), case.version)
    assert "action" in refusal.value.fields


def test_a_missed_action_escalates_art_29(worker, leader):
    case = approved(worker, leader, [action("Đưa trẻ đi khám", today() - timedelta(days=2))])
    sweep()
    assert [escalation.trigger.split(":")[1] for escalation in case.escalations] == ["plan_action"]


def test_the_case_page_marks_an_overdue_action(client, sign_in, worker, leader):
    case = approved(worker, leader, [action("Đưa trẻ đi khám", today() - timedelta(days=2))])
    sign_in(worker)
    client.post("/language", data={"locale": "en"})
    page = client.get(f"/cases/{case.reference}").text
    assert "Overdue: not done by its date." in page and "step-complete_action" in page
    response = client.post(f"/cases/{case.reference}/complete_action", data={
        "version": case.version, "action": case.current_plan.actions[0].id, "done_on": today().isoformat()})
    assert response.status_code == 302
    assert "Overdue: not done by its date." not in client.get(f"/cases/{case.reference}").text
