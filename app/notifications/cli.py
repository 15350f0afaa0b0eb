import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.notifications import mail

mail_cli = AppGroup("mail", help="Email notices (off unless MAIL_SERVER is set).")


@mail_cli.command("deliver")
def deliver():
    """Send the email notices waiting in the outbox; for cron, next to `escalate`."""
    if not mail.enabled():
        click.echo(_("Email is off: set MAIL_SERVER to send notices."))
        return
    sent, failed = mail.deliver()
    click.echo(_("Email notices sent: %(sent)d; failed (kept for another try): %(failed)d.", sent=sent,
                 failed=failed))
