"""Administrators never choose a password: an account they create, or reset, gets a one-time activation code, and its
owner chooses the password (issue 14, item 6)."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications import mail
from app.notifications.models import OutboxMessage
from app.orm import utcnow
from app.users.services import find_user
from tests.factories import PASSWORD

CODE = re.compile(r'id="activation-code">([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})<')
NEW_PASSWORD = "sông Hồng chảy về biển"


@pytest.fixture
def admin(make_user, sign_in):
    return sign_in(make_user("admin"))


def create(client, role="admin", unit="10966", **fields):
    """An account created on the admin page (an administrator's own role reads no case: no approval involved);
    the activation code shown once."""
    data = {"username": "hoa.pham", "full_name": "Phạm Thị Hoa", "role": role, "unit": unit, **fields}
    page = client.post("/admin/users/new", data=data).get_data(as_text=True)
    found = CODE.search(page)
    return found.group(1) if found else None


def activate(client, code, username="hoa.pham", password=NEW_PASSWORD):
    return client.post("/auth/activate", data={"username": username, "code": code, "new_password": password,
                                               "confirm": password})


def sign_in_status(app, username="hoa.pham", password=NEW_PASSWORD):
    return app.test_client().post("/auth/sign-in", data={"username": username, "password": password}).status_code


def test_the_new_account_form_asks_for_no_password(client, admin):
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'type="password"' not in page


def test_a_new_account_gets_a_code_shown_once_and_no_password(app, client, admin):
    code = create(client, password=PASSWORD, confirm=PASSWORD)
    assert code is not None
    user = find_user("hoa.pham")
    assert not user.has_password and code.replace("-", "") not in user.activation_code_hash
    assert sign_in_status(app, password=PASSWORD) == 200
    assert code not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_the_person_chooses_their_password_with_the_code_and_signs_in(app, client, admin):
    code = create(client)
    response = activate(app.test_client(), code.lower().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"] == "/auth/sign-in"
    assert sign_in_status(app) == 302


def test_the_code_works_once(app, client, admin):
    code = create(client)
    activate(app.test_client(), code)
    again = activate(app.test_client(), code, password="another long passphrase")
    assert again.status_code == 200 and sign_in_status(app) == 302


def test_the_code_expires_after_72_hours(app, client, admin):
    code = create(client)
    user = find_user("hoa.pham")
    assert timedelta(hours=71) < user.activation_expires_at - utcnow() <= timedelta(hours=72)
    user.activation_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert activate(app.test_client(), code).status_code == 200
    assert not find_user("hoa.pham").has_password


def test_a_wrong_code_or_username_gets_one_answer_and_is_recorded(app, client, admin):
    code = create(client)
    wrong_code = activate(app.test_client(), "ABCD-EFGH-JKLM-NPQR").get_data(as_text=True)
    wrong_name = activate(app.test_client(), code, username="nobody.here").get_data(as_text=True)
    error = re.compile(r'id="code-error">([^<]+)<')
    assert error.search(wrong_code).group(1) == error.search(wrong_name).group(1)
    reasons = [entry.changes for entry in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "activation_failed").order_by(AuditEntry.id))]
    assert reasons == ['{"reason": "wrong_code"}', '{"reason": "unknown_user"}']


def test_a_weak_password_is_refused_and_the_code_still_works(app, client, admin):
    code = create(client)
    assert activate(app.test_client(), code, password="matkhau2024").status_code == 200
    assert activate(app.test_client(), code).status_code == 302


def test_a_reset_stops_the_old_password_and_gives_a_code(app, client, admin, make_user):
    other_admin = make_user("admin", unit="295")
    page = client.post(f"/admin/users/{other_admin.id}/password", data={"confirmed": "yes"}).get_data(as_text=True)
    code = CODE.search(page).group(1)
    assert sign_in_status(app, other_admin.username, PASSWORD) == 200
    activate(app.test_client(), code, username=other_admin.username)
    assert sign_in_status(app, other_admin.username) == 302


def test_a_reset_asks_first_and_changes_nothing_until_confirmed(client, admin, make_user):
    worker = make_user("worker")
    assert client.get(f"/admin/users/{worker.id}/password").status_code == 200
    client.post(f"/admin/users/{worker.id}/password")
    db.session.refresh(worker)
    assert worker.has_password and worker.activation_code_hash is None


def test_with_email_on_the_code_goes_to_the_person_and_the_admin_never_sees_it(app, client, admin, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.vn")
    page = client.post("/admin/users/new", data={"username": "hoa.pham", "full_name": "Phạm Thị Hoa",
                                                 "role": "admin", "unit": "10966", "email": "hoa@example.vn"})
    text = page.get_data(as_text=True)
    assert CODE.search(text) is None and "hoa@example.vn" in text
    [message] = db.session.scalars(sa.select(OutboxMessage))
    code = re.search(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}", message.body).group(0)
    assert message.to_address == "hoa@example.vn" and "/auth/activate" in message.body
    assert activate(app.test_client(), code).status_code == 302
    assert mail.enabled()


def test_neither_the_code_nor_its_hash_enters_the_trail(client, admin):
    code = create(client)
    user = find_user("hoa.pham")
    trail = " ".join(entry.changes or "" for entry in db.session.scalars(sa.select(AuditEntry)))
    assert code not in trail and code.replace("-", "") not in trail and user.activation_code_hash not in trail


def test_the_sign_in_page_leads_to_activation(client, units):
    assert 'href="/auth/activate"' in client.get("/auth/sign-in").get_data(as_text=True)
