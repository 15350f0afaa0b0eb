import time

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.units.services import UnitFileError, edition_from_filename, load_units

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
