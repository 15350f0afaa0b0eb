"""What a person reads of the audit trail.

Each entry becomes a sentence naming who did what to which record ("Lãnh đạo UBND xã Nguyễn Văn Bình phê duyệt kế
hoạch hỗ trợ của hồ sơ HD-10933-2026-0021"), its changed fields under their labels with their values in the
reader's language, the people, units and records its ids name, and its time local (dd/mm/yyyy HH:MM).

Each area describes its own tables, actions and kinds of record (`describe_table`, `describe_action`,
`describe_reference`, in the area's narrative.py; app/narratives.py imports them all), so that this module
imports none of the areas. A `Narrator` reads what a batch of entries names with one query per kind of
record, never one per entry, and keeps what it read for the next batch: the CSV export tells a million
entries in batches of a thousand.
"""
from __future__ import annotations

import json
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_translations
from flask_babel import gettext as babel_gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from app.access import ROLE_LABELS_AT_LEVEL, role_labels
from app.audit.recorder import ACTIONS as ACTION_LABELS
from app.audit.recorder import FOLDED_ROWS, REDACTED
from app.extensions import db
from app.input_guard import whole_number

ROW_ACTIONS = ("create", "update", "delete")
NOTHING = "–"
# How many records a narrator keeps between batches before it reads them afresh.
KEPT_RECORDS = 50_000
LOADED_AT_ONCE = 1000
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The translations of the narrator at work, and what it has translated so far.
_WORDS: ContextVar[tuple | None] = ContextVar("narrative_words", default=None)


def translate(message: str, **variables) -> str:
    """gettext that remembers each translation while a narrator tells: Flask-Babel's own costs some 60 µs a call,
    and an export of a million entries asks it millions of times. The areas' sentences import it as `_`."""
    words = _WORDS.get()
    if words is None:
        return babel_gettext(message, **variables)
    translations, known = words
    text = known.get(message)
    if text is None:
        text = known[message] = translations.ugettext(message)
    return text % variables if variables else text


_ = translate


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the field had no value before (a record created)
    after: str | None  # None: nothing after (a record deleted)


@dataclass(frozen=True)
class Told:
    """One entry as a person reads it."""

    id: int
    time: str
    person: str
    role: str
    unit: str
    sentence: str
    case: str
    changes: list[Change]

    def changes_text(self) -> str:
        """The changes on one line, for a spreadsheet cell or a printed table."""
        return "; ".join(_change_text(change) for change in self.changes)


def _change_text(change: Change) -> str:
    if change.before is None:
        return f"{change.label}: {change.after}"
    if change.after is None:
        return f"{change.label}: {change.before}"
    return f"{change.label}: {change.before} → {change.after}"


@dataclass(frozen=True)
class Person:
    """What the kind "person" reads of an account: sentences name people by their full name."""

    name: str

    def __str__(self) -> str:
        return self.name


Sentence = Callable[["Reading"], "str | None"]
Formatter = Callable[["Reading", Any], str]


@dataclass
class Table:
    """How an audited table is told. `record` names one of its records ("the support plan of case X");
    `sentence` tells a notable change and returns None for the rest, which get the generic sentence."""

    record: Callable[[Reading], str]
    fields: Mapping[str, Any]
    hidden: frozenset[str] = frozenset()
    values: Mapping[str, Mapping] = field(default_factory=dict)
    references: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, Formatter] = field(default_factory=dict)
    subject: str | None = None
    sentence: Sentence | None = None
    withheld_in_history: frozenset[str] = frozenset()
    # Its sentences read the level of the record's unit (`Reading.unit_level`): a supervisor is named for it.
    reads_unit_level: bool = False
    # The table's columns, and the kind of each one's values ("bool", "date", "time" or "data"), from the model.
    columns: tuple[str, ...] = ()
    kinds: Mapping[str, str] = field(default_factory=dict)
    order: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Action:
    """How an entry that is not a row change (a sign-in, a view, a refusal) is told."""

    sentence: Sentence
    fields: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, Mapping] = field(default_factory=dict)
    formats: Mapping[str, Formatter] = field(default_factory=dict)
    subject: str | None = None


TABLES: dict[str, Table] = {}
ACTIONS: dict[str, Action] = {}
# kind -> loader(session, keys) -> {key: what the area's sentences read of it}
REFERENCES: dict[str, Callable[[sa.orm.Session, set], Mapping]] = {}


