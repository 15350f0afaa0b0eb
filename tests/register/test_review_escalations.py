"""Long-overdue reviews of registered children are escalated by the deadline sweep (issue 18, point 5), as late
reports are: to the unit above the commune once the review is REVIEW_RAISED_AFTER overdue, higher while nobody there
acknowledges it, in the receiving unit's "Việc chờ bạn" with an acknowledgement, in the trail, and closed when the
review is recorded."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.audit.narrative import narrate
from app.deadlines.services import local_zone
from app.escalations.services import sweep
from app.extensions import db
from app.notifications.services import count_for, notices_for
from app.orm import utcnow
from app.register import escalations, services
from app.register.models import RegisterReviewEscalation
from app.register.services import REVIEW_RAISED_AFTER
from tests.factories import audit_entries, register_child


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", unit="295", full_name="Lê Minh Tuấn")


def today():
    return utcnow().astimezone(local_zone()).date()


def overdue(worker, days):
    entry = register_child(worker, today=today() - timedelta(days=300))
    entry.next_review_on = today() - timedelta(days=days)
    db.session.commit()
    return entry


def raised():
    return list(db.session.scalars(sa.select(RegisterReviewEscalation).order_by(RegisterReviewEscalation.id)))


def test_a_review_overdue_past_the_threshold_is_raised_to_the_district(worker):
    entry = overdue(worker, REVIEW_RAISED_AFTER.days + 1)
    overdue(worker, REVIEW_RAISED_AFTER.days)
    escalations.sweep_overdue(utcnow())
    [escalation] = raised()
    assert (escalation.entry, escalation.to_unit.code, escalation.from_unit.code, escalation.level) == \
        (entry, "295", "10933", 1)
    assert escalation.due_on == entry.next_review_on


def test_the_deadline_sweep_raises_the_reviews_too(worker):
    overdue(worker, 45)
    assert len(sweep(utcnow()).reviews) == 1


def test_the_sweep_run_twice_raises_a_review_once(worker):
    overdue(worker, 45)
    now = utcnow()
    assert len(escalations.sweep_overdue(now)) == 1
    assert escalations.sweep_overdue(now) == []
    assert len(raised()) == 1


def test_the_database_refuses_a_second_copy_raised_at_the_same_moment(worker):
    entry = overdue(worker, 45)
    escalations.sweep_overdue(utcnow())
    first = raised()[0]
    db.session.add(RegisterReviewEscalation(entry=entry, due_on=first.due_on, from_unit_id=first.from_unit_id,
                                            to_unit_id=first.to_unit_id, level=1))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_unacknowledged_escalation_is_raised_higher_after_a_working_day(worker):
    overdue(worker, 45)
    now = utcnow()
    escalations.sweep_overdue(now)
    assert escalations.sweep_overdue(now + timedelta(hours=2)) == []
    escalations.sweep_overdue(now + timedelta(days=7))
    first, higher = raised()
    assert (higher.to_unit.code, higher.level, higher.previous_id, higher.from_unit_id) == \
        ("30", 2, first.id, first.to_unit_id)
    assert escalations.sweep_overdue(now + timedelta(days=10)) == []


def test_an_acknowledged_escalation_is_raised_no_higher(worker, supervisor):
    overdue(worker, 45)
    now = utcnow()
    escalations.sweep_overdue(now)
    escalations.acknowledge(supervisor, raised()[0])
    escalations.sweep_overdue(now + timedelta(days=7))
    assert len(raised()) == 1 and raised()[0].acknowledged_by_id == supervisor.id


def test_the_escalation_waits_in_the_supervisor_s_duties_until_acknowledged(worker, supervisor):
    overdue(worker, 45)
    escalations.sweep_overdue(utcnow())
    assert count_for(supervisor, utcnow()) == 1
    escalations.acknowledge(supervisor, raised()[0])
    assert notices_for(supervisor, utcnow()).review_escalations == [] and count_for(supervisor, utcnow()) == 0


def test_only_someone_of_the_unit_raised_to_acknowledges(worker, make_user):
    from app.cases.services import NotAllowed

    overdue(worker, 45)
    escalations.sweep_overdue(utcnow())
    for person in (make_user("supervisor", unit="288"), worker, make_user("province_officer", unit="30")):
        with pytest.raises(NotAllowed):
            escalations.acknowledge(person, raised()[0])


def test_recording_the_review_closes_the_escalation_and_raises_nothing_higher(worker, supervisor):
    entry = overdue(worker, 45)
    now = utcnow()
    escalations.sweep_overdue(now)
    services.record_review(worker, entry, today(), "Đã thăm, trẻ ổn định.", None, today())
    assert notices_for(supervisor, now).review_escalations == []
    assert escalations.sweep_overdue(now + timedelta(days=7)) == []


def test_a_collaborator_s_review_closes_the_escalation_once_confirmed(worker, supervisor, make_user):
    collaborator = make_user("collaborator", unit="10933")
    entry = overdue(worker, 45)
    services.assign_reviewer(entry, collaborator.id, entry.version)
    escalations.sweep_overdue(utcnow())
    review = services.record_review(collaborator, entry, today(), "Đã thăm.", None, today())
    assert len(notices_for(supervisor, utcnow()).review_escalations) == 1
    services.confirm_review(worker, review)
    assert notices_for(supervisor, utcnow()).review_escalations == []


def test_a_raised_review_a_collaborator_recorded_says_it_waits_for_the_commune(
        worker, supervisor, make_user, client, sign_in):
    collaborator = make_user("collaborator", unit="10933", full_name="Đinh Thị Nga")
    entry = overdue(worker, 45)
    services.assign_reviewer(entry, collaborator.id, entry.version)
    escalations.sweep_overdue(utcnow())
    services.record_review(collaborator, entry, today(), "Đã thăm.", None, today())
    sign_in(supervisor)
    assert "(người rà soát: Đinh Thị Nga), đang chờ xã xác nhận" in client.get("/notifications/").text


def test_the_next_review_missed_is_raised_anew(worker):
    entry = overdue(worker, 45)
    escalations.sweep_overdue(utcnow())
    services.record_review(worker, entry, today() - timedelta(days=1), "Ổn.", today(), today())
    entry.next_review_on = today() - timedelta(days=60)
    db.session.commit()
    escalations.sweep_overdue(utcnow())
    assert len(raised()) == 2


def test_the_supervisor_acknowledges_on_the_duties_page(app, worker, supervisor, client, sign_in):
    overdue(worker, 45)
    escalations.sweep_overdue(utcnow())
    sign_in(supervisor)
    number = raised()[0].id
    assert f"/register/review-escalations/{number}/acknowledge" in client.get("/notifications/").text
    assert client.post(f"/register/review-escalations/{number}/acknowledge").status_code == 302
    assert raised()[0].acknowledged_by_id == supervisor.id


def test_another_district_s_supervisor_gets_not_found(app, worker, make_user, client, sign_in):
    overdue(worker, 45)
    escalations.sweep_overdue(utcnow())
    sign_in(make_user("supervisor", unit="288"))
    assert client.post(f"/register/review-escalations/{raised()[0].id}/acknowledge").status_code == 404


def test_raising_and_acknowledging_read_as_sentences_in_the_trail(app, worker, supervisor):
    overdue(worker, 45)
    now = utcnow()
    escalations.sweep_overdue(now)
    escalations.sweep_overdue(now + timedelta(days=7))
    escalations.acknowledge(supervisor, raised()[0])
    with app.test_request_context(), force_locale("en"):
        told = [item.sentence for item in narrate(audit_entries(entity="register_review_escalations"))]
    assert any("raised the review of the child Nguyễn Văn An" in sentence and "more than 30 days overdue, to "
               in sentence for sentence in told)
    assert any("higher, to" in sentence and "nobody acknowledged it in time" in sentence for sentence in told)
    assert any("acknowledged that the review of the child Nguyễn Văn An is long overdue" in sentence
               for sentence in told)
