"""The register out to a spreadsheet and back (issue 18, point 3): the same columns both ways, so that a list can go
to the population database's matching and come back.

Reading a file changes nothing: each row is parsed, checked and matched to a child on record (by the 12-digit
personal ID, else by the name without diacritics and the birth date) and shown as new, matched, conflicting or
invalid, with its reasons.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import selectinload

from app.audit.recorder import one_entry_each, record
from app.children.models import SEXES, Child
from app.extensions import db
from app.register import services
from app.register.groups import GROUPS, LIVING_PLACES
from app.orm import utcnow
from app.register.models import RegisterEntry, RegisterGroup, RegisterImport
from app.spreadsheets import append_row, csv_row
from app.text import fold

# (key, header): the columns of an export and of an import, in this order.
COLUMNS = (("full_name", _l("Full name")), ("sex", _l("Sex")), ("date_of_birth", _l("Date of birth")),
           ("id_number", _l("Personal ID number")), ("group", _l("Group")), ("since", _l("In the group since")),
           ("living_place", _l("Lives")), ("lives_with", _l("With whom")), ("commune", _l("Commune")))
REQUIRED = ("full_name", "sex", "date_of_birth", "group")
PERSONAL_ID = re.compile(r"\d{12}")  # the citizen identity number (Law on Identification 2023 art. 12)
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10  # a title, a merged heading, the unit's name may come above the header

NEW, MATCHED, CONFLICTING, INVALID = "new", "matched", "conflicting", "invalid"

# Bytes CP1258 gives to Vietnamese letters and tone marks, which CP1252 reads as Western letters
# (ă, Ă, đ, Đ, ơ, Ơ, ư, Ư and the five combining tone marks).
CP1258_MARKS = frozenset(b"\xe3\xc3\xf0\xd0\xf5\xd5\xfd\xdd\xcc\xec\xd2\xde\xf2")


class FileRefused(Exception):
    """The file cannot be read at all: nothing is shown, nothing changes."""


@dataclass
class Row:
    number: int  # the row's number in the file, as the spreadsheet shows it
    values: dict
    status: str = NEW
    reasons: list[str] = field(default_factory=list)
    child_id: int | None = None


@dataclass
class Reading:
    encoding: str | None  # None for an XLSX file
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _headers() -> dict[str, str]:
    """Folded header -> column key, in Vietnamese and in English: a list may come back from either."""
    known = {}
    for locale in ("vi", "en"):
        with force_locale(locale):
            known.update({fold(str(label)): key for key, label in COLUMNS})
    return known


def _labels(table: dict) -> dict[str, str]:
    """Folded label (either language) or key -> key."""
    known = {key: key for key in table}
    for locale in ("vi", "en"):
        with force_locale(locale):
            known.update({fold(str(label)): key for key, label in table.items()})
    return known


# Export

def export_rows(entries: list[RegisterEntry]) -> list[list]:
    rows = [[str(label) for _key, label in COLUMNS]]
    for entry in entries:
        child = entry.child
        for group in entry.current_groups or [None]:
            rows.append([child.full_name, str(SEXES.get(child.sex, "")), _day(child.date_of_birth),
                         child.id_number or "", str(GROUPS[group.group_key]) if group else "",
                         _day(group.since) if group else "", str(LIVING_PLACES.get(entry.living_place, "")),
                         entry.lives_with or "", entry.unit.name])
    return rows


def export(user, entries: list[RegisterEntry], kind: str) -> bytes:
    """The entries as CSV (UTF-8 with its mark, which Excel needs to read Vietnamese) or XLSX; the export is in the
    trail, with how many children went out."""
    rows = export_rows(entries)
    record(db.session, "register_exported", entity="register_entries", unit_path=user.unit.path,
           changes={"children": len(entries), "format": kind})
    db.session.commit()
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(csv_row(row))
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = _("Register")
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# Import: reading and checking, which changes nothing

def read(data: bytes, filename: str) -> tuple[list[tuple[int, list]], str | None, list[str]]:
    """The file's rows (numbered as the spreadsheet shows them), the encoding of a CSV, and warnings."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data), None, []
    text, encoding, warnings = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    return [(number, row) for number, row in enumerate(rows, start=1)], encoding, warnings


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """The text of a CSV file and its encoding: UTF-8 when it is valid UTF-8; else Windows-1258 (Vietnamese) when
    its bytes hold Vietnamese letters or tone marks, Windows-1252 (Western) otherwise. The choice is told on the
    preview, never made silently."""
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig")), "utf-8", []
    except UnicodeDecodeError:
        pass
    warnings = []
    if any(byte in CP1258_MARKS for byte in data):
        try:
            return unicodedata.normalize("NFC", data.decode("cp1258")), "cp1258", warnings
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused(_("The file is neither UTF-8 nor a Windows (1258 or 1252) text file. Save it from Excel "
                            "as “CSV UTF-8” or as an Excel workbook, and send it again.")) from None
    if re.search(r"\w\?", text):
        warnings.append(_("The file was saved in the Western Windows encoding (1252), which has no Vietnamese "
                          "letters: some letters became “?”. Check the names, or save the file as “CSV UTF-8”."))
    return text, "cp1252", warnings


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(_("The file is not an Excel workbook that can be read. Save it again as .xlsx, or as "
                            "“CSV UTF-8”, and send it again.")) from None
    sheet = book.worksheets[0]
    # A merged cell's value sits in its first cell; the others are empty, which is what a header search wants.
    return [(row[0].row, [cell.value for cell in row]) for row in sheet.iter_rows() if row]


