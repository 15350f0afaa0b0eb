import click
from flask_babel import gettext as _

from app.escalations.services import sweep


@click.command("escalate")
def escalate():
    """The deadline sweep, for cron every few minutes: raise what is late; safe to run twice or at once.

    Its entries in the audit trail name the account that runs it (`cli:<user>`)."""
    result = sweep()
    click.echo(_("Escalations raised: %(raised)d; raised meanwhile by another run: %(already)d.",
                 raised=len(result.raised), already=result.already))
    click.echo(_("Reports not sent in time raised: %(raised)d.", raised=len(result.reports)))
    click.echo(_("Facility corrections past their deadline raised: %(count)d.", count=len(result.corrections)))
    click.echo(_("Report rounds set as the next of a recurring round: %(count)d.", count=len(result.rounds)))
    click.echo(_("Reviews of registered children long overdue raised: %(count)d.", count=len(result.reviews)))
