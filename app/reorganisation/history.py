"""Where a case was, and where it is now, across reorganisations (issue 16: history keeps its names).

A case a run moved keeps its moves (`Move`, entity "cases"); a closed case stays at its ended unit, held by that
unit's heir. Pages and printouts name the unit as it was then with `name_in_its_time` (app/units/services.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.cases.models import Case
from app.extensions import db
from app.reorganisation.models import Move
from app.units.models import Unit


@dataclass(frozen=True)
class Whereabouts:
    """The case's unit now and the units it belonged to before."""

    unit: Unit  # the case's own unit (an ended one, for a closed case that stayed there)
    holder: Unit  # who holds it now: the unit itself, or its heir once it has ended
    moves: list[Move]  # oldest first

    @property
    def waiting(self) -> Move | None:
        """The move of a case held by its new province until a person chooses its commune."""
        return next((move for move in self.moves if move.waiting), None)

    @property
    def moved(self) -> bool:
        return bool(self.moves)


def holder_of(unit: Unit) -> Unit:
    """The unit that holds the records of `unit` now: itself while it exists, else its heir (and theirs)."""
    while unit.ending is not None:
        unit = unit.ending.heir
    return unit


def case_moves(case: Case) -> list[Move]:
    """The reorganisations' moves of the case itself (not of its referrals or escalations), oldest first."""
    return list(db.session.scalars(
        sa.select(Move).where(Move.case_id == case.id, Move.entity == "cases", Move.entity_id == case.id)
        .options(selectinload(Move.run), selectinload(Move.to_unit), selectinload(Move.held_by),
                 selectinload(Move.decided_by))
        .order_by(Move.moved_at, Move.id)))


def whereabouts(case: Case) -> Whereabouts:
    return Whereabouts(unit=case.unit, holder=holder_of(case.unit), moves=case_moves(case))


def unit_on(case: Case, day: date | None, moves: list[Move] | None = None) -> Unit:
    """The unit that acted for the case on `day`: before a reorganisation took effect, the unit the case was at
    then; from that day on (and for a paper not dated yet), the unit that holds it now."""
    moves = case_moves(case) if moves is None else moves
    if day is not None:
        for move in moves:
            if day < move.run.effective_on:
                return move.from_unit
        if case.unit.ending is not None and day < case.unit.ending.ended_on:
            return case.unit
    return holder_of(case.unit)
