"""Village collaborators (issue 18, point 2): they add children to their commune's register and report concerns
(Mẫu 01); they read only the entries they made, nothing of cases; the commune's worker confirms what they add."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.access import Role, reads_cases, role_label, scoped_cases, scoped_register
from app.cases.models import Case
from app.extensions import db
from app.register.models import RegisterEntry
from tests.factories import audit_entries, register_child
from tests.register.test_pages import NEW_CHILD, english

TODAY = date(2026, 11, 28)


@pytest.fixture
def collaborator(make_user):
    return make_user("collaborator", full_name="Lê Thị Mai")


def signed_in(app, user):
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": user.username, "password": "correct horse battery"})
    return client


def test_a_collaborator_s_entry_waits_for_the_commune_s_confirmation(collaborator):
    entry = register_child(collaborator, today=TODAY)
    assert entry.confirmation == "awaiting" and entry.added_by_id == collaborator.id
    assert entry.unit == collaborator.unit


def test_a_worker_s_entry_is_confirmed_at_once(make_user):
    worker = make_user("worker")
    entry = register_child(worker, today=TODAY)
    assert entry.confirmation == "confirmed" and entry.added_by_id == worker.id


def test_a_collaborator_reads_only_the_entries_they_made(make_user, collaborator):
    mine = register_child(collaborator, today=TODAY)
    register_child(make_user("worker"), today=TODAY)
    register_child(make_user("collaborator"), today=TODAY)
    assert list(db.session.scalars(scoped_register(collaborator))) == [mine]


def test_a_collaborator_reads_no_case_not_even_of_a_child_they_registered(make_user, collaborator):
    from tests.factories import make_case

    entry = register_child(collaborator, today=TODAY)
    make_case(make_user("worker"), child=entry.child)
    assert db.session.scalar(scoped_cases(collaborator).with_only_columns(sa.func.count())) == 0


def test_the_collaborator_adds_a_child_on_the_register_page_and_is_told_the_worker_confirms(app, collaborator):
    client = signed_in(app, collaborator)
    english(client)
    response = client.post("/register/new", data=NEW_CHILD, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "will confirm the entry" in page
    assert "waiting for the commune's worker to confirm it" in page and "<h2>Cases</h2>" not in page
    entry = db.session.scalar(sa.select(RegisterEntry))
    assert entry.confirmation == "awaiting"


def test_an_unconfirmed_entry_is_not_on_the_register_those_above_read(app, make_user, collaborator):
    entry = register_child(collaborator, today=TODAY)
    page = signed_in(app, make_user("supervisor")).get("/register/").get_data(as_text=True)
    assert f"/register/{entry.child_id}" not in page


def test_the_worker_sees_what_waits_for_confirmation_first(app, make_user, collaborator):
    entry = register_child(collaborator, today=TODAY)
    client = signed_in(app, make_user("worker"))
    english(client)
    home = client.get("/").get_data(as_text=True)
    assert 'id="to-confirm"' in home and "1 child added by a collaborator waits for your confirmation" in home
    assert home.index('id="to-confirm"') < home.index("Report a child at risk")
    listing = client.get("/register/").get_data(as_text=True)
    assert listing.index('id="awaiting"') < listing.index('id="reviews-due"')
    assert f"/register/{entry.child_id}#confirm" in listing


def test_the_worker_confirms_a_collaborator_s_entry_and_the_trail_says_so(app, make_user, collaborator):
    from flask_babel import force_locale

    from app.audit.narrative import narrate

    entry = register_child(collaborator, today=TODAY)
    worker = make_user("worker", full_name="Phạm Thu Hà")
    response = signed_in(app, worker).post(f"/register/{entry.child_id}/confirm")
    assert response.status_code == 302
    db.session.refresh(entry)
    assert (entry.confirmation, entry.decided_by_id) == ("confirmed", worker.id) and entry.decided_at is not None
    changes = audit_entries(action="update", entity="register_entries", entity_id=str(entry.id))
    assert changes and changes[-1].actor_id == worker.id
    with force_locale("en"):
        told = [item.sentence for item in narrate(changes)]
    assert any("confirmed the child Nguyễn Văn An, added by a village collaborator" in sentence for sentence in told)


def test_rejecting_needs_a_reason_and_without_one_changes_nothing(app, make_user, collaborator):
    entry = register_child(collaborator, today=TODAY)
    response = signed_in(app, make_user("worker")).post(f"/register/{entry.child_id}/reject", data={"reason": " "})
    assert response.status_code == 422
    db.session.refresh(entry)
    assert entry.confirmation == "awaiting" and entry.rejection_reason is None


def test_a_rejected_entry_is_kept_with_its_reason_and_the_collaborator_sees_why(app, make_user, collaborator):
    entry = register_child(collaborator, today=TODAY)
    signed_in(app, make_user("worker")).post(f"/register/{entry.child_id}/reject",
                                             data={"reason": "Gia đình đã chuyển đi nơi khác."})
    db.session.refresh(entry)
    assert (entry.confirmation, entry.rejection_reason) == ("rejected", "Gia đình đã chuyển đi nơi khác.")
    page = signed_in(app, collaborator).get("/").get_data(as_text=True)
    assert "Gia đình đã chuyển đi nơi khác." in page
    assert audit_entries(action="update", entity="register_entries", entity_id=str(entry.id))


def test_a_worker_of_another_commune_cannot_confirm(app, make_user, collaborator):
    entry = register_child(collaborator, today=TODAY)
    response = signed_in(app, make_user("worker", unit="10966")).post(f"/register/{entry.child_id}/confirm")
    assert response.status_code == 404
    db.session.refresh(entry)
    assert entry.confirmation == "awaiting"


@pytest.mark.parametrize("path", ["/confirm", "/reject", "/situation", "/review"])
def test_a_collaborator_neither_confirms_nor_changes_an_entry(app, collaborator, path):
    entry = register_child(collaborator, today=TODAY)
    response = signed_in(app, collaborator).post(f"/register/{entry.child_id}{path}", data={"reason": "x"})
    assert response.status_code == 403
    db.session.refresh(entry)
    assert entry.confirmation == "awaiting"


def test_an_entry_decided_already_is_not_decided_again(make_user, collaborator, app):
    entry = register_child(collaborator, today=TODAY)
    worker = make_user("worker")
    signed_in(app, worker).post(f"/register/{entry.child_id}/confirm")
    signed_in(app, worker).post(f"/register/{entry.child_id}/reject", data={"reason": "Nhầm."})
    db.session.refresh(entry)
    assert entry.confirmation == "confirmed" and entry.rejection_reason is None


def test_a_collaborator_reports_a_concern_and_reads_nothing_of_the_case(app, collaborator):
    from tests.cases.test_pages import INTAKE

    client = signed_in(app, collaborator)
    response = client.post("/cases/new", data={**INTAKE, "child_choice": "new"})
    case = db.session.scalar(sa.select(Case))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert case.unit == collaborator.unit and case.created_by_id == collaborator.id
    assert client.get(f"/cases/{case.reference}").status_code == 403
    assert client.get(f"/register/{case.child_id}").status_code == 404


def test_the_collaborator_s_menu_holds_the_register_and_no_case(app, collaborator):
    client = signed_in(app, collaborator)
    english(client)
    page = client.get("/").get_data(as_text=True)
    assert ">Register of children</a>" in page and ">Cases</a>" not in page and ">Referrals</a>" not in page


def test_the_role_is_named_in_vietnamese(app):
    from flask_babel import force_locale

    with force_locale("vi"):
        assert str(role_label(Role.COLLABORATOR)) == "Cộng tác viên bảo vệ trẻ em ở thôn"


def test_a_collaborator_s_account_waits_for_a_second_person_s_approval():
    """They read the register entries they make, which are as sensitive as a case file (issue 18, point 6)."""
    assert reads_cases("collaborator")


def test_an_admin_s_new_collaborator_account_waits_for_approval(app, make_user, sign_in, client):
    from app.users import approvals
    from app.users.services import find_user

    sign_in(make_user("admin", unit="295"))
    client.post("/admin/users/new", data={"username": "mai.le", "full_name": "Lê Thị Mai", "role": "collaborator",
                                          "unit": "10933"})
    grant = approvals.open_grant(find_user("mai.le"))
    assert grant is not None and grant.role == "collaborator"


@pytest.fixture
def reviewed(make_user, collaborator):
    """A collaborator's entry the worker confirmed, reviewed with notes, and supported."""
    from app.register import services

    worker = make_user("worker")
    entry = register_child(collaborator, today=TODAY)
    services.confirm(worker, entry)
    services.record_review(worker, entry, TODAY, "Mẹ kế đánh trẻ, đã nhắc nhở gia đình.", None, TODAY)
    services.add_support(entry, services.Support("cash_allowance", "Trợ cấp xã hội hằng tháng", TODAY, None,
                                                 1_080_000), TODAY)
    db.session.commit()
    return worker, entry


def test_a_collaborator_reads_neither_the_reviews_nor_the_supports_of_their_entry(app, collaborator, reviewed):
    worker, entry = reviewed
    page = signed_in(app, collaborator).get(f"/register/{entry.child_id}").get_data(as_text=True)
    assert "Mẹ kế đánh trẻ" not in page and "Trợ cấp xã hội hằng tháng" not in page
    assert "Mẹ kế đánh trẻ" in signed_in(app, worker).get(f"/register/{entry.child_id}").get_data(as_text=True)


def test_a_collaborator_reads_neither_the_reviews_nor_the_supports_over_the_api(app, collaborator, reviewed):
    from tests.register.test_api import token_for

    _worker, entry = reviewed
    client = app.test_client()
    register = client.get(f"/api/v1/children/{entry.child_id}", headers=token_for(client, collaborator)).json
    assert register["register"]["living_place"] == "with_relatives"
    assert "reviews" not in register["register"] and "supports" not in register["register"]
