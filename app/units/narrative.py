"""How the trail tells administrative units (app/audit/narrative.py): by their names, never their ids."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.audit.narrative import Reading, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.units.models import LEVEL_LABELS, Unit, UnitEnding
from app.units.services import name_in_its_time


def _named(session, condition) -> list[tuple[Unit, str]]:
    """The units that meet `condition`, each by its name; a unit a reorganisation ended by its name then ("Xã Cẩm
    Phúc, huyện Cẩm Giàng (trước 01/07/2025)"). Its district and its end are read in the same query."""
    units = session.scalars(sa.select(Unit).where(condition)
                            .options(joinedload(Unit.parent), joinedload(Unit.ending))).unique()
    return [(unit, name_in_its_time(unit)) for unit in units]


def unit_names(session, ids) -> dict[int, str]:
    return {unit.id: name for unit, name in _named(session, Unit.id.in_(ids))}


def _units_by_code(session, keys) -> dict[tuple[str, str], str]:
    """The units named by (official list, code): where the trail names the actor's unit by its code."""
    return {(unit.edition, unit.code): name
            for unit, name in _named(session, sa.tuple_(Unit.edition, Unit.code).in_(list(keys)))}


def _unit_levels_by_code(session, keys) -> dict[tuple[str, str], str]:
    """The levels of the units named by (official list, code): the actor's role may be named for it."""
    rows = session.execute(sa.select(Unit.edition, Unit.code, Unit.level)
                           .where(sa.tuple_(Unit.edition, Unit.code).in_(list(keys))))
    return {(edition, code): level for edition, code, level in rows}


def _unit(reading: Reading) -> str:
    name = reading.subject or reading.value("name")
    code = reading.value("code")
    if name and code:
        return f"{name} ({code})"
    return name or _("no. %(id)s", id=reading.entry.entity_id)


def _record(reading: Reading) -> str:
    return _("the unit %(unit)s", unit=_unit(reading))


def _sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s added the unit %(unit)s (official list %(edition)s).", actor=reading.actor,
                 unit=_unit(reading), edition=reading.after("edition"))
    if reading.action == "update" and reading.changed("name"):
        return _("%(actor)s renamed the unit %(before)s to %(after)s.", actor=reading.actor,
                 before=reading.before("name"), after=reading.after("name"))
    return None


describe_reference("unit", unit_names)
describe_reference("unit_code", _units_by_code)
describe_reference("unit_code_level", _unit_levels_by_code)
describe_table(
    Unit, record=_record, sentence=_sentence, subject="unit",
    fields={"name": _l("Name"), "code": _l("Code"), "level": _l("Level"), "parent_id": _l("Unit above"),
            "edition": _l("Official list")},
    hidden=("id", "path"),
    values={"level": LEVEL_LABELS},
    references={"parent_id": "unit"})


def _ending_sentence(reading: Reading) -> str | None:
    if reading.action != "create":
        return None
    return _("%(unit)s ended on %(day)s (reorganisation no. %(run)s); %(heir)s holds its records.",
             unit=reading.shown("unit_id", reading.value("unit_id")),
             day=reading.shown("ended_on", reading.value("ended_on")), run=reading.value("run_id"),
             heir=reading.shown("heir_id", reading.value("heir_id")))


describe_table(
    UnitEnding, sentence=_ending_sentence,
    record=lambda reading: _("the end of %(unit)s", unit=reading.shown("unit_id", reading.value("unit_id"))),
    fields={"unit_id": _l("Unit"), "ended_on": _l("Ended on"), "heir_id": _l("Records held by"),
            "run_id": _l("Reorganisation")},
    references={"unit_id": "unit", "heir_id": "unit"})
