"""Reading the official unit lists into the tree, all or nothing."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import gettext as _

from app.extensions import db
from app.units.models import LEVEL_LABELS, LEVELS, PARENT_LEVELS, Unit

COLUMNS = ("code", "name", "level", "parent_code")
DATA_DIR = Path(__file__).parent / "data"
MAX_REPORTED_ERRORS = 20
EDITION = re.compile(r"[A-Za-z0-9]{1,16}")
CODE = re.compile(r"[0-9]{1,16}")
MAX_NAME = 200
MAX_PATH = 255


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class UnitFileError(Exception):
    """The file was refused; `problems` holds (line number, reason) pairs."""

    problems: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def listing(cls, problems: list[tuple[int, str]]) -> UnitFileError:
        """The first problems in line order, and how many more there are: never a silent cut."""
        problems = sorted(problems)
        shown = problems[:MAX_REPORTED_ERRORS]
        if len(problems) > len(shown):
            shown.append((0, _("and %(count)d more problems", count=len(problems) - len(shown))))
        return cls(shown)

    def __str__(self) -> str:
        return "\n".join(_("line %(line)d: %(reason)s", line=line, reason=reason) if line else reason
                         for line, reason in self.problems)


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


def edition_from_filename(path: str | Path) -> str | None:
    """`vn_units_2025.csv` belongs to the 2025 list."""
    match = re.search(r"(19|20)\d\d", Path(path).stem)
    return match.group(0) if match else None


def active_edition() -> str:
    """The list in force: the one the latest finished reorganisation led to, else the configured one."""
    from app.reorganisation.models import Reorganisation

    if has_request_context() and "active_edition" in g:
        return g.active_edition
    edition = db.session.scalar(sa.select(Reorganisation.to_edition).where(Reorganisation.finished_at.is_not(None))
                                .order_by(Reorganisation.id.desc()).limit(1)) or current_app.config["UNITS_EDITION"]
    if has_request_context():
        g.active_edition = edition
    return edition


def find_unit(code: str, edition: str | None = None) -> Unit | None:
    return db.session.scalar(
        sa.select(Unit).where(Unit.edition == (edition or active_edition()), Unit.code == code.strip())
    )


def unit_key(unit: Unit) -> str:
    """How a query string names `unit`: its code in the list in force, else `EDITION/CODE` (a unit a reorganisation
    ended shares its code with a unit of the new list)."""
    return unit.code if unit.edition == active_edition() else f"{unit.edition}/{unit.code}"


def find_unit_by_key(key: str) -> Unit | None:
    """The unit `unit_key` named."""
    edition, _slash, code = key.strip().rpartition("/")
    return find_unit(code, edition or None)


def top_unit() -> Unit | None:
    """The unit at the top of this deployment: TOP_UNIT if set, else the only top-level unit of the list in force
    (None while none, or several with no TOP_UNIT, are loaded)."""
    if current_app.config.get("TOP_UNIT"):
        return find_unit(current_app.config["TOP_UNIT"])
    tops = db.session.scalars(sa.select(Unit).where(Unit.edition == active_edition(), Unit.parent_id.is_(None))
                              .limit(2)).all()
    return tops[0] if len(tops) == 1 else None


def is_current_commune(unit: Unit) -> bool:
    """A commune (a leaf of the tree) of the list in force: where a child can live and a case be opened."""
    return unit.level == "commune" and unit.edition == active_edition()


def communes_of_province(unit: Unit) -> list[Unit]:
    """The communes of `unit`'s province, in the list's order (district by district)."""
    edition, province = unit.path.split("/")[:2]
    return list(db.session.scalars(sa.select(Unit).where(Unit.path.startswith(f"{edition}/{province}/"),
                                                         Unit.level == "commune").order_by(Unit.path)))


def communes_under(unit: Unit) -> list[Unit]:
    """The communes of `unit`'s subtree (the unit itself, if it is one), in the list's order."""
    return list(db.session.scalars(sa.select(Unit).where(Unit.path.startswith(unit.path), Unit.level == "commune")
                                   .order_by(Unit.path)))


def named_apart(units: list[Unit]) -> list[tuple[str, str]]:
    """Each unit's code and the name a person chooses it by: its own name, with the unit above where two in the list
    share one (a province has several Xã Tân Việt), never a code."""
    from collections import Counter

    repeated = Counter(unit.name for unit in units)
    return [(unit.code, f"{unit.name} ({unit.parent.name})" if repeated[unit.name] > 1 and unit.parent else unit.name)
            for unit in units]


def edition_has_districts(edition: str) -> bool:
    return db.session.scalar(
        sa.select(sa.exists().where(Unit.edition == edition, Unit.level == "district"))
    )


def _read_rows(raw: bytes) -> tuple[list[_Row], list[tuple[int, str]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [(1, _("the file is not UTF-8 text (%(detail)s)", detail=exc.reason))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [(1, _("missing column: %(columns)s", columns=", ".join(missing)))]
    reader.fieldnames = header
    rows, problems = [], []
    for record in reader:
        line = reader.line_num
        values = {column: (record.get(column) or "").strip() for column in COLUMNS}
        if not any(values.values()):
            continue
        if not CODE.fullmatch(values["code"]):
            problems.append((line, _("the code %(code)r is not a number", code=values["code"][:20])))
        elif not values["name"]:
            problems.append((line, _("the name is empty")))
        elif len(values["name"]) > MAX_NAME:
            problems.append((line, _("the name is longer than %(count)d characters", count=MAX_NAME)))
        elif values["level"] not in LEVELS:
            problems.append((line, _("unknown level %(level)r (expected: %(levels)s)",
                                     level=values["level"], levels=", ".join(LEVELS))))
        else:
            rows.append(_Row(line=line, **values))
    return rows, problems


def _resolve_paths(rows: list[_Row], existing: dict[str, Unit], edition: str):
    """Give each row its path and depth, or a reason it has none."""
    by_code: dict[str, _Row] = {}
    problems = []
    for row in rows:
        if row.code in by_code:
            problems.append((row.line, _("duplicate code %(code)s (first on line %(first)d)",
                                         code=row.code, first=by_code[row.code].line)))
        else:
            by_code[row.code] = row
    paths: dict[str, str] = {}

    def level_of(code):
        return by_code[code].level if code in by_code else existing[code].level

    # Parent levels only ever point upwards (PARENT_LEVELS), so this recursion cannot loop.
    def path_of(code):
        if code in paths:
            return paths[code]
        if code not in by_code:
            return existing[code].path
        row = by_code[code]
        parent = row.parent_code
        if not parent:
            if PARENT_LEVELS[row.level]:
                raise ValueError(_("a %(level)s needs a parent unit", level=LEVEL_LABELS[row.level]))
            paths[code] = f"{edition}/{code}/"
            return paths[code]
        if parent not in by_code and parent not in existing:
            raise ValueError(_("unknown parent unit %(parent)s", parent=parent))
        if level_of(parent) not in PARENT_LEVELS[row.level]:
            raise ValueError(_("a %(level)s cannot belong to a %(parent_level)s",
                               level=LEVEL_LABELS[row.level], parent_level=LEVEL_LABELS[level_of(parent)]))
        path = path_of(parent) + f"{code}/"
        if len(path) > MAX_PATH:
            raise ValueError(_("the unit lies too deep in the tree"))
        paths[code] = path
        return path

    for row in by_code.values():
        try:
            path_of(row.code)
        except ValueError as exc:
            problems.append((row.line, str(exc)))
    return by_code, paths, problems


def _level_change_problems(by_code: dict[str, _Row], existing: dict[str, Unit]) -> list[tuple[int, str]]:
    """A unit may change level only if what hangs below it and the accounts placed at it still fit."""
    from app.access import levels_for_role, role_label
    from app.users.models import User

    changed = {unit.id: by_code[code] for code, unit in existing.items()
               if code in by_code and by_code[code].level != unit.level}
    if not changed:
        return []
    levels = {unit.id: unit.level for unit in existing.values()}
    problems = []
    for child in existing.values():
        row = changed.get(child.parent_id)
        if row and child.code not in by_code and row.level not in PARENT_LEVELS[child.level]:
            problems.append((row.line, _("%(child)s (a %(child_level)s) cannot stay under a %(level)s",
                                         child=child.label, child_level=LEVEL_LABELS[child.level],
                                         level=LEVEL_LABELS[row.level])))
    has_districts = any(row.level == "district" for row in by_code.values()) or \
        any(unit.level == "district" for unit in existing.values())
    for username, role, unit_id in db.session.execute(
            sa.select(User.username, User.role, User.unit_id).where(User.unit_id.in_(changed))):
        row = changed[unit_id]
        if row.level not in levels_for_role(role, has_districts):
            problems.append((row.line, _("the account %(username)s (%(role)s) would no longer fit a %(level)s",
                                         username=username, role=role_label(role, levels[unit_id]),
                                         level=LEVEL_LABELS[row.level])))
    return problems


def load_units(raw: bytes, edition: str) -> LoadResult:
    """Load a CSV list of units into `edition`, adding and updating, never deleting.

    The whole file is checked before anything is written; a bad file raises
    `UnitFileError` and leaves the database as it was. Loading the same file twice
    changes nothing the second time.
    """
    if not EDITION.fullmatch(edition or ""):
        raise UnitFileError([(0, _("the list name %(edition)r must be letters and digits (e.g. 2025)",
                                   edition=edition))])
    rows, problems = _read_rows(raw)
    existing = {unit.code: unit for unit in db.session.scalars(sa.select(Unit).where(Unit.edition == edition))}
    by_code, paths, path_problems = _resolve_paths(rows, existing, edition)
    problems = sorted(problems + path_problems + _level_change_problems(by_code, existing))
    if problems:
        raise UnitFileError.listing(problems)
    if not by_code:
        raise UnitFileError([(1, _("the file holds no units"))])

    result = LoadResult()
    units = dict(existing)
    moved: list[tuple[str, str]] = []
    # Parents before children, so that each child finds its parent among `units`.
    for code, row in sorted(by_code.items(), key=lambda item: paths[item[0]].count("/")):
        parent = units[row.parent_code] if row.parent_code else None
        parent_id = parent.id if parent is not None else None
        unit = existing.get(code)
        if unit is None:
            units[code] = Unit(edition=edition, code=code, name=row.name, level=row.level, parent=parent,
                               path=paths[code])
            db.session.add(units[code])
            result.created += 1
        elif (unit.name, unit.level, unit.parent_id, unit.path) == (row.name, row.level, parent_id, paths[code]):
            result.unchanged += 1
        else:
            if unit.path != paths[code]:
                moved.append((unit.path, paths[code]))
            unit.name, unit.level, unit.parent, unit.path = row.name, row.level, parent, paths[code]
            result.updated += 1
    for code, unit in existing.items():
        if code not in by_code:
            _follow_moved_ancestor(unit, moved)
    db.session.commit()
    return result


def _follow_moved_ancestor(unit: Unit, moved: list[tuple[str, str]]) -> None:
    """A unit the file did not mention keeps its place under a parent that moved."""
    for old_path, new_path in moved:
        if unit.path.startswith(old_path):
            unit.path = new_path + unit.path[len(old_path):]
            return


def name_in_its_time(unit: Unit, *, district: bool = False) -> str:
    """The unit as it was called while it existed: a unit in force by its name ("Xã Mao Điền"); one a
    reorganisation ended, a commune with the district above it, and until when ("Xã Cẩm Phúc, huyện Cẩm Giàng
    (trước 01/07/2025)"). `district` names a commune's district while it is still in force too (the preview of a
    run, which lists the communes it will end)."""
    name = unit.name
    if unit.ending is None and not district:
        return name
    if unit.level == "commune" and unit.parent is not None and unit.parent.level == "district":
        parent = unit.parent.name
        name = f"{name}, {parent[:1].lower()}{parent[1:]}"
    if unit.ending is not None:
        return _("%(name)s (before %(day)s)", name=name, day=unit.ending.ended_on.strftime("%d/%m/%Y"))
    return name
