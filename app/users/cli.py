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
@click.option("--role", required=True, help="worker, commune_leader, supervisor, province_officer, inspector, admin, "
                                            "intake, collaborator, department_officer")
@click.option("--unit", "unit_code", required=True, help="Code of the unit in the current list.")
@click.option("--full-name", default=None, help="Defaults to the username.")
@click.option("--email", default=None, help="Where email notices go (optional).")
@click.option("--office", type=click.Choice(["chairman", "vice_chairman"]), default=None,
              help="A commune leader's office: the title their decisions are signed under.")
@click.option("--department", default=None,
              help="A department officer's department: its name, as on the province's list.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def create(username, role, unit_code, full_name, email, office, department, password_stdin):
    """Create an account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(username=username, full_name=full_name or username, role=role, unit_code=unit_code,
                           password=password, email=email, office=office,
                           department=_department(unit_code, department) if department else None)
    except UserRejected as rejection:
        raise click.ClickException(f"{rejection.field}: {rejection}") from None
    click.echo(_("Account %(username)s created (%(role)s, %(unit)s).",
                 username=user.username, role=user.role, unit=user.unit.label))


def _department(unit_code: str, name: str):
    """The department `name` of the province `unit_code`; refused as the service refuses an unknown one."""
    from app.reporting.models import Department
    from app.units.services import find_unit

    unit = find_unit(unit_code or "")
    found = db.session.scalar(sa.select(Department).where(Department.province_id == (unit.id if unit else None),
                                                          Department.name == name.strip()))
    return found if found is not None else -1  # no such department: the service refuses it by its rule


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
