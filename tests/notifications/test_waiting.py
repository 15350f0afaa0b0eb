"""What waits for a person: the overdue first, then what is due soon; only what they may do; the badge agrees."""
import re
from datetime import date, timedelta

import pytest

from app.cases import services
from app.extensions import db
from app.notifications.services import SOON, count_for, notices_for
from app.orm import utcnow
from tests.factories import make_case, record_review

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))


@pytest.fixture
def worker(make_user):
    return make_user("worker")


def submitted(case, user):
    services.assess(case, user, {}, None, case.version)
    services.draft_plan(case, user, "Trẻ an toàn", [ACTION], case.version)
    services.submit_plan(case, user, case.version)
    return case


def test_overdue_deadlines_come_first_the_longest_overdue_first_then_those_due_soon(worker):
    now = utcnow()
    late = make_case(worker, received_at=now - timedelta(days=9))
    later = make_case(worker, received_at=now - timedelta(days=7))
    soon = make_case(worker, received_at=now - timedelta(hours=2))
    soon.deadline("initial_assessment").due_at = now + SOON / 2
    make_case(worker, received_at=now - timedelta(hours=1)).deadline("initial_assessment").due_at = now + SOON * 2
    db.session.commit()
    notices = notices_for(worker, now)
    assert [deadline.case for deadline in notices.overdue] == [late, later]
    assert [deadline.case for deadline in notices.due_soon] == [soon]


def test_the_badge_counts_overdue_deadlines(worker):
    make_case(worker, received_at=utcnow() - timedelta(days=7))
    assert count_for(worker, utcnow()) == 1


def test_the_home_page_lists_an_overdue_assessment_under_overdue(client, sign_in, worker):
    case = make_case(worker, received_at=utcnow() - timedelta(days=7))
    sign_in(worker)
    client.post("/language", data={"locale": "en"})
    page = client.get("/").text
    overdue = re.search(r'<h3 class="overdue">Overdue</h3>(.*?)</ul>', page, re.S).group(1)
    assert case.reference in overdue and "Initial assessment" in overdue


def test_a_plan_is_never_waiting_for_the_leader_who_drafted_it(make_user):
    drafter, other = make_user("commune_leader"), make_user("commune_leader")
    case = submitted(make_case(drafter), drafter)
    assert notices_for(drafter, utcnow()).approvals == []
    assert notices_for(other, utcnow()).approvals == [case]
    assert count_for(drafter, utcnow()) == 0 and count_for(other, utcnow()) == 1


def test_a_closure_proposed_waits_for_a_commune_leader(worker, make_user):
    leader = make_user("commune_leader")
    case = submitted(make_case(worker), worker)
    services.approve_plan(case, leader, case.version)
    record_review(case, worker)
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    assert notices_for(leader, utcnow()).approvals == [case]
    assert notices_for(worker, utcnow()).approvals == []
