"""The statistics' facts of every case: checked against the cases, or read again from them."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.extensions import db
from app.reports import register_facts
from app.reports.facts import CaseFacts, drifted, rewrite_all

reports_cli = AppGroup("reports", help="Reports.")


@reports_cli.command("rebuild-facts")
def rebuild_facts() -> None:
    """After cases or the register were changed outside the application, or APP_TIMEZONE changed."""
    rewrite_all(db.session.connection())
    register_facts.rewrite_all(db.session.connection())
    count = db.session.scalar(sa.select(sa.func.count()).select_from(CaseFacts))
    db.session.commit()
    click.echo(_("Statistics facts rewritten for %(count)d cases.", count=count))


@reports_cli.command("check-facts")
def check_facts() -> None:
    """Exit 1 when some cases' facts differ from the cases (then run rebuild-facts)."""
    count = drifted(db.session.connection())
    if count:
        click.echo(_("The statistics facts of %(count)d cases differ from the cases: run `flask reports "
                     "rebuild-facts`.", count=count))
        raise SystemExit(1)
    click.echo(_("The statistics facts agree with the cases."))
