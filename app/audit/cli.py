import json
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.audit.services import current_checkpoint, record_verification, verify_chain
from app.extensions import db

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.File("r"),
              help="A file written by `audit checkpoint`; also catches a tail cut off since then.")
def verify(checkpoint_file):
    """Check the whole hash chain. Exit 0 when whole, 1 naming the first broken entry (2: bad arguments)."""
    checkpoint = None
    if checkpoint_file:
        try:
            saved = json.load(checkpoint_file)
            checkpoint = (int(saved["id"]), str(saved["hash"]))
        except (ValueError, KeyError, TypeError):
            raise click.BadParameter(_("The file is not one written by `audit checkpoint`."),
                                     param_hint="--checkpoint") from None
    verdict = verify_chain(checkpoint)
    if verdict.ok:
        click.echo(_("The audit chain is whole: %(count)d entries, head %(id)s %(hash)s.",
                     count=verdict.entries, id=verdict.head_id, hash=verdict.head_hash))
    else:
        click.echo(_("The audit chain is broken at entry %(id)s: %(reason)s.", id=verdict.first_broken,
                     reason=verdict.reason), err=True)
    try:
        record_verification(verdict)
    except sa.exc.DBAPIError as error:
        # A head row behind its entries (a data-only restore) makes the next entry's id one already taken.
        db.session.rollback()
        click.echo(_("This check could not be added to the trail (%(error)s). The head row must name the last "
                     "entry: restore it together with the entries (README, Backup and restore).",
                     error=str(error.orig).strip().splitlines()[0]), err=True)
        sys.exit(1)
    if not verdict.ok:
        sys.exit(1)


@audit_cli.command("checkpoint")
@click.option("--output", type=click.File("w"), default="-", help="Where to write it (default: standard output).")
def checkpoint(output):
    """Write the chain's head (id and hash) as JSON, to keep outside the database."""
    json.dump(current_checkpoint(), output)
    output.write("\n")
