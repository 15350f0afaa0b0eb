"""A review given to someone who may no longer make it (deactivated, or moved to a commune that does not keep the
entry) counts as given to no one: it is every worker's duty again, and the one it was given to cannot record it."""
import pytest

from app.access import current_reviewer, may_record_review, scoped_register
from app.extensions import db
from app.notifications.services import notices_for
from app.orm import utcnow
from app.register.models import RegisterEntry
from app.units.services import find_unit
from tests.register.test_review_assignment import given_to, overdue_entry, signed_in


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933")


@pytest.fixture
def collaborator(make_user):
    return make_user("collaborator", unit="10933", full_name="Lê Thị Mai")


def deactivated(person):
    person.active = False
    db.session.commit()


def moved(person):
    person.unit = find_unit("10966")
    db.session.commit()


@pytest.mark.parametrize("gone", [deactivated, moved])
def test_a_review_given_to_someone_gone_is_every_worker_s_duty_again(worker, collaborator, make_user, gone):
    entry = given_to(overdue_entry(worker), collaborator)
    other = make_user("worker", unit="10933")
    assert entry not in notices_for(other, utcnow()).reviews_overdue
    gone(collaborator)
    assert current_reviewer(entry) is None
    assert notices_for(worker, utcnow()).reviews_overdue == [entry]
    assert notices_for(other, utcnow()).reviews_overdue == [entry]


def test_a_collaborator_moved_away_neither_sees_nor_records_the_review(worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    moved(collaborator)
    assert notices_for(collaborator, utcnow()).reviews_overdue == []
    assert not may_record_review(collaborator, entry)
    assert db.session.scalar(scoped_register(collaborator).where(RegisterEntry.id == entry.id)) is None


def test_a_deactivated_collaborator_may_not_record_the_review(worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    deactivated(collaborator)
    assert not may_record_review(collaborator, entry) and may_record_review(worker, entry)


def test_the_child_s_page_names_no_one_gone(app, worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    deactivated(collaborator)
    page = signed_in(app, worker).get(f"/register/{entry.child_id}").get_data(as_text=True)
    assert 'id="next-review"' in page and "Lê Thị Mai" not in page
