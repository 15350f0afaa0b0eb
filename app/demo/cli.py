import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.demo.cases import seed_cases
from app.demo.editions import DEMOS, HAI_DUONG_2024, Demo
from app.demo.facilities import seed_facilities
from app.demo.referrals import seed_referrals
from app.demo.register import seed_register
from app.demo.reporting import seed_departments, seed_reporting
from app.units.services import DATA_DIR, active_edition, load_units
from app.users.services import create_user, find_user

seed_cli = AppGroup("seed", help="Load demonstration data.")

DEMO_PASSWORD = "ThuNghiem-2024"


def seed_demo(demo: Demo = HAI_DUONG_2024) -> list[tuple[str, str, str]]:
    """Load the demo units, accounts, cases, referrals, the register, report rounds and the care facilities, leaving
    what is already there as it is."""
    load_units((DATA_DIR / demo.units_file).read_bytes(), demo.edition)
    departments = seed_departments(demo)
    accounts = []
    for username, full_name, role, unit_code in demo.accounts:
        department = departments.get(demo.department_of.get(username))
        user = find_user(username) or create_user(username=username, full_name=full_name, role=role,
                                                  unit_code=unit_code, password=DEMO_PASSWORD,
                                                  office=demo.offices.get(username), department=department)
        accounts.append((user.username, user.role, user.unit.label))
    seed_cases(demo)
    seed_referrals(demo)
    seed_register(demo)
    seed_reporting(demo)
    seed_facilities(demo)
    return accounts


@seed_cli.command("demo")
@click.option("--edition", type=click.Choice(sorted(DEMOS)), default=HAI_DUONG_2024.edition, show_default=True,
              help="2024: Hải Dương, three levels. 2025: Hải Phòng after the merger, two levels.")
def demo(edition):
    """The demo units and one account per role, with cases and referrals (idempotent)."""
    if edition != active_edition() and edition == current_app.config["UNITS_EDITION"]:
        # `make run` again after the README's walk through the reorganisation: the demo was carried into the new list.
        click.echo(_("This database was reorganised into list %(active)s: the %(edition)s demo lives on in it, and "
                     "nothing was added.", active=active_edition(), edition=edition))
        return
    if edition != active_edition():
        # Accounts are placed in the list in force: another list's unit codes name other places.
        raise click.UsageError(_("The %(edition)s demo needs UNITS_EDITION=%(edition)s (the list in force is "
                                 "%(active)s).", edition=edition, active=active_edition()))
    accounts = seed_demo(DEMOS[edition])
    click.echo(_("Demo sign-ins (password for all: %(password)s):", password=DEMO_PASSWORD))
    for username, role, unit in accounts:
        click.echo(f"  {username:<27} {role:<19} {unit}")
