import time

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.reorganisation.models import RULES
from app.reorganisation.services import CannotReorganise, Preview, preview, reorganise
from app.units.services import UnitFileError, edition_from_filename, load_units
from app.units.successions import editions_from_filename, load_successions

units_cli = AppGroup("units", help="Administrative units.")


@units_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--edition", help="Which official list the file is (2024, 2025); read from the file name if absent.")
def load(path, edition):
    """Load or update units from a CSV file (code,name,level,parent_code)."""
    edition = edition or edition_from_filename(path)
    if not edition:
        raise click.ClickException(_("Say which list the file is with --edition (for example 2024 or 2025)."))
    started = time.perf_counter()
    with open(path, "rb") as stream:
        raw = stream.read()
    try:
        result = load_units(raw, edition)
    except UnitFileError as refusal:
        raise click.ClickException(_("The file was refused and nothing was loaded:") + "\n" + str(refusal)) from None
    click.echo(_("List %(edition)s: %(created)d units added, %(updated)d updated, %(unchanged)d unchanged "
                 "(%(seconds).1f s).", edition=edition, created=result.created, updated=result.updated,
                 unchanged=result.unchanged, seconds=time.perf_counter() - started))


@units_cli.command("succeed")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--from", "from_edition", help="The earlier list (2024); read from the file name if absent.")
@click.option("--to", "to_edition", help="The later list (2025); read from the file name if absent.")
def succeed(path, from_edition, to_edition):
    """Load which new unit each old one went into (old_code,new_code,level,kind)."""
    named = editions_from_filename(path) or (None, None)
    from_edition, to_edition = from_edition or named[0], to_edition or named[1]
    if not from_edition or not to_edition:
        raise click.ClickException(_("Say which lists the file links with --from and --to (for example 2024 and "
                                     "2025)."))
    with open(path, "rb") as stream:
        raw = stream.read()
    started = time.perf_counter()
    try:
        result = load_successions(raw, from_edition, to_edition)
    except UnitFileError as refusal:
        raise click.ClickException(_("The file was refused and nothing was loaded:") + "\n" + str(refusal)) from None
    click.echo(_("Successions from list %(old)s to list %(new)s: %(added)d added, %(changed)d corrected, "
                 "%(unchanged)d unchanged (%(seconds).1f s).", old=from_edition, new=to_edition, added=result.added,
                 changed=result.changed, unchanged=result.unchanged, seconds=time.perf_counter() - started))


@units_cli.command("reorganise")
@click.option("--from", "from_edition", required=True, help="The list that ended (2024).")
@click.option("--to", "to_edition", required=True, help="The list that followed it (2025).")
@click.option("--province", "province_code", help="Only this old province (its code, e.g. 30).")
@click.option("--dry-run", is_flag=True, help="Show what would move, per old unit, and change nothing.")
def reorganise_command(from_edition, to_edition, province_code, dry_run):
    """Carry open cases, accounts, providers, referrals and escalations into the later list."""
    try:
        plan = preview(from_edition, to_edition, province_code)
    except CannotReorganise as problem:
        raise click.ClickException(str(problem)) from None
    if dry_run or not plan.units:
        for line in preview_lines(plan):
            click.echo(line)
        if not plan.units:
            click.echo(_("Nothing to carry out: every unit of list %(old)s here was carried out already.",
                         old=from_edition))
        return
    started = time.perf_counter()
    result = reorganise(from_edition, to_edition, province_code,
                        progress=lambda done, total: done % 50 == 0 and click.echo(
                            _("%(done)d of %(total)d units carried out", done=done, total=total)))
    click.echo(_("Reorganisation no. %(run)d: %(units)d units carried out in %(seconds).1f s; %(cases)d open cases "
                 "moved to their commune, %(waiting)d wait for a person to choose it; %(accounts)d accounts moved, "
                 "%(closed)d closed; %(providers)d providers, %(referrals)d referrals and %(escalations)d escalations "
                 "moved.", run=result.run.id, units=result.units, seconds=time.perf_counter() - started,
                 cases=result.moved["cases"], waiting=result.waiting, accounts=result.moved["users_full"],
                 closed=result.moved["users_closed"], providers=result.moved["providers"],
                 referrals=result.moved["referrals"], escalations=result.moved["escalations"]))


def preview_lines(plan: Preview) -> list[str]:
    lines = [_("From list %(old)s to list %(new)s (on %(day)s):", old=plan.from_edition, new=plan.to_edition,
               day=plan.effective_on.strftime("%d/%m/%Y"))]
    for unit in plan.units:
        divided = ", ".join(successor.name for successor in unit.successors)
        lines.append(_("%(unit)s -> %(heir)s (%(rule)s%(divided)s): open cases %(open)d (%(moving)d move, %(waiting)d "
                       "wait), closed %(closed)d, accounts %(accounts)d (%(accounts_closed)d closed), providers "
                       "%(providers)d, open deadlines %(deadlines)d, referrals %(referrals)d, escalations "
                       "%(escalations)d", unit=unit.unit.label, heir=unit.heir.label, rule=RULES[unit.rule],
                       divided=f": {divided}" if divided else "", open=unit.open_cases, moving=unit.moving,
                       waiting=unit.waiting, closed=unit.closed_cases, accounts=unit.accounts,
                       accounts_closed=unit.accounts_closed, providers=unit.providers,
                       deadlines=unit.open_deadlines, referrals=unit.referrals, escalations=unit.escalations))
    lines.append(_("In all: %(units)d units; open cases %(open)d (%(moving)d move by themselves, %(waiting)d wait for "
                   "a person), closed %(closed)d, accounts %(accounts)d (%(accounts_closed)d to be closed).",
                   units=len(plan.units), open=plan.total("open_cases"), moving=plan.total("moving"),
                   waiting=plan.total("waiting"), closed=plan.total("closed_cases"), accounts=plan.total("accounts"),
                   accounts_closed=plan.total("accounts_closed")))
    return lines