def check(user, data: bytes, filename: str, today: date) -> Reading:
    """Every row of the file checked and matched, nothing written."""
    rows, encoding, warnings = read(data, filename)
    headers = _headers()
    header_at = None
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {headers.get(fold(str(cell or ""))) for cell in cells} - {None}
        if set(REQUIRED) <= found:
            header_at = index
            break
    if header_at is None:
        raise FileRefused(_("No row of the file names the columns (at least: %(columns)s). Use the register's "
                            "export as the pattern.", columns=", ".join(str(label) for key, label in COLUMNS
                                                                        if key in REQUIRED)))
    keys = [headers.get(fold(str(cell or ""))) for cell in rows[header_at][1]]
    body = [(number, cells) for number, cells in rows[header_at + 1:] if any(_text(cell) for cell in cells)]
    if len(body) > MAX_ROWS:
        raise FileRefused(_("The file has more than %(count)d rows: split it.", count=MAX_ROWS))
    parsed = [_parse(number, keys, cells, today) for number, cells in body]
    _record_found_elsewhere(user, _match(user, parsed), filename)
    return Reading(encoding, parsed, warnings)


def _record_found_elsewhere(user, found: dict[str, services.Elsewhere], filename: str) -> None:
    """Naming the commune that registers a personal ID tells that the ID is known there: as at intake
    (`check_for_duplicates`), every such match is in the trail, under the reader and under the other commune's
    entry, so that the inspectors of both see it."""
    if not found:
        return
    record(db.session, "register_import_found_elsewhere", unit_path=user.unit.path,
           changes={"file": filename[:200], "matches": len(found)})
    for elsewhere in found.values():
        record(db.session, "register_import_found_elsewhere", entity="register_entries", entity_id=elsewhere.entry_id,
               unit_path=elsewhere.unit_path, changes={"file": filename[:200]})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


SEX_WORDS = {"nam": "male", "nu": "female", "male": "male", "female": "female", "m": "male", "f": "female"}