def describe_table(model, *, record: Callable[[Reading], str], fields: Mapping[str, Any], hidden: Iterable[str] = (),
                   values: Mapping[str, Mapping] | None = None, references: Mapping[str, str] | None = None,
                   formats: Mapping[str, Formatter] | None = None, subject: str | None = None,
                   sentence: Sentence | None = None, withheld_in_history: Iterable[str] = (),
                   reads_unit_level: bool = False) -> None:
    """Tell the entries of `model`'s table: `fields` labels its columns (in the order they are shown), `hidden`
    names bookkeeping nobody reads, `values` labels coded values, `references` names the kind of record an id
    column points to, `subject` the kind of record the table's own ids are."""
    columns = model.__table__.columns
    TABLES[model.__tablename__] = Table(
        record=record, fields=fields, hidden=frozenset(hidden), values=values or {},
        references=references or {}, formats=formats or {}, subject=subject, sentence=sentence,
        withheld_in_history=frozenset(withheld_in_history), reads_unit_level=reads_unit_level,
        kinds={column.name: kind for column in columns if (kind := _kind_of(column.type))},
        columns=tuple(column.name for column in columns), order={name: index for index, name in enumerate(fields)})


def _kind_of(column_type) -> str | None:
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    for kind, types in (("bool", sa.Boolean), ("time", sa.DateTime), ("date", sa.Date), ("data", sa.JSON)):
        if isinstance(column_type, types):
            return kind
    return None


def describe_action(action: str, sentence: Sentence, *, fields: Mapping[str, Any] | None = None,
                    values: Mapping[str, Mapping] | None = None, formats: Mapping[str, Formatter] | None = None,
                    subject: str | None = None) -> None:
    ACTIONS[action] = Action(sentence=sentence, fields=fields or {}, values=values or {}, formats=formats or {},
                             subject=subject)


def describe_reference(kind: str, load: Callable[[sa.orm.Session, set], Mapping]) -> None:
    """`load(session, keys)` reads the records of `kind` named by `keys`, in one query."""
    REFERENCES[kind] = load


def as_changes(text: str | None) -> dict:
    if not text:
        return {}
    try:
        changes = json.loads(text)
    except ValueError:
        return {}
    return changes if isinstance(changes, dict) else {}


@dataclass(frozen=True)
class _FoldedRow:
    """A row change an entry of `one_entry_each` carries (app/audit/recorder.py), read as the row's own entry
    would be: under the entry's actor, case and unit."""

    entry: Any
    action: str
    entity: str | None
    entity_id: str | None
    changes: dict

    def __getattr__(self, name):
        return getattr(self.entry, name)


