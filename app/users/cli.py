import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.extensions import db
from app.users.models import User
from app.users.services import UserRejected, create_user, find_user, set_active

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, help="worker, commune_leader, supervisor, province_officer, inspector, admin")
@click.option("--unit", "unit_code", required=True, help="Code of the unit in the current list.")
@click.option("--full-name", default=None, help="Defaults to the username.")
@click.option("--email", default=None, help="Where email notices go (optional).")
@click.option("--office", type=click.Choice(["chairman", "vice_chairman"]), default=None,
              help="A commune leader's office: the title their decisions are signed under.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def create(username, role, unit_code, full_name, email, office, password_stdin):
    """Create an account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(username=username, full_name=full_name or username, role=role, unit_code=unit_code,
                           password=password, email=email, office=office)
    except UserRejected as rejection:
        raise click.ClickException(f"{rejection.field}: {rejection}") from None
    click.echo(_("Account %(username)s created (%(role)s, %(unit)s).",
                 username=user.username, role=user.role, unit=user.unit.label))


@users_cli.command("deactivate")
@click.argument("username")
def deactivate(username):
    """Stop an account from signing in; its sessions and tokens stop working."""
    user = find_user(username)
    if user is None:
        raise click.ClickException(_("No account named %(username)s.", username=username))
    set_active(user, False)
    click.echo(_("Account %(username)s deactivated; it can no longer sign in.", username=user.username))


@users_cli.command("list")
def list_users():
    """List every account."""
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        state = "active" if user.active else "inactive"
        click.echo(f"{user.username}\t{user.role}\t{user.unit.code}\t{state}\t{user.full_name}")