def _parse(number: int, keys: list, cells: list, today: date) -> Row:
    values, reasons = {}, []
    raw = {key: cells[index] if index < len(cells) else None for index, key in enumerate(keys) if key}
    name = " ".join(_text(raw.get("full_name")).split())
    if not name:
        reasons.append(_("The name is missing."))
    values["full_name"] = name
    sex = SEX_WORDS.get(fold(_text(raw.get("sex"))))
    if sex is None:
        sex = _labels(SEXES).get(fold(_text(raw.get("sex"))))
    if sex is None:
        reasons.append(_("The sex is not “Nam” or “Nữ”."))
    values["sex"] = sex
    born = _date(raw.get("date_of_birth"))
    if born is None:
        reasons.append(_("The date of birth is not a day (dd/mm/yyyy)."))
    elif born > today:
        reasons.append(_("The date of birth is in the future."))
    values["date_of_birth"] = born.isoformat() if born else None
    id_number = raw.get("id_number")
    # A spreadsheet that took the ID for a number dropped its leading zeros (most provinces' codes begin with 0).
    if isinstance(id_number, (int, float)) and float(id_number).is_integer() and 0 < id_number < 10 ** 12:
        id_number = f"{int(id_number):012d}"
    id_number = re.sub(r"\s", "", _text(id_number))
    if id_number and not PERSONAL_ID.fullmatch(id_number):
        reasons.append(_("A personal ID number has 12 digits."))
    values["id_number"] = id_number or None
    group = _labels(GROUPS).get(fold(_text(raw.get("group"))))
    if group is None:
        reasons.append(_("The group is not one of the register's."))
    values["group"] = group
    since = _date(raw.get("since")) if _text(raw.get("since")) else today
    if since is None or since > today:
        reasons.append(_("“In the group since” is not a past day (dd/mm/yyyy)."))
    values["since"] = since.isoformat() if since else None
    place_text = _text(raw.get("living_place"))
    place = _labels(LIVING_PLACES).get(fold(place_text)) if place_text else None
    if place_text and place is None:
        reasons.append(_("Where the child lives is not one of the register's choices."))
    values["living_place"] = place
    values["lives_with"] = _text(raw.get("lives_with"))[:200] or None
    return Row(number, values, INVALID if reasons else NEW, reasons)


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _match(user, rows: list[Row]) -> dict[str, services.Elsewhere]:
    """Each valid row matched to a child the reader may see: by the personal ID, else by the folded name and the
    birth date. A match that disagrees (the ID's child has another name or birth date, two rows or two children
    for one), or a child on another commune's register (by the ID, as a hand entry: `registered_elsewhere`, even
    one the reader does not see), is a conflict for a person to settle. Returns the IDs found elsewhere."""
    from app.access import register_kept_by, scoped_children

    kept = register_kept_by(user)
    valid = [row for row in rows if row.status != INVALID]
    ids = {row.values["id_number"] for row in valid if row.values["id_number"]}
    births = {row.values["date_of_birth"] for row in valid}
    visible = scoped_children(user).with_only_columns(Child.id)
    known = list(db.session.execute(
        sa.select(Child.id, Child.full_name, Child.date_of_birth, Child.id_number, RegisterEntry.unit_id)
        .outerjoin(RegisterEntry, RegisterEntry.child_id == Child.id)
        .where(Child.id.in_(visible), sa.or_(Child.id_number.in_(ids) if ids else sa.false(),
                                             Child.date_of_birth.in_([date.fromisoformat(day) for day in births])))))
    by_id = {child.id_number: child for child in known if child.id_number}
    elsewhere = services.registered_elsewhere(user, ids)
    by_name: dict[tuple, list] = {}
    for child in known:
        by_name.setdefault((fold(child.full_name), child.date_of_birth.isoformat() if child.date_of_birth else None),
                           []).append(child)
    seen: dict[int, int] = {}
    for row in valid:
        if row.values["id_number"] in elsewhere:
            _conflict(row, elsewhere[row.values["id_number"]].reason())
            continue
        key = (fold(row.values["full_name"]), row.values["date_of_birth"])
        child = by_id.get(row.values["id_number"]) if row.values["id_number"] else None
        if child is not None and (fold(child.full_name), child.date_of_birth.isoformat()
                                  if child.date_of_birth else None) != key:
            _conflict(row, _("The personal ID is on record for %(name)s, born %(day)s.", name=child.full_name,
                             day=_day(child.date_of_birth)))
            continue
        if child is None:
            candidates = by_name.get(key, [])
            if len(candidates) > 1:
                _conflict(row, _("Several children on record have this name and birth date."))
                continue
            child = candidates[0] if candidates else None
            if child is not None and child.id_number and row.values["id_number"]:
                _conflict(row, _("A child with this name and birth date is on record with another personal ID."))
                continue
        if child is None:
            continue
        if child.unit_id is not None and child.unit_id not in kept:
            _conflict(row, _("The child is on another commune's register."))
            continue
        if child.id in seen:
            _conflict(row, _("Row %(number)d is the same child.", number=seen[child.id]))
            continue
        seen[child.id] = row.number
        row.status, row.child_id = MATCHED, child.id
    return elsewhere


