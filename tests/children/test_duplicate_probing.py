"""The duplicate check at intake as an oracle (issue 14, point 8): a worker learns that a child beyond their
scope is on record. The warning stays, but every such match is in the trail and the checks per hour are limited."""
import json

import pytest
import sqlalchemy as sa

from app.access import scoped_children
from app.audit.models import AuditEntry
from app.audit.narrative import narrate
from app.cases.models import Case
from app.children.services import check_for_duplicates
from app.extensions import db
from tests.factories import child_details, make_case, unit


@pytest.fixture
def child_elsewhere(make_user):
    """A child on record in another commune of the province (Nguyễn Văn An, 02/04/2015)."""
    return make_case(make_user("worker", unit="10966"))


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933")


def probing_entries():
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "duplicate_found_elsewhere")
                                   .order_by(AuditEntry.id)))


def check(worker):
    return check_for_duplicates(worker, child_details(), unit("30"), scoped_children(worker))


def test_a_match_beyond_scope_is_told_as_a_number_only(child_elsewhere, worker):
    result = check(worker)
    assert result.found == [] and result.elsewhere == 1 and result.paused_until is None


def test_a_match_beyond_scope_is_recorded_under_the_worker_naming_no_child(child_elsewhere, worker):
    check(worker)
    own = probing_entries()[0]
    assert (own.unit_path, own.entity, own.entity_id, own.case_ref) == (worker.unit.path, None, None, None)
    assert json.loads(own.changes) == {"matches": 1, "matched_on": ["name_and_birth_date"], "told": True}


def test_a_match_beyond_scope_is_recorded_under_the_childs_case_for_its_inspectors(child_elsewhere, worker):
    check(worker)
    theirs = probing_entries()[1]
    assert (theirs.entity, theirs.entity_id) == ("children", str(child_elsewhere.child_id))
    assert (theirs.case_ref, theirs.unit_path) == (child_elsewhere.reference, child_elsewhere.unit.path)
    assert theirs.actor_id == worker.id


def test_a_match_within_scope_is_not_probing(make_user, worker):
    make_case(worker)
    result = check(worker)
    assert len(result.found) == 1 and probing_entries() == []


def test_a_match_on_the_personal_id_says_so(make_user, worker):
    from app.cases.services import open_case
    from tests.factories import report
    other = make_user("worker", unit="10966")
    open_case(other, other.unit, report(), child_details=child_details(full_name="Trần Bình", id_number="001215001234"))
    check_for_duplicates(worker, child_details(full_name="Khác hẳn", id_number="001215001234"), unit("30"),
                         scoped_children(worker))
    assert json.loads(probing_entries()[1].changes)["matched_on"] == "id_number"


def test_beyond_the_hourly_limit_matches_are_recorded_but_not_told(app, child_elsewhere, worker):
    app.config["DUPLICATE_CHECKS_PER_HOUR"] = "2 per hour"
    told = [check(worker) for _ in range(3)]
    assert [result.elsewhere for result in told] == [1, 1, 0]
    assert told[2].paused_until is not None
    assert [json.loads(entry.changes)["told"] for entry in probing_entries()] == [True, True] * 2 + [False, False]


def test_the_hourly_limit_is_counted_per_account(app, child_elsewhere, worker, make_user):
    app.config["DUPLICATE_CHECKS_PER_HOUR"] = "1 per hour"
    check(worker)
    colleague = make_user("worker", unit="10933")
    assert check(colleague).elsewhere == 1


def test_the_inspector_reads_each_probing_entry_as_a_sentence(app, child_elsewhere, worker):
    check(worker)
    with app.test_request_context():
        own, theirs = (told.sentence for told in narrate(probing_entries()))
    assert "trùng với 1 trẻ ngoài phạm vi của người này. Người kiểm tra đã được báo." in own
    assert child_elsewhere.child.full_name in theirs and "họ tên và ngày sinh" in theirs
    assert child_elsewhere.child.full_name not in own


def test_the_intake_page_says_when_the_check_beyond_scope_was_paused(app, client, child_elsewhere, worker, sign_in):
    app.config["DUPLICATE_CHECKS_PER_HOUR"] = "1 per hour"
    sign_in(worker)
    client.post("/language", data={"locale": "en"})
    data = {"full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "2015-04-02", "source": "hotline_111",
            "received_at": "2026-11-28T08:30", "categories": ["neglect"], "description": "Trẻ ở nhà một mình.",
            "harm_status": "at_risk", "child_consent": "agreed", "carer_consent": "agreed"}
    assert "on record elsewhere in the province" in client.post("/cases/new", data=data).get_data(as_text=True)
    opened = client.post("/cases/new", data=data, follow_redirects=True).get_data(as_text=True)
    assert "were not checked" in opened
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 2
