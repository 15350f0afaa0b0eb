import json
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from app.audit.services import current_checkpoint, record_verification, verify_chain
from app.extensions import db

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.File("r"),
              help="A file written by `audit checkpoint`; also catches a tail cut off since then.")
@click.option("--files", "files", is_flag=True,
              help="Also hash every attached file again and name those changed or missing since they were added.")
def verify(checkpoint_file, files):
    """Check the whole hash chain (and, with --files, the attached files). Exit 0 when whole, 1 naming the first
    broken entry or every file changed or missing (2: bad arguments)."""
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
    files_whole = verify_attached_files() if files else True
    if not verdict.ok or not files_whole:
        sys.exit(1)


def verify_attached_files() -> bool:
    """Hash every attached file again against the hash its creation entry carries; name each one changed or
    missing as people know it (the case, the file's description and date). Whether all are whole."""
    from app.attachments.services import record_file_verification, verify_files
    from app.attachments.models import Attachment
    from app.i18n import display_date

    problems = verify_files()
    checked = db.session.scalar(sa.select(sa.func.count(Attachment.id)))
    for problem in problems:
        attachment = problem.attachment
        if problem.problem == "missing":
            line = _("Case %(reference)s: the file “%(description)s” (%(date)s) is missing from the store.",
                     reference=attachment.case.reference, description=attachment.description,
                     date=display_date(attachment.made_on))
        else:
            line = _("Case %(reference)s: the file “%(description)s” (%(date)s) has changed since it was added.",
                     reference=attachment.case.reference, description=attachment.description,
                     date=display_date(attachment.made_on))
        click.echo(line, err=True)
    if problems:
        click.echo(ngettext("%(num)d of %(count)d attached files is changed or missing.",
                            "%(num)d of %(count)d attached files are changed or missing.", len(problems),
                            count=checked), err=True)
    else:
        click.echo(ngettext("%(num)d attached file checked: it is as it was added.",
                            "%(num)d attached files checked: each is as it was added.", checked))
    record_file_verification(checked, problems)
    return not problems


@audit_cli.command("checkpoint")
@click.option("--output", type=click.File("w"), default="-", help="Where to write it (default: standard output).")
def checkpoint(output):
    """Write the chain's head (id and hash) as JSON, to keep outside the database."""
    json.dump(current_checkpoint(), output)
    output.write("\n")