def _conflict(row: Row, reason: str) -> None:
    row.status = CONFLICTING
    row.reasons.append(reason)


# Import: the preview kept, then written all at once

PREVIEW_KEPT = timedelta(hours=2)


class ImportRefused(Exception):
    """The import cannot be written as it stands: nothing was."""


def stage(user, reading: Reading, filename: str) -> RegisterImport:
    """The checked rows kept for the confirmation, in the database (the hosts share nothing else)."""
    kept = RegisterImport(user_id=user.id, unit_id=user.unit_id, filename=filename[:200], encoding=reading.encoding,
                          rows=[{"number": row.number, "values": row.values, "status": row.status,
                                 "reasons": row.reasons} for row in reading.rows], warnings=reading.warnings)
    db.session.add(kept)
    db.session.commit()
    return kept


def staged(user, import_id: int | None) -> RegisterImport | None:
    """The reader's own preview, not yet written nor too old; another person's is not theirs (None)."""
    if import_id is None:
        return None
    return db.session.scalar(sa.select(RegisterImport).where(
        RegisterImport.id == import_id, RegisterImport.user_id == user.id, RegisterImport.applied_at.is_(None),
        RegisterImport.created_at > utcnow() - PREVIEW_KEPT))


def written_at(user, import_id: int):
    """When the reader's own list was written, for a preview opened again after it (the browser's Back)."""
    return db.session.scalar(sa.select(RegisterImport.applied_at).where(
        RegisterImport.id == import_id, RegisterImport.user_id == user.id, RegisterImport.applied_at.isnot(None)))


def rows_of(kept: RegisterImport) -> list[Row]:
    return [Row(item["number"], item["values"], item["status"], list(item["reasons"])) for item in kept.rows]


def born(row: Row) -> date | None:
    return date.fromisoformat(row.values["date_of_birth"]) if row.values.get("date_of_birth") else None


