"""Who makes a registered child's next review (issue 18, point 2): the commune worker gives it to a worker or a
village collaborator of the commune; the collaborator sees the entries whose open review is theirs, nothing of
cases, records the review for the worker to confirm; "Việc chờ bạn" shows each person the reviews that are theirs."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.access import scoped_cases, scoped_register
from app.audit.narrative import narrate
from app.deadlines.services import local_zone
from app.extensions import db
from app.notifications.services import count_for, notices_for
from app.orm import utcnow
from app.register import services
from tests.factories import audit_entries, make_case, register_child


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933", full_name="Phạm Thu Hà")


@pytest.fixture
def collaborator(make_user):
    return make_user("collaborator", unit="10933", full_name="Lê Thị Mai")


def today():
    return utcnow().astimezone(local_zone()).date()


def signed_in(app, user):
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": user.username, "password": "correct horse battery"})
    return client


def overdue_entry(by, days=3):
    entry = register_child(by, today=today() - timedelta(days=200))
    entry.next_review_on = today() - timedelta(days=days)
    db.session.commit()
    return entry


def given_to(entry, person):
    services.assign_reviewer(entry, person.id if person else None, entry.version)
    return entry


def test_the_worker_gives_the_next_review_to_a_collaborator_of_the_commune(worker, collaborator):
    entry = given_to(register_child(worker), collaborator)
    assert entry.reviewer_id == collaborator.id


@pytest.mark.parametrize("role, unit", [("worker", "10966"), ("collaborator", "10966"), ("commune_leader", "10933"),
                                        ("supervisor", "295")])
def test_a_review_is_given_only_to_a_worker_or_collaborator_of_the_commune(worker, make_user, role, unit):
    entry = register_child(worker)
    with pytest.raises(services.RegisterRefused) as refused:
        services.assign_reviewer(entry, make_user(role, unit=unit).id, entry.version)
    assert "reviewer" in refused.value.fields
    db.session.rollback()
    assert db.session.get(type(entry), entry.id).reviewer_id is None


def test_a_collaborator_reads_the_entries_whose_review_is_theirs_and_no_other(worker, collaborator, make_user):
    mine = given_to(register_child(worker), collaborator)
    given_to(register_child(worker), make_user("collaborator", unit="10933"))
    register_child(worker)
    assert list(db.session.scalars(scoped_register(collaborator))) == [mine]


def test_a_collaborator_reads_no_case_of_a_child_whose_review_is_theirs(worker, collaborator):
    entry = given_to(register_child(worker), collaborator)
    make_case(worker, child=entry.child)
    assert db.session.scalar(scoped_cases(collaborator).with_only_columns(sa.func.count())) == 0


def test_the_collaborator_s_review_waits_for_the_worker_and_the_review_stays_due(worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    due = entry.next_review_on
    review = services.record_review(collaborator, entry, today(), "Cháu ở với bà, đi học đều.", None, today())
    assert review.confirmation == "awaiting" and entry.next_review_on == due and entry.last_reviewed_on is None


def test_confirming_the_collaborator_s_review_moves_the_next_review_on_and_ends_the_assignment(worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    review = services.record_review(collaborator, entry, today(), "Cháu ở với bà, đi học đều.", None, today())
    services.confirm_review(worker, review)
    assert review.confirmation == "confirmed" and review.decided_by_id == worker.id
    assert entry.last_reviewed_on == today() and entry.next_review_on == services.months_after(today(), 6)
    assert entry.reviewer_id is None
    assert list(db.session.scalars(scoped_register(collaborator))) == []


def test_a_second_review_is_refused_while_one_waits_for_confirmation(worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    services.record_review(collaborator, entry, today(), "Lần một.", None, today())
    with pytest.raises(services.RegisterRefused):
        services.record_review(worker, entry, today(), "Lần hai.", None, today())


def test_the_collaborator_s_duties_are_the_reviews_given_to_them(worker, collaborator):
    mine = given_to(overdue_entry(worker), collaborator)
    overdue_entry(worker)
    notices = notices_for(collaborator, utcnow())
    assert notices.reviews_overdue == [mine] and count_for(collaborator, utcnow()) == 1


def test_a_recorded_review_leaves_the_collaborator_s_duties_and_waits_in_the_worker_s(worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    review = services.record_review(collaborator, entry, today(), "Ổn định.", None, today())
    assert count_for(collaborator, utcnow()) == 0
    notices = notices_for(worker, utcnow())
    assert notices.reviews_to_confirm == [review] and entry not in notices.reviews_overdue


def test_a_worker_s_duties_are_their_reviews_and_those_given_to_no_one(worker, collaborator, make_user):
    unassigned = overdue_entry(worker, days=5)
    own = given_to(overdue_entry(worker, days=4), worker)
    given_to(overdue_entry(worker), collaborator)
    assert notices_for(worker, utcnow()).reviews_overdue == [unassigned, own]
    assert notices_for(make_user("worker", unit="10933"), utcnow()).reviews_overdue == [unassigned]
    assert len(notices_for(make_user("commune_leader", unit="10933"), utcnow()).reviews_overdue) == 3


def test_giving_and_confirming_a_review_read_as_sentences_in_the_trail(app, worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    review = services.record_review(collaborator, entry, today(), "Ổn định.", None, today())
    services.confirm_review(worker, review)
    entries = audit_entries(entity="register_entries", entity_id=str(entry.id), action="update")
    entries += audit_entries(entity="register_reviews", entity_id=str(review.id))
    with app.test_request_context(), force_locale("en"):
        told = [item.sentence for item in narrate(entries)]
    assert any("gave the next review of the child Nguyễn Văn An to Lê Thị Mai." in sentence for sentence in told)
    assert any("a village collaborator, recorded a review of the child Nguyễn Văn An" in sentence for sentence in told)
    assert any("confirmed the review of the child Nguyễn Văn An a village collaborator recorded" in sentence
               for sentence in told)


# Pages

def test_the_worker_gives_the_review_on_the_child_s_page(app, worker, collaborator):
    entry = register_child(worker)
    client = signed_in(app, worker)
    page = client.get(f"/register/{entry.child_id}").get_data(as_text=True)
    assert 'id="next-review"' in page and "Lê Thị Mai – cộng tác viên thôn" in page
    response = client.post(f"/register/{entry.child_id}/reviewer",
                           data={"reviewer": str(collaborator.id), "version": str(entry.version)})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.reviewer_id == collaborator.id


def test_giving_the_review_to_someone_outside_the_commune_changes_nothing(app, worker, make_user):
    entry = register_child(worker)
    outsider = make_user("collaborator", unit="10966")
    response = signed_in(app, worker).post(f"/register/{entry.child_id}/reviewer",
                                           data={"reviewer": str(outsider.id), "version": str(entry.version)})
    assert response.status_code == 422
    db.session.refresh(entry)
    assert entry.reviewer_id is None


def test_another_commune_s_worker_cannot_give_the_review(app, worker, make_user):
    entry = register_child(worker)
    response = signed_in(app, make_user("worker", unit="10966")).post(
        f"/register/{entry.child_id}/reviewer", data={"reviewer": "", "version": str(entry.version)})
    assert response.status_code == 404


def test_the_collaborator_records_the_review_given_to_them_on_the_child_s_page(app, worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    make_case(worker, child=entry.child)
    client = signed_in(app, collaborator)
    page = client.get(f"/register/{entry.child_id}").get_data(as_text=True)
    assert 'action="/register/%d/review"' % entry.child_id in page and "/cases/" not in page
    response = client.post(f"/register/{entry.child_id}/review",
                           data={"reviewed_on": today().isoformat(), "notes": "Cháu khoẻ."})
    assert response.status_code == 302
    assert [review.confirmation for review in entry.reviews] == ["awaiting"]


def test_a_collaborator_cannot_record_a_review_not_given_to_them(app, worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    other = overdue_entry(worker)
    client = signed_in(app, collaborator)
    assert client.post(f"/register/{other.child_id}/review", data={"notes": "x"}).status_code == 404
    given_to(entry, None)
    assert client.post(f"/register/{entry.child_id}/review", data={"notes": "x"}).status_code == 404


def test_the_worker_confirms_the_review_on_the_child_s_page(app, worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    review = services.record_review(collaborator, entry, today(), "Cháu khoẻ.", None, today())
    client = signed_in(app, worker)
    page = client.get(f"/register/{entry.child_id}").get_data(as_text=True)
    assert f"/register/{entry.child_id}/review/confirm" in page
    assert client.post(f"/register/{entry.child_id}/review/confirm").status_code == 302
    db.session.refresh(review)
    assert review.confirmation == "confirmed"


def test_the_collaborator_s_home_page_lists_the_review_given_to_them(app, worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    page = signed_in(app, collaborator).get("/").get_data(as_text=True)
    assert "Việc chờ bạn" in page and f"/register/{entry.child_id}" in page
    assert "Rà soát trẻ trong danh sách đã quá hạn" in page


def test_with_no_review_waiting_nothing_is_confirmed(app, worker):
    entry = register_child(worker, today=date(2026, 1, 5))
    response = signed_in(app, worker).post(f"/register/{entry.child_id}/review/confirm")
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.last_reviewed_on is None


def test_another_commune_s_worker_cannot_confirm_the_review(app, worker, collaborator, make_user):
    entry = given_to(overdue_entry(worker), collaborator)
    review = services.record_review(collaborator, entry, today(), "Cháu khoẻ.", None, today())
    response = signed_in(app, make_user("worker", unit="10966")).post(f"/register/{entry.child_id}/review/confirm")
    assert response.status_code == 404
    db.session.refresh(review)
    assert review.confirmation == "awaiting"
