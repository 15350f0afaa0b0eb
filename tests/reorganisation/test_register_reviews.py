"""After the 2025 reorganisation the reviews of a predecessor's register entries (which keep their 2024 commune's id)
are the successor commune's: its worker gives them to its people, its collaborator records them, and a long-overdue
one is raised to the unit in force above it, whose officer sees and acknowledges it."""
from datetime import timedelta

import pytest

from app.access import may_record_review, review_assignees
from app.deadlines.services import local_zone
from app.extensions import db
from app.notifications.services import notices_for
from app.orm import utcnow
from app.register import escalations, services
from app.register.models import RegisterReviewEscalation
from app.register.services import REVIEW_RAISED_AFTER
from app.reorganisation import services as reorganisation
from tests.factories import register_child
from tests.reorganisation.conftest import WHOLE


def today():
    return utcnow().astimezone(local_zone()).date()


@pytest.fixture
def entry(successions, whole_worker):
    """A confirmed entry of 2024's Tân Việt, its review overdue, before Tân Việt went whole into Bình Giang."""
    entry = register_child(whole_worker, today=today() - timedelta(days=300))
    entry.next_review_on = today() - timedelta(days=REVIEW_RAISED_AFTER.days + 1)
    db.session.commit()
    reorganisation.reorganise("2024", "2025", "30")
    return entry


def test_the_successor_s_worker_gives_a_predecessor_s_review_to_the_successor_s_collaborator(entry, make_user):
    worker, collaborator = make_user("worker", unit=WHOLE), make_user("collaborator", unit=WHOLE)
    assert collaborator.unit.edition == "2025" and entry.unit.edition == "2024"
    assert {worker, collaborator} <= set(db.session.scalars(review_assignees(entry)))
    services.assign_reviewer(entry, collaborator.id, entry.version)
    assert entry.reviewer == collaborator


def test_the_successor_s_collaborator_records_the_review_given_to_them(entry, make_user):
    collaborator = make_user("collaborator", unit=WHOLE)
    services.assign_reviewer(entry, collaborator.id, entry.version)
    assert notices_for(collaborator, utcnow()).reviews_overdue == [entry]
    assert may_record_review(collaborator, entry)
    review = services.record_review(collaborator, entry, today(), "Cháu ở với bà, đi học đều.", None, today())
    assert review.awaiting


def test_a_predecessor_s_long_overdue_review_is_raised_to_the_province_in_force(entry):
    [number] = escalations.sweep_overdue(utcnow())
    escalation = db.session.get(RegisterReviewEscalation, number)
    assert (escalation.to_unit.code, escalation.to_unit.edition, escalation.to_unit.ending) == ("31", "2025", None)


def test_the_province_s_officer_sees_and_acknowledges_it(entry, make_user):
    escalations.sweep_overdue(utcnow())
    officer = make_user("province_officer", unit="31")
    [escalation] = notices_for(officer, utcnow()).review_escalations
    assert escalations.get_escalation(officer, escalation.id) == escalation
    escalations.acknowledge(officer, escalation)
    assert escalation.acknowledged_by == officer


def test_one_raised_to_the_2024_district_before_the_reorganisation_waits_for_the_province(successions, whole_worker,
                                                                                          make_user):
    entry = register_child(whole_worker, today=today() - timedelta(days=300))
    entry.next_review_on = today() - timedelta(days=REVIEW_RAISED_AFTER.days + 1)
    db.session.commit()
    [number] = escalations.sweep_overdue(utcnow())
    reorganisation.reorganise("2024", "2025", "30")
    officer = make_user("province_officer", unit="31")
    [escalation] = notices_for(officer, utcnow()).review_escalations
    assert escalation.id == number and escalation.to_unit.edition == "2024"
    escalations.acknowledge(officer, escalation)
    assert escalation.acknowledged_by == officer