@dataclass
class Written:
    """What confirming a list did: children put on the register, children whose entry changed, rows left as they
    were."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


def apply(user, kept: RegisterImport, today: date) -> Written:
    """Write every row of the preview, or none: the rows are matched again (the register may have changed since),
    and an invalid or conflicting row refuses the whole file. Each child added or changed has ONE entry in the
    trail, naming the file and carrying every field it set; a child the file leaves as it was has none."""
    rows = rows_of(kept)
    for row in rows:
        if row.status != INVALID:
            row.status, row.reasons, row.child_id = NEW, [], None
    _match(user, rows)
    wrong = [row.number for row in rows if row.status in (INVALID, CONFLICTING)]
    if wrong:
        raise ImportRefused(_("Rows %(rows)s are invalid or conflict with the register: correct them in the file "
                              "and send it again. Nothing was written.", rows=", ".join(map(str, wrong[:20]))))
    # Looked up once for the whole file, not child by child.
    matched = {row.child_id for row in rows if row.status == MATCHED}
    children = {child.id: child for child in db.session.scalars(sa.select(Child).where(Child.id.in_(matched)))}
    entries = {entry.child_id: entry for entry in db.session.scalars(
        sa.select(RegisterEntry).where(RegisterEntry.child_id.in_(matched))
        .options(selectinload(RegisterEntry.groups), selectinload(RegisterEntry.unit)))}
    owners: dict[Child, RegisterEntry] = {}

    def owner(row):
        if isinstance(row, RegisterEntry):
            return row
        if isinstance(row, RegisterGroup):
            return row.entry
        return owners.get(row)

    try:
        # One flush at the end, not one per row: 5,000 rows flushed one by one took over two minutes.
        with db.session.no_autoflush, one_entry_each(db.session, "register_imported", owner,
                                                     {"file": kept.filename}):
            written = _write(user, rows, children, entries, today, owners)
        kept.applied_at = utcnow()
        db.session.commit()
    except _RowRefused as refusal:
        db.session.rollback()
        raise ImportRefused(_("Row %(number)d: %(reasons)s Nothing was written.", number=refusal.number,
                              reasons=refusal.reasons)) from None
    except sa.exc.IntegrityError:
        # Someone registered one of the file's children meanwhile: the check above passed for both.
        db.session.rollback()
        raise ImportRefused(_("Someone put one of these children on the register while the file was being read. "
                              "Nothing was written: send the file again.")) from None
    return written


class _RowRefused(Exception):
    def __init__(self, number: int, reasons: str):
        super().__init__(reasons)
        self.number, self.reasons = number, reasons


def _write(user, rows: list[Row], children: dict, entries: dict, today: date, owners: dict) -> Written:
    """The rows written, without a query per row; `owners` learns each child's register entry, under which the
    child's changes are told."""
    from app.children.services import ChildDetails, new_child

    written = Written()
    for row in rows:
        try:
            values = row.values
            membership = services.Membership(values["group"], None, date.fromisoformat(values["since"]))
            situation = services.Situation(values["living_place"] or "other", values["lives_with"])
            if row.status == NEW:
                child = new_child(ChildDetails(full_name=values["full_name"], sex=values["sex"],
                                               date_of_birth=date.fromisoformat(values["date_of_birth"]),
                                               id_number=values["id_number"], address_unit=user.unit))
                entry = services.register_child(user, child, situation, membership, today, registered=False)
            else:
                child = children[row.child_id]
                entry = entries.get(child.id)
                if values["id_number"] and not child.id_number:
                    child.id_number = values["id_number"]
                if entry is None:
                    entry = services.register_child(user, child, situation, membership, today, registered=False)
                else:
                    if all(group.group_key != values["group"] for group in entry.current_groups):
                        entry.groups.append(RegisterGroup(group_key=values["group"], since=membership.since))
                        services.sync_circumstances(entry)
                    _update_situation(entry, values)
        except services.RegisterRefused as refusal:
            raise _RowRefused(row.number, " ".join(message for messages in refusal.fields.values()
                                                   for message in messages)) from None
        owners[child] = entry
        if sa.inspect(entry).transient or sa.inspect(entry).pending:
            written.added += 1
        elif _changed(child) or _changed(entry) or any(_changed(group) for group in entry.groups):
            written.updated += 1
        else:
            written.unchanged += 1
    return written


def _update_situation(entry: RegisterEntry, values: dict) -> None:
    """Where and with whom the child lives, as the file says it; what the file leaves empty stays as recorded."""
    if values["living_place"] and values["living_place"] != entry.living_place:
        entry.living_place = values["living_place"]
    if values["lives_with"] and values["lives_with"] != entry.lives_with:
        entry.lives_with = values["lives_with"]


def _changed(row) -> bool:
    state = sa.inspect(row)
    return state.transient or state.pending or state.modified
