"""A village collaborator's review the commune worker rejects (issue 18, point 2): kept, marked, with the reason; the
child's review stays due and the collaborator, seeing why, records it again. The review's confirmation moves only
along REVIEW_TRANSITIONS."""
from itertools import product

import pytest
from flask_babel import force_locale

from app.audit.narrative import narrate
from app.extensions import db
from app.register import services
from app.register.models import AWAITING, CONFIRMATIONS, CONFIRMED, REJECTED, REVIEW_TRANSITIONS
from tests.factories import audit_entries
from tests.register.test_review_assignment import given_to, overdue_entry, signed_in, today


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933", full_name="Phạm Thu Hà")


@pytest.fixture
def collaborator(make_user):
    return make_user("collaborator", unit="10933", full_name="Lê Thị Mai")


@pytest.fixture
def waiting(worker, collaborator):
    entry = given_to(overdue_entry(worker), collaborator)
    return services.record_review(collaborator, entry, today(), "Cháu ở với bà, đi học đều.", None, today())


# The transition table

EXPECTED = {(AWAITING, "confirm"): CONFIRMED, (AWAITING, "reject"): REJECTED}


def test_a_waiting_review_is_confirmed_or_rejected_and_a_decided_one_never_moves_again():
    assert REVIEW_TRANSITIONS == EXPECTED


@pytest.mark.parametrize("state, action", list(product(CONFIRMATIONS, ("confirm", "reject"))))
def test_each_state_and_action_moves_as_the_table_says_or_changes_nothing(worker, waiting, state, action):
    waiting.confirmation = state
    db.session.commit()
    decide = {"confirm": lambda: services.confirm_review(worker, waiting),
              "reject": lambda: services.reject_review(worker, waiting, "Chưa gặp cháu.")}[action]
    if (state, action) in EXPECTED:
        decide()
        assert waiting.confirmation == EXPECTED[(state, action)] and waiting.decided_by_id == worker.id
    else:
        with pytest.raises(services.RegisterChanged):
            decide()
        db.session.rollback()
        assert waiting.confirmation == state and waiting.decided_by_id is None


# The rule

def test_a_rejected_review_is_kept_with_its_reason_and_the_review_stays_due(worker, waiting):
    entry = waiting.entry
    due, reviewer = entry.next_review_on, entry.reviewer_id
    services.reject_review(worker, waiting, "  Ghi chép chưa đủ: chưa hỏi về việc học.  ")
    db.session.expire_all()
    assert [review.confirmation for review in entry.reviews] == ["rejected"]
    assert waiting.rejection_reason == "Ghi chép chưa đủ: chưa hỏi về việc học." and waiting.decided_by_id == worker.id
    assert entry.next_review_on == due and entry.last_reviewed_on is None and entry.reviewer_id == reviewer


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_rejection_needs_a_reason_of_at_most_300_characters(worker, waiting, reason):
    with pytest.raises(services.RegisterRefused) as refused:
        services.reject_review(worker, waiting, reason)
    db.session.rollback()
    assert "reason" in refused.value.fields and waiting.confirmation == AWAITING


def test_after_a_rejection_the_collaborator_records_the_review_again(worker, collaborator, waiting):
    services.reject_review(worker, waiting, "Chưa gặp cháu.")
    again = services.record_review(collaborator, waiting.entry, today(), "Đã gặp cháu ở nhà bà.", None, today())
    assert again.confirmation == AWAITING and len(waiting.entry.reviews) == 2


def test_a_rejection_reads_as_a_sentence_in_the_trail(app, worker, waiting):
    services.reject_review(worker, waiting, "Chưa gặp cháu.")
    entries = audit_entries(entity="register_reviews", entity_id=str(waiting.id), action="update")
    with app.test_request_context():
        with force_locale("en"):
            [english] = [item.sentence for item in narrate(entries)]
        with force_locale("vi"):
            [vietnamese] = [item.sentence for item in narrate(entries)]
    assert ("rejected the review of the child Nguyễn Văn An a village collaborator recorded, saying “Chưa gặp cháu.”"
            in english)
    assert "Chưa gặp cháu." in vietnamese and "rejected" not in vietnamese


# Pages

def test_the_worker_rejects_the_review_on_the_child_s_page_and_is_told_what_comes_next(app, worker, waiting):
    client = signed_in(app, worker)
    page = client.get(f"/register/{waiting.entry.child_id}").get_data(as_text=True)
    assert f'action="/register/{waiting.entry.child_id}/review/reject"' in page
    response = client.post(f"/register/{waiting.entry.child_id}/review/reject", data={"reason": "Chưa gặp cháu."},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Lê Thị Mai" in page and "Chưa gặp cháu." in page
    db.session.refresh(waiting)
    assert waiting.confirmation == REJECTED


def test_rejecting_without_a_reason_explains_and_changes_nothing(app, worker, waiting):
    response = signed_in(app, worker).post(f"/register/{waiting.entry.child_id}/review/reject", data={"reason": ""})
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    db.session.refresh(waiting)
    assert waiting.confirmation == AWAITING


def test_the_collaborator_sees_why_the_review_was_rejected_and_may_record_it_again(app, worker, collaborator,
                                                                                    waiting):
    services.reject_review(worker, waiting, "Chưa gặp cháu.")
    page = signed_in(app, collaborator).get(f"/register/{waiting.entry.child_id}").get_data(as_text=True)
    assert "Chưa gặp cháu." in page and f'action="/register/{waiting.entry.child_id}/review"' in page


def test_the_collaborator_cannot_reject_a_review(app, collaborator, waiting):
    response = signed_in(app, collaborator).post(f"/register/{waiting.entry.child_id}/review/reject",
                                                 data={"reason": "x"})
    assert response.status_code == 403
    db.session.refresh(waiting)
    assert waiting.confirmation == AWAITING


def test_another_commune_s_worker_cannot_reject_the_review(app, make_user, waiting):
    response = signed_in(app, make_user("worker", unit="10966")).post(
        f"/register/{waiting.entry.child_id}/review/reject", data={"reason": "x"})
    assert response.status_code == 404
    db.session.refresh(waiting)
    assert waiting.confirmation == AWAITING


def test_with_no_review_waiting_nothing_is_rejected(app, worker, waiting):
    services.confirm_review(worker, waiting)
    response = signed_in(app, worker).post(f"/register/{waiting.entry.child_id}/review/reject", data={"reason": "x"})
    assert response.status_code == 302
    db.session.refresh(waiting)
    assert waiting.confirmation == CONFIRMED and waiting.rejection_reason is None
