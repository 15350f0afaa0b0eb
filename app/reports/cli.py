"""`flask reports rebuild-facts`: the statistics' facts of every case, read again from the cases."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.extensions import db
from app.reports.facts import CaseFacts, rewrite_all

reports_cli = AppGroup("reports", help="Reports.")


@reports_cli.command("rebuild-facts")
def rebuild_facts() -> None:
    """After cases were changed outside the application, or APP_TIMEZONE changed."""
    rewrite_all(db.session.connection())
    count = db.session.scalar(sa.select(sa.func.count()).select_from(CaseFacts))
    db.session.commit()
    click.echo(_("Statistics facts rewritten for %(count)d cases.", count=count))
