"""After the 2025 reorganisation the commune that took over a whole commune keeps its register: it edits, reviews,
confirms and is reminded of its predecessor's entries (register entries keep their commune's id)."""
from datetime import timedelta

import pytest

from app.access import may_confirm_register, may_edit_register
from app.extensions import db
from app.notifications.services import notices_for
from app.orm import utcnow
from app.register.services import awaiting_confirmation
from app.reorganisation import services
from tests.factories import register_child
from tests.reorganisation.conftest import MAO_DIEN, WHOLE


@pytest.fixture
def kept(successions, whole_worker, make_user):
    """A confirmed entry, its review overdue, and a collaborator's awaiting one, of the commune that went whole."""
    entry = register_child(whole_worker)
    entry.next_review_on = utcnow().date() - timedelta(days=3)
    awaiting = register_child(make_user("collaborator", unit=WHOLE))
    db.session.commit()
    services.reorganise("2024", "2025", "30")
    return entry, awaiting


def test_the_successor_commune_edits_and_confirms_its_predecessor_s_entries(kept, make_user):
    entry, awaiting = kept
    successor = make_user("worker", unit=WHOLE)  # 2025's Bình Giang
    assert successor.unit.edition == "2025"
    assert may_edit_register(successor, entry) and may_confirm_register(successor, awaiting)
    assert awaiting_confirmation(successor) == 1


def test_the_successor_commune_is_reminded_of_its_predecessor_s_reviews(kept, make_user):
    entry, _awaiting = kept
    assert notices_for(make_user("worker", unit=WHOLE), utcnow()).reviews_overdue == [entry]


def test_a_neighbouring_commune_neither_edits_nor_confirms_them(kept, make_user):
    entry, awaiting = kept
    neighbour = make_user("worker", unit=MAO_DIEN)
    assert not may_edit_register(neighbour, entry) and not may_confirm_register(neighbour, awaiting)
