"""Email notices: off by default; when on, queued with their event and sent by `mail deliver`."""
import pytest
import sqlalchemy as sa

from app.escalations.services import raise_by_hand
from app.extensions import db
from app.notifications import mail
from app.notifications.models import OutboxMessage
from app.referrals.services import act
from tests.factories import make_case, make_referral


class FakeSMTP:
    """Stands in for smtplib.SMTP and keeps what was sent."""

    sent = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, username, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def mail_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.vn")
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []


@pytest.fixture
def worker(make_user):
    return make_user("worker")


def outbox():
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def with_email(user, address):
    user.email = address
    db.session.commit()
    return user


def test_nothing_is_queued_while_email_is_off(worker, make_user):
    with_email(make_user("supervisor"), "giamsat@example.vn")
    make_referral(make_case(worker), worker, to="10510")
    assert outbox() == []


def test_a_referral_to_approve_is_announced_to_the_supervisors_above_the_sender(mail_on, worker, make_user):
    with_email(make_user("supervisor"), "giamsat@example.vn")
    with_email(make_user("supervisor", unit="288"), "khac@example.vn")
    referral = make_referral(make_case(worker), worker, to="10510")
    [message] = outbox()
    assert message.to_address == "giamsat@example.vn" and referral.case.reference in message.subject
    assert f"/referrals/{referral.id}" in message.body


def test_an_approved_referral_is_announced_to_the_receiving_unit(mail_on, worker, make_user):
    supervisor = make_user("supervisor")
    with_email(make_user("worker", unit="10510"), "nhan@example.vn")
    referral = make_referral(make_case(worker), worker, to="10510")
    act(referral, supervisor, "approve")
    assert [message.to_address for message in outbox()] == ["nhan@example.vn"]


def test_notices_never_carry_the_childs_name(mail_on, worker, make_user):
    with_email(make_user("supervisor"), "giamsat@example.vn")
    case = make_case(worker)
    make_referral(case, worker, to="10510")
    raise_by_hand(case, worker, "Gia đình không hợp tác.")
    assert outbox() and all(case.child.full_name not in m.subject + m.body for m in outbox())


def test_an_escalation_is_announced_in_the_recipients_language(mail_on, worker, make_user):
    supervisor = with_email(make_user("supervisor"), "giamsat@example.vn")
    supervisor.locale = "en"
    db.session.commit()
    case = make_case(worker)
    raise_by_hand(case, worker, "Gia đình không hợp tác.")
    [message] = outbox()
    assert message.subject.startswith(f"Case {case.reference} was escalated")


def test_deliver_sends_what_waits_once(mail_on, runner, worker, make_user):
    with_email(make_user("supervisor"), "giamsat@example.vn")
    make_referral(make_case(worker), worker, to="10510")
    assert runner.invoke(args=["mail", "deliver"]).exit_code == 0
    runner.invoke(args=["mail", "deliver"])
    assert [message["To"] for message in FakeSMTP.sent] == ["giamsat@example.vn"]
    assert outbox()[0].sent_at is not None


def test_deliver_says_email_is_off_by_default(runner):
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "MAIL_SERVER" in result.output


def test_an_administrator_sets_an_email_address_and_a_wrong_one_is_refused(client, sign_in, make_user):
    admin = make_user("admin")
    person = make_user("worker")
    sign_in(admin)
    wrong = client.post(f"/admin/users/{person.id}", data={"role": "worker", "unit": "10933", "email": "không-phải"})
    assert wrong.status_code == 200 and "email" in wrong.get_data(as_text=True)
    db.session.refresh(person)
    assert person.email is None
    client.post(f"/admin/users/{person.id}", data={"role": "worker", "unit": "10933", "email": "lan@example.vn"})
    db.session.refresh(person)
    assert person.email == "lan@example.vn"
