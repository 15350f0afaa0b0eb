"""Reading the official succession between two unit lists (which new unit each old one went into), all or nothing."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.recorder import ACTIONS, record
from app.extensions import db
from app.units.models import SUCCESSION_KINDS, Succession, Unit
from app.units.services import EDITION, UnitFileError

COLUMNS = ("old_code", "new_code", "level", "kind")
SUCCESSION_LEVELS = ("province", "commune")
# The old levels a line of each level may start from: the five island districts of 2024, which had no communes
# (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo), became special zones at commune level in 2025.
SUCCEEDING_LEVELS = {"province": ("province",), "commune": ("commune", "district")}
ACTIONS["successions_loaded"] = _l("Successions of units loaded")


@dataclass
class SuccessionResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


def editions_from_filename(path: str | Path) -> tuple[str, str] | None:
    """`vn_units_2024_to_2025.csv` leads from the 2024 list to the 2025 one."""
    match = re.search(r"((?:19|20)\d\d)_to_((?:19|20)\d\d)", Path(path).stem)
    return (match.group(1), match.group(2)) if match else None


def _codes(edition: str) -> dict[str, tuple[int, str]]:
    return {code: (id_, level) for id_, code, level in
            db.session.execute(sa.select(Unit.id, Unit.code, Unit.level).where(Unit.edition == edition))}


def _read(raw: bytes, old_units: dict, new_units: dict, from_edition: str, to_edition: str):
    """The file's links as {(old id, new id): kind}, and what is wrong with it as (line, reason) pairs."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [(1, _("the file is not UTF-8 text (%(detail)s)", detail=exc.reason))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return {}, [(1, _("missing column: %(columns)s", columns=", ".join(missing)))]
    reader.fieldnames = header
    links, first_line, problems = {}, {}, []
    province_successors: dict[int, int] = {}
    for record_ in reader:
        line = reader.line_num
        values = {column: (record_.get(column) or "").strip() for column in COLUMNS}
        if not any(values.values()):
            continue
        old, new = old_units.get(values["old_code"]), new_units.get(values["new_code"])
        if values["level"] not in SUCCESSION_LEVELS:
            problems.append((line, _("unknown level %(level)r (expected: %(levels)s)", level=values["level"],
                                     levels=", ".join(SUCCESSION_LEVELS))))
        elif values["kind"] not in SUCCESSION_KINDS:
            problems.append((line, _("unknown kind %(kind)r (expected: %(kinds)s)", kind=values["kind"],
                                     kinds=", ".join(SUCCESSION_KINDS))))
        elif old is None:
            problems.append((line, _("the old unit %(code)s is not in list %(edition)s",
                                     code=values["old_code"][:20], edition=from_edition)))
        elif new is None:
            problems.append((line, _("the new unit %(code)s is not in list %(edition)s",
                                     code=values["new_code"][:20], edition=to_edition)))
        elif new[1] != values["level"] or old[1] not in SUCCEEDING_LEVELS[values["level"]]:
            problems.append((line, _("%(old)s and %(new)s are not both of the level the line names",
                                     old=values["old_code"], new=values["new_code"])))
        elif (old[0], new[0]) in links:
            problems.append((line, _("the same succession is on line %(first)d", first=first_line[old[0], new[0]])))
        elif values["level"] == "province" and (values["kind"] != "full" or old[0] in province_successors):
            # Every old province went whole into one new one (resolution 202/2025/QH15).
            problems.append((line, _("a province goes whole into one new province")))
        else:
            links[old[0], new[0]] = values["kind"]
            first_line[old[0], new[0]] = line
            if values["level"] == "province":
                province_successors[old[0]] = new[0]
    return links, problems


def load_successions(raw: bytes, from_edition: str, to_edition: str) -> SuccessionResult:
    """Load the links from the `from_edition` list to the `to_edition` one, adding and correcting, never deleting.

    The whole file is checked first: a code unknown in its list refuses it whole (`UnitFileError`, with line
    numbers) and nothing is written. Loading the same file twice changes nothing. The load is one entry in the trail,
    naming the file by its SHA-256."""
    for edition in (from_edition, to_edition):
        if not EDITION.fullmatch(edition or ""):
            raise UnitFileError([(0, _("the list name %(edition)r must be letters and digits (e.g. 2025)",
                                       edition=edition))])
    if from_edition == to_edition:
        raise UnitFileError([(0, _("a succession leads from one list to another"))])
    links, problems = _read(raw, _codes(from_edition), _codes(to_edition), from_edition, to_edition)
    if problems:
        raise UnitFileError.listing(problems)
    if not links:
        raise UnitFileError([(1, _("the file holds no successions"))])
    old_units = sa.select(Unit.id).where(Unit.edition == from_edition)
    existing = {(link.old_unit_id, link.new_unit_id): link for link in db.session.scalars(
        sa.select(Succession).where(Succession.old_unit_id.in_(old_units)))}
    result = SuccessionResult()
    for (old_id, new_id), kind in links.items():
        link = existing.get((old_id, new_id))
        if link is None:
            db.session.add(Succession(old_unit_id=old_id, new_unit_id=new_id, kind=kind))
            result.added += 1
        elif link.kind != kind:
            link.kind = kind
            result.changed += 1
        else:
            result.unchanged += 1
    if result.added or result.changed:
        record(db.session, "successions_loaded", changes={
            "from_edition": from_edition, "to_edition": to_edition, "file_sha256": hashlib.sha256(raw).hexdigest(),
            "added": result.added, "changed": result.changed, "unchanged": result.unchanged})
    db.session.commit()
    return result