class Reading:
    """One entry while it is told: what the areas' sentences read of it.

    `person` (who acted, by name), `role` (their role's label) and `actor` (both, as a sentence names them:
    "Nguyễn Văn Bình (Commune leader)") are set once the records the batch names are read (`introduce`).
    An entry that tells several rows at once has a reading of each in `rows`.
    """

    def __init__(self, narrator: Narrator, entry, changes: dict | None = None):
        self.narrator = narrator
        self.entry = entry
        self.action = entry.action
        self.row = entry.action in ROW_ACTIONS
        self.table = TABLES.get(entry.entity) if self.row else None
        self.described = ACTIONS.get(entry.action)
        self.changes = as_changes(entry.changes) if changes is None else changes
        self.case = entry.case_ref or ""
        self.entity_id = whole_number(entry.entity_id) if entry.entity_id else None
        self.person = self.role = self.actor = ""
        folded = [] if self.row else self.changes.get(FOLDED_ROWS)
        self.rows = [Reading(narrator, _FoldedRow(entry, row["action"], row.get("entity"), row.get("entity_id"), {}),
                             changes=row["changes"])
                     for row in folded if _is_folded_row(row)] if isinstance(folded, list) else []

    def introduce(self) -> None:
        entry = self.entry
        known = self.ref("person", entry.actor_id)
        self.person = known.name if known is not None else describe_actor_name(entry.actor)
        level = self.ref("unit_code_level", self.actor_unit_key()) if entry.actor_unit else None
        self.role = self.narrator.label_of(role_labels(level), entry.actor_role) if entry.actor_role else ""
        self.actor = _("%(name)s (%(role)s)", name=self.person, role=self.role) if self.role else self.person

    # What the areas' sentences ask.

    @property
    def record(self) -> str:
        """The record the entry is about, named ("the support plan of case X")."""
        if self.table is None:
            return _("a record no. %(id)s", id=self.entry.entity_id or "")
        return self.table.record(self)

    @property
    def subject(self):
        """What the table's or the action's `subject` kind reads for the entry's record, or None."""
        kind = self._subject_kind()
        return self.ref(kind, self.entity_id) if kind and self.entity_id is not None else None

    def _subject_kind(self) -> str | None:
        described = self.table or self.described
        return described.subject if described else None

    def _pair(self, name: str) -> list | None:
        value = self.changes.get(name)
        return value if isinstance(value, list) and len(value) == 2 else None

    def before(self, name: str):
        pair = self._pair(name)
        return pair[0] if pair else None

    def after(self, name: str):
        """The value after the change; for an entry that is not a row change, the value it holds."""
        pair = self._pair(name)
        if pair:
            return pair[1]
        return None if self.row else self.changes.get(name)

    def value(self, name: str):
        """The field's value after the change, or before it for a record deleted."""
        after = self.after(name)
        return self.before(name) if after is None else after

    def changed(self, name: str) -> bool:
        return name in self.changes

    def became(self, name: str, value) -> bool:
        return name in self.changes and self.after(name) == value and self.before(name) != value

    def ref(self, kind: str, key):
        """The record of `kind` named by `key`, as the kind's loader read it; None when unknown or gone."""
        if key is None:
            return None
        return self.narrator.known.get(kind, {}).get(key)

    def shown(self, name: str, value) -> str:
        """The value of the field `name` as a person reads it."""
        return self.narrator.shown(self, name, value)

    def field_labels(self) -> str:
        """The labels of the changed fields, for a generic sentence: "Description, Place"."""
        fields = self.table.fields if self.table else {}
        return ", ".join(self.narrator.label(label) for name, label in fields.items() if name in self.changes)

    # What the narrator asks.

    def wanted(self) -> Iterable[tuple[str, Any]]:
        entry = self.entry
        if entry.actor_id is not None:
            yield "person", entry.actor_id
        if entry.actor_unit:
            yield "unit_code", self.actor_unit_key()
            # A supervisor is named for the level where they acted: a district, or a province without districts.
            if any(entry.actor_role == role for role, _level in ROLE_LABELS_AT_LEVEL):
                yield "unit_code_level", self.actor_unit_key()
        if self.table is not None and self.table.reads_unit_level and entry.unit_path:
            yield "unit_code_level", self._unit_key()
        kind = self._subject_kind()
        if kind and self.entity_id is not None:
            yield kind, self.entity_id
        references = self.table.references if self.table else {}
        for name, kind in references.items():
            if name in self.changes:
                for value in (self.before(name), self.after(name)):
                    if isinstance(value, int) and not isinstance(value, bool):
                        yield kind, value
        for row in self.rows:
            yield from row.wanted()

    @property
    def unit_level(self) -> str | None:
        """The level of the unit the entry is filed under (the record's), for a table that `reads_unit_level`."""
        return self.ref("unit_code_level", self._unit_key()) if self.entry.unit_path else None

    def _unit_key(self) -> tuple[str, str]:
        """(edition, code) of the unit the entry is filed under: its path's first and last parts."""
        parts = self.entry.unit_path.strip("/").split("/")
        return parts[0], parts[-1]

    def actor_unit_key(self) -> tuple[str, str]:
        """(edition, code) of the actor's unit: codes are unique within an official list, and the entry's unit
        path starts with its list's name."""
        path = self.entry.unit_path or ""
        edition = path.split("/", 1)[0] if "/" in path else current_app.config["UNITS_EDITION"]
        return edition, self.entry.actor_unit


def _is_folded_row(row) -> bool:
    return isinstance(row, dict) and row.get("action") in ROW_ACTIONS and isinstance(row.get("changes"), dict)


def describe_actor_name(actor: str | None) -> str:
    """Who acted, when no account names them: nobody signed in, the command line, or the database itself."""
    if not actor:
        return _("Someone not signed in")
    if actor.startswith("cli:"):
        return _("The command line (%(account)s)", account=actor[4:])
    if actor.startswith("db:"):
        return _("The database account %(account)s, outside the application", account=actor[3:])
    return actor


