"""Email notices: optional, off unless MAIL_SERVER is set.

Events queue messages in the outbox within their own transaction, so a notice exists exactly when its
event does; `flask --app wsgi mail deliver` (cron, like the sweep) sends what is waiting and retries what
failed. Each message is in the recipient's language and names the case by its reference only.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.access import Role
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.orm import utcnow
from app.units.models import Unit
from app.users.models import User

WORKING_ROLES = (Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER)
MAX_ATTEMPTS = 5


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _people(query: sa.Select) -> list[User]:
    return list(db.session.scalars(query.where(User.active, User.email.is_not(None), User.email != "")))


def people_of(unit: Unit, roles=WORKING_ROLES) -> list[User]:
    return _people(sa.select(User).where(User.unit_id == unit.id, User.role.in_([role.value for role in roles])))


def supervisors_above(unit: Unit) -> list[User]:
    """Supervisors whose unit holds `unit` (those who approve what leaves it)."""
    ancestors = [part for part in unit.path.strip("/").split("/")[1:-1]]
    above = sa.select(Unit.id).where(Unit.edition == unit.edition, Unit.code.in_(ancestors))
    return _people(sa.select(User).where(User.role == Role.SUPERVISOR.value, User.unit_id.in_(above)))


def queue(recipients: list[User], subject, body, path: str) -> None:
    """Add one message per recipient to the session; `subject` and `body` are called in each one's language."""
    if not enabled():
        return
    link = current_app.config["APP_BASE_URL"].rstrip("/") + path
    for person in recipients:
        with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            footer = _("This notice was sent automatically.")
            db.session.add(OutboxMessage(to_address=person.email, subject=str(subject()),
                                         body="\n\n".join((body(), link, footer))))


def deliver(limit: int = 200) -> tuple[int, int]:
    """Send waiting messages; answer (sent, failed). A message is given up after MAX_ATTEMPTS failures."""
    config = current_app.config
    waiting = list(db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)))
    if not waiting or not enabled():
        db.session.rollback()
        return 0, 0
    sent = failed = 0
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for message in waiting:
            email = EmailMessage()
            email["From"], email["To"], email["Subject"] = config["MAIL_FROM"], message.to_address, message.subject
            email.set_content(message.body)
            message.attempts += 1
            try:
                smtp.send_message(email)
            except smtplib.SMTPException as error:
                message.last_error, failed = str(error)[:500], failed + 1
            else:
                message.sent_at, sent = utcnow(), sent + 1
    db.session.commit()
    return sent, failed


def announce_referral(referral) -> None:
    """A referral that now waits for someone: the supervisors above the sender, or the receiving unit."""
    reference, number = referral.case.reference, referral.id
    path = f"/referrals/{number}"
    if referral.awaiting_approval:
        queue(supervisors_above(referral.from_unit),
              lambda: _("Referral %(number)d of case %(reference)s waits for your approval", number=number,
                        reference=reference),
              lambda: _("%(unit)s referred case %(reference)s. Approve or reject it on the referral's page.",
                        unit=referral.from_unit.name, reference=reference), path)
    if referral.status == "sent":
        queue(people_of(referral.receiving_unit),
              lambda: _("Referral %(number)d of case %(reference)s waits for your answer", number=number,
                        reference=reference),
              lambda: _("%(unit)s referred case %(reference)s to you. Accept or decline it on the referral's "
                        "page.", unit=referral.from_unit.name, reference=reference), path)


def announce_escalation(escalation) -> None:
    reference = escalation.case.reference
    queue(people_of(escalation.to_unit),
          lambda: _("Case %(reference)s was escalated to %(unit)s", reference=reference,
                    unit=escalation.to_unit.name),
          lambda: _("%(reason)s Someone of your unit must acknowledge it.", reason=escalation.explanation),
          f"/cases/{reference}#escalations")
