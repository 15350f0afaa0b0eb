"""The reorganisation's pages: the preview and the runs for a province's officers and administrators, and the cases
that wait for a person to choose their new commune. Each view loads within scope and calls one service."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.access import may_run_reorganisation, refuse, requires, scoped_waiting_moves
from app.cases.services import Invalid, NotAllowed
from app.extensions import db
from app.input_guard import whole_number
from app.reorganisation import services
from app.reorganisation.forms import PlaceCaseForm
from app.reorganisation.models import RULES, Move
from app.units.models import Unit
from app.units.services import name_in_its_time

bp = Blueprint("reorganisation", __name__, template_folder="templates")
# Each waiting case carries a list of the province's communes: a page holds this many, the oldest first.
WAITING_PAGE = 25


@bp.route("/reorganisation/")
@requires("units.reorganise")
def overview():
    plan = services.preview_for(current_user.unit)
    return render_template("reorganisation/overview.html", plan=plan, runs=services.runs_for(current_user.unit),
                           may_run=plan is not None and may_run_reorganisation(current_user),
                           waiting_cases=db.session.scalar(scoped_waiting_moves(current_user).with_only_columns(
                               sa.func.count())), rules=RULES, name_in_its_time=name_in_its_time)


@bp.route("/reorganisation/run", methods=["POST"])
@requires("units.reorganise")
def run():
    if not may_run_reorganisation(current_user):
        refuse(403)
    try:
        result = services.reorganise_province_of(current_user)
    except services.CannotReorganise as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("reorganisation.overview"))
    if result.run is None:
        flash(_("Nothing was carried out: every unit was carried out already."), "info")
    else:
        flash(_("Reorganisation no. %(run)d is done: %(cases)d open cases went to their new commune and %(waiting)d "
                "wait for an officer of the province to choose it; %(closed)d accounts were closed and are listed in "
                "Accounts for you to place anew.", run=result.run.id, cases=result.moved["cases"],
                waiting=result.waiting, closed=result.moved["users_closed"]), "success")
    return redirect(url_for("reorganisation.overview"))


def _choices(move: Move) -> list[SelectChoice]:
    suggested, others = services.communes_for(move)
    group_suggested = _("Successors of %(unit)s", unit=move.from_unit.name)
    group_others = _("Other communes of %(province)s", province=move.held_by.name)
    return [SelectChoice("", _("Choose the commune where the child lives"))] + \
        [SelectChoice(str(unit.id), unit.name, optgroup=group_suggested) for unit in suggested] + \
        [SelectChoice(str(unit.id), unit.name, optgroup=group_others) for unit in others]


def _render_waiting(forms: dict | None = None, status: int = 200):
    moves = services.waiting_cases(current_user, limit=WAITING_PAGE)
    forms = forms or {}
    for move in moves:
        forms.setdefault(move.id, PlaceCaseForm(prefix=f"move{move.id}"))
        forms[move.id].commune.choices = _choices(move)
    total = db.session.scalar(scoped_waiting_moves(current_user).with_only_columns(sa.func.count()))
    return render_template("reorganisation/waiting.html", moves=moves, forms=forms, total=total,
                           name_in_its_time=name_in_its_time), status


@bp.route("/reorganisation/waiting")
@requires("cases.place")
def waiting():
    return _render_waiting()


@bp.route("/reorganisation/waiting/<int(max=2147483647):move_id>", methods=["POST"])
@requires("cases.place")
def place(move_id: int):
    move = db.session.scalar(scoped_waiting_moves(current_user).where(Move.id == move_id))
    if move is None:
        refuse(404, entity="reorganisation_moves", entity_id=move_id)
    form = PlaceCaseForm(prefix=f"move{move.id}")
    form.commune.choices = _choices(move)
    if not form.validate():
        return _render_waiting({move.id: form}, 422)
    unit_id = whole_number(form.commune.data)
    commune = db.session.get(Unit, unit_id) if unit_id else None
    try:
        case = services.place(move, commune, current_user)
    except Invalid as problem:
        for message in problem.fields.get("commune", []):
            form.commune.errors.append(message)
        return _render_waiting({move.id: form}, 422)
    except NotAllowed:
        refuse(403)
    flash(_("Case %(reference)s now belongs to %(unit)s: its workers find it in their list of cases.",
            reference=case.reference, unit=case.unit.name), "success")
    return redirect(url_for("reorganisation.waiting"))