class Narrator:
    """Tells entries, reading what they name batch by batch. One per page or export."""

    def __init__(self, session, for_history: bool = False):
        self.session = session
        self.for_history = for_history
        self.zone = ZoneInfo(current_app.config["APP_TIMEZONE"])
        self.known: dict[str, dict] = {}
        self._words = (get_translations(), {})
        self._labels: dict[int, tuple] = {}

    def tell(self, entries: Iterable) -> list[Told]:
        words = _WORDS.set(self._words)
        try:
            readings = [Reading(self, entry) for entry in entries]
            self._read_references(readings)
            for reading in readings:
                reading.introduce()
            return [self._told(reading) for reading in readings]
        finally:
            _WORDS.reset(words)

    def label(self, text) -> str:
        """A label (a lazy translation kept in a module) in the narrator's language, translated once."""
        known = self._labels.get(id(text))
        if known is None:
            known = self._labels[id(text)] = (text, str(text))  # holding `text` keeps its id its own
        return known[1]

    def label_of(self, labels: Mapping, value) -> str:
        """The label of a coded value, or the value itself when it has none."""
        found = labels.get(value) if isinstance(value, (str, int)) else None
        return self.label(found) if found is not None else str(value)

    def _read_references(self, readings: list[Reading]) -> None:
        if sum(len(known) for known in self.known.values()) > KEPT_RECORDS:
            self.known.clear()
        wanted: dict[str, set] = {}
        for reading in readings:
            for kind, key in reading.wanted():
                wanted.setdefault(kind, set()).add(key)
        for kind, keys in wanted.items():
            known = self.known.setdefault(kind, {})
            missing = [key for key in keys if key not in known]
            # A printed extract names thousands: a statement's list of keys stays short enough for any database.
            for start in range(0, len(missing), LOADED_AT_ONCE):
                asked = set(missing[start:start + LOADED_AT_ONCE])
                found = REFERENCES[kind](self.session, asked)
                known.update(found)
                # Remember what is gone too, so that it is not asked for again.
                known.update({key: None for key in asked if key not in found})

    def _told(self, reading: Reading) -> Told:
        entry = reading.entry
        unit = reading.ref("unit_code", reading.actor_unit_key()) if entry.actor_unit else None
        return Told(id=entry.id, time=self.local(entry.at), person=reading.person, role=reading.role,
                    unit=unit or entry.actor_unit or "", sentence=_finished(self.sentence(reading)),
                    case=reading.case, changes=self.changes_of(reading))

    def sentence(self, reading: Reading) -> str:
        if reading.table is not None:
            told = reading.table.sentence(reading) if reading.table.sentence else None
            return told or generic_sentence(reading)
        if reading.described is not None:
            return reading.described.sentence(reading)
        if reading.row:
            return generic_sentence(reading)
        return _("%(actor)s: %(action)s.", actor=reading.actor, action=reading.action)

    def changes_of(self, reading: Reading) -> list[Change]:
        if reading.row:
            return self._row_changes(reading)
        labels = reading.described.fields if reading.described else {}
        told = [Change(self.label(label), None, self.shown(reading, name, reading.after(name)))
                for name, label in labels.items() if reading.changes.get(name) not in (None, "")]
        for row in reading.rows:
            told.extend(self._row_changes(row))
        return told

    def _row_changes(self, reading: Reading) -> list[Change]:
        table, changes = reading.table, reading.changes
        if table is None:
            return [Change(name, None, json.dumps(value, ensure_ascii=False)) for name, value in changes.items()]
        shown = []
        # In the order the table lists its fields; a column added since and not yet labelled comes last, shown
        # rather than lost.
        for name in sorted(changes, key=lambda name: table.order.get(name, len(table.order))):
            if name in table.hidden:
                continue
            label = table.fields.get(name)
            before, after = reading.before(name), reading.after(name)
            shown.append(Change(self.label(label) if label is not None else name,
                                None if reading.action == "create" else self.shown(reading, name, before),
                                None if reading.action == "delete" else self.shown(reading, name, after)))
        return shown

    def shown(self, reading: Reading, name: str, value) -> str:
        if value is None or value == "":
            return NOTHING
        described = reading.table or reading.described
        if reading.table is not None and self.for_history and name in reading.table.withheld_in_history:
            return _("(not shown)")
        if value == REDACTED:
            return _("(secret)")
        if described is not None:
            formatter = described.formats.get(name)
            if formatter is not None:
                return formatter(reading, value)
            kind = reading.table.references.get(name) if reading.table else None
            if kind is not None:
                found = reading.ref(kind, value)
                return str(found) if found is not None else _("no. %(id)s", id=value)
            labels = described.values.get(name)
            if labels is not None:
                return self.label_of(labels, value)
            column_kind = reading.table.kinds.get(name) if reading.table else None
            if column_kind is not None:
                return self.by_kind(column_kind, value)
        if isinstance(value, bool):
            return self.by_kind("bool", value)
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def by_kind(self, kind: str, value) -> str:
        """A value by the kind of its column: yes or no, a day, a local time."""
        if kind == "bool":
            return _("Yes") if value else _("No")
        if isinstance(value, str):
            try:
                if kind == "time":
                    return self.local(datetime.fromisoformat(value))
                if kind == "date" and _ISO_DAY.fullmatch(value):
                    return date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                pass
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def local(self, moment: datetime | None) -> str:
        """dd/mm/yyyy HH:MM in the app's time zone."""
        if moment is None:
            return ""
        if moment.tzinfo is None:  # stored UTC without an offset (SQLite, read outside the ORM)
            moment = moment.replace(tzinfo=ZoneInfo("UTC"))
        return moment.astimezone(self.zone).strftime("%d/%m/%Y %H:%M")


