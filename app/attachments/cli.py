import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from app.attachments.services import sweep_orphans

attachments_cli = AppGroup("attachments", help="Files attached to cases.")


@attachments_cli.command("sweep")
def sweep():
    """Remove stored files that no attachment names, left by uploads that never finished (older than an hour, so
    that uploads under way are left alone); for cron, daily. Recorded in the audit trail."""
    removed = sweep_orphans()
    if removed:
        click.echo(ngettext("Removed %(num)d file left by an upload that did not finish.",
                            "Removed %(num)d files left by uploads that did not finish.", removed))
    else:
        click.echo(_("No file left by an unfinished upload."))
