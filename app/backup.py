"""`flask backup PATH`: a consistent copy of the running database, with the audit chain's head beside it.

SQLite is copied with its online backup API (a file copy of a live database can catch a write half done);
PostgreSQL with `pg_dump -Fc`, restored with `pg_restore` (README, Backup and restore). The head is written to
PATH.checkpoint.json, for `flask audit verify --checkpoint` on the restored copy: a restore that lost entries fails
it. For PostgreSQL it is read before the dump, so that it names an entry the dump holds.

Attachments kept on disk (ATTACHMENT_STORE=filesystem) are copied to PATH.attachments after the database: every row
the backup holds then has its file (a file is never changed or removed once its row is committed); a file added
meanwhile, without its row in the backup, is what `flask attachments sweep` removes after a restore.
"""
import contextlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
import subprocess

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.audit.services import current_checkpoint
from app.extensions import db


def checkpoint_path(path: str) -> str:
    return f"{path}.checkpoint.json"


def attachments_path(path: str) -> str:
    return f"{path}.attachments"


def back_up_attachment_files(path: str) -> bool:
    """Copy the folder of attachments kept on disk, if there is one; whether there was."""
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    if not folder.is_dir():
        return False
    shutil.copytree(folder, attachments_path(path), dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.partial"))
    return True


def back_up_sqlite(database: str, path: str) -> dict:
    """Copy `database` page by page while it runs (other writers wait only for each step), then read the chain's
    head from the copy itself."""
    with contextlib.closing(sqlite3.connect(database)) as live, contextlib.closing(sqlite3.connect(path)) as copy:
        live.backup(copy)
        last_id, last_hash = copy.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
    return {"id": last_id, "hash": last_hash}


def back_up_postgresql(url: sa.URL, path: str) -> dict:
    checkpoint = current_checkpoint()
    db.session.rollback()
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    subprocess.run(["pg_dump", "--format=custom", "--file", path, "--dbname", target], env=environment, check=True)
    return checkpoint


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup(path: str) -> None:
    """Back the database up to PATH while it runs, and its audit chain's head to PATH.checkpoint.json."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        checkpoint = back_up_sqlite(url.database, path)
    else:
        checkpoint = back_up_postgresql(url, path)
    with open(checkpoint_path(path), "w", encoding="utf-8") as saved:
        json.dump(checkpoint, saved)
        saved.write("\n")
    click.echo(_("Backed up to %(path)s. The audit chain's head (entry %(id)s) is in %(checkpoint)s: keep it with "
                 "the backup, and check a restored copy with `flask audit verify --checkpoint`.", path=path,
                 id=checkpoint["id"], checkpoint=checkpoint_path(path)))
    if back_up_attachment_files(path):
        click.echo(_("The attached files kept on disk are copied to %(folder)s: restore them with the database.",
                     folder=attachments_path(path)))