def generic_sentence(reading: Reading) -> str:
    """The sentence of a change no area tells in its own words."""
    if reading.action == "create":
        return _("%(actor)s created %(record)s.", actor=reading.actor, record=reading.record)
    if reading.action == "delete":
        return _("%(actor)s deleted %(record)s.", actor=reading.actor, record=reading.record)
    fields = reading.field_labels()
    if not fields:  # only bookkeeping (a version, a time of update) moved
        return _("%(actor)s updated %(record)s.", actor=reading.actor, record=reading.record)
    return _("%(actor)s changed %(record)s: %(fields)s.", actor=reading.actor, record=reading.record, fields=fields)


def _finished(sentence: str) -> str:
    """Capitalised, and without the second full stop of a person's words that ended the sentence already."""
    if sentence.endswith("..") and not sentence.endswith("..."):
        sentence = sentence[:-1]
    return sentence[:1].upper() + sentence[1:]


def narrate(entries: Iterable, session=None, for_history: bool = False) -> list[Told]:
    """`entries` as people read them, reading what they name in one query per kind."""
    return Narrator(session or db.session, for_history=for_history).tell(entries)


# The trail's own actions: reading it, checking it, and refusals.

FILTERS = {"since": _l("From"), "until": _l("To"), "actor": _l("Person (username)"), "unit": _l("Unit code"),
           "case": _l("Case reference"), "action": _lp("audit", "Action")}
# What a refused request asked for, by the table its id belongs to.
REFUSED_RECORDS = {
    "cases": _l("case %(id)s"),
    "children": _l("the page of child no. %(id)s"),
    "referrals": _l("referral %(id)s"),
    "escalations": _l("escalation %(id)s"),
    "providers": _l("provider no. %(id)s"),
    "users": _l("the account no. %(id)s"),
    "units": _l("the unit with code %(id)s"),
    "audit_entries": _l("audit entry %(id)s"),
}


def _audit_view(reading: Reading) -> str:
    if reading.entry.entity == "audit_entries":
        return _("%(actor)s read audit entry %(number)s.", actor=reading.actor, number=reading.entry.entity_id)
    return _("%(actor)s read the audit trail.", actor=reading.actor)


def _audit_export(reading: Reading) -> str:
    if reading.after("format") == "pdf":
        return _("%(actor)s printed an audit extract of %(count)s entries.", actor=reading.actor,
                 count=reading.after("entries"))
    return _("%(actor)s exported the audit trail as CSV.", actor=reading.actor)


def _audit_verify(reading: Reading) -> str:
    if reading.after("ok"):
        return _("%(actor)s checked the audit chain: whole, %(count)s entries.", actor=reading.actor,
                 count=reading.after("entries"))
    return _("%(actor)s checked the audit chain: broken at entry %(number)s.", actor=reading.actor,
             number=reading.after("first_broken"))


def _access_denied(reading: Reading) -> str:
    entry = reading.entry
    record = REFUSED_RECORDS.get(entry.entity)
    if reading.after("status") == 404 and record is not None and entry.entity_id:
        return _("%(actor)s asked for %(record)s, which is outside their reach; it was refused.", actor=reading.actor,
                 record=reading.narrator.label(record) % {"id": entry.entity_id})
    return _("%(actor)s was refused %(path)s: their role may not use it.", actor=reading.actor,
             path=reading.after("path") or "–")


def _action_label(reading: Reading, value) -> str:
    return reading.narrator.label_of(ACTION_LABELS, value)


def _filter_moment(reading: Reading, value) -> str:
    """A filter's day (kept as YYYY-MM-DD) or moment (ISO), as people write them."""
    kind = "date" if isinstance(value, str) and _ISO_DAY.fullmatch(value) else "time"
    return reading.narrator.by_kind(kind, value)


FILTER_FORMATS = {"action": _action_label, "since": _filter_moment, "until": _filter_moment}
describe_action("audit_view", _audit_view, fields=FILTERS, formats=FILTER_FORMATS)
describe_action("audit_export", _audit_export, fields=FILTERS, formats=FILTER_FORMATS)
describe_action("audit_verify", _audit_verify)
describe_action("access_denied", _access_denied, fields={"path": _l("Address asked for")})
