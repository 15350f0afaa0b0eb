"""Reviews of registered children are deadlines like a case's (issue 18, point 5): due and overdue ones wait for the
commune's workers and leaders in "Việc chờ bạn"; those a month overdue, once the deadline sweep raised them, the
district supervisor too (tests/register/test_review_escalations.py)."""
from datetime import timedelta

import pytest

from app.deadlines.services import local_zone
from app.extensions import db
from app.notifications.services import REVIEW_NOTICE, REVIEW_RAISED_AFTER, count_for, notices_for
from app.orm import utcnow
from tests.factories import register_child


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933")


def today():
    return utcnow().astimezone(local_zone()).date()


def review_on(entry, day):
    entry.next_review_on = day
    db.session.commit()
    return entry


def test_an_overdue_review_waits_the_longest_overdue_first(worker):
    later = review_on(register_child(worker), today() - timedelta(days=3))
    first = review_on(register_child(worker), today() - timedelta(days=40))
    assert notices_for(worker, utcnow()).reviews_overdue == [first, later]


def test_a_review_due_within_a_week_is_due_and_one_further_off_is_not_yet_shown(worker):
    due = review_on(register_child(worker), today() + REVIEW_NOTICE - timedelta(days=1))
    review_on(register_child(worker), today() + REVIEW_NOTICE + timedelta(days=1))
    notices = notices_for(worker, utcnow())
    assert notices.reviews_due == [due] and notices.reviews_overdue == []


def test_a_review_due_today_is_due_not_overdue(worker):
    entry = review_on(register_child(worker), today())
    notices = notices_for(worker, utcnow())
    assert notices.reviews_due == [entry] and notices.reviews_overdue == []


def test_the_badge_counts_the_reviews_waiting(worker):
    review_on(register_child(worker), today() - timedelta(days=1))
    assert count_for(worker, utcnow()) == 1


def test_a_new_registration_waits_for_no_one_for_six_months(worker):
    register_child(worker)
    assert count_for(worker, utcnow()) == 0


def test_the_leader_of_the_commune_sees_its_reviews_and_another_communes_worker_does_not(worker, make_user):
    entry = review_on(register_child(worker), today() - timedelta(days=1))
    assert notices_for(make_user("commune_leader", unit="10933"), utcnow()).reviews_overdue == [entry]
    assert notices_for(make_user("worker", unit="10894"), utcnow()).reviews_overdue == []
    assert notices_for(make_user("supervisor"), utcnow()).reviews_overdue == []


def test_the_home_page_lists_an_overdue_review_in_vietnamese(client, sign_in, worker):
    entry = review_on(register_child(worker), today() - timedelta(days=2))
    sign_in(worker)
    page = client.get("/").text
    assert "Việc chờ bạn" in page and "Rà soát trẻ trong danh sách đã quá hạn" in page
    assert f"/register/{entry.child_id}" in page and entry.child.full_name in page


def test_a_review_a_month_overdue_waits_for_the_district_supervisor_once_the_sweep_raised_it(worker, make_user):
    from app.register.escalations import sweep_overdue

    raised = review_on(register_child(worker), today() - REVIEW_RAISED_AFTER - timedelta(days=1))
    review_on(register_child(worker), today() - REVIEW_RAISED_AFTER)
    supervisor = make_user("supervisor", unit="295")
    assert count_for(supervisor, utcnow()) == 0
    sweep_overdue(utcnow())
    assert [escalation.entry for escalation in notices_for(supervisor, utcnow()).review_escalations] == [raised]
    assert count_for(supervisor, utcnow()) == 1
    assert notices_for(make_user("supervisor", unit="288"), utcnow()).review_escalations == []


def test_the_supervisors_home_page_names_the_commune_of_a_raised_review(client, sign_in, worker, make_user):
    from app.register.escalations import sweep_overdue

    review_on(register_child(worker), today() - REVIEW_RAISED_AFTER - timedelta(days=5))
    sweep_overdue(utcnow())
    sign_in(make_user("supervisor", unit="295"))
    page = client.get("/").text
    assert "Rà soát trẻ trong danh sách quá hạn hơn 30 ngày, chuyển lên đơn vị bạn" in page
    assert worker.unit.name in page


def test_a_rejected_or_unconfirmed_entry_waits_for_no_review(worker, make_user):
    from app.register.services import reject

    collaborator = make_user("collaborator", unit="10933")
    review_on(register_child(collaborator), today() - timedelta(days=40))
    rejected = review_on(register_child(collaborator), today() - timedelta(days=40))
    reject(worker, rejected, "Trẻ không sống ở xã.")
    db.session.commit()
    assert count_for(worker, utcnow()) == 0
    from app.register.escalations import sweep_overdue
    assert sweep_overdue(utcnow()) == []
