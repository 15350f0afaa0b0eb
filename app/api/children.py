"""Children and the register over the API (../shared/API.md, Children and the register): the same scope and
audit as the pages."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.access import (listed_register, may_read_register_details, refuse, requires, scoped_cases,
                        scoped_children, units_under)
from app.api import bp
from app.api.errors import ApiError, json_body, number_argument
from app.cases.services import province_of
from app.cases.models import Case
from app.children.models import Child
from app.children.services import named, probable_duplicates, record_views
from app.deadlines.services import local_zone
from app.extensions import db
from app.input_guard import MAX_ID
from app.orm import utcnow
from app.register import services
from app.register.groups import GROUPS
from app.register.models import RegisterEntry
from app.units.services import find_unit

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _day(value) -> str | None:
    return value.isoformat() if value else None


def child_json(child: Child, entry: RegisterEntry | None, cases: list[str], whole: bool = False) -> dict:
    """API.md's fields; `whole` adds the register entry's own (one child)."""
    body = {"id": child.id, "full_name": child.full_name, "sex": child.sex,
            "date_of_birth": _day(child.date_of_birth), "birth_year": child.birth_year,
            "address_unit": child.address_unit.code if child.address_unit else None,
            "groups": [group.group_key for group in entry.current_groups] if entry else [],
            "cases": cases, "next_review": _day(entry.next_review_on) if entry else None}
    if whole:
        body["register"] = None if entry is None else {
            "unit": entry.unit.code, "registered_on": _day(entry.registered_on),
            "living_place": entry.living_place, "lives_with": entry.lives_with, "school": child.school,
            "health_insurance": entry.health_insurance, "disability_certificate": entry.disability_certificate,
            "last_reviewed_on": _day(entry.last_reviewed_on), "next_review_on": _day(entry.next_review_on),
            "groups": [{"group": group.group_key, "sub_case": group.sub_case, "since": _day(group.since),
                        "left_on": _day(group.left_on), "left_reason": group.left_reason}
                       for group in entry.groups]}
    if whole and entry is not None and may_read_register_details(current_user):
        body["register"] |= {
            "supports": [{"kind": support.kind, "description": support.description,
                          "monthly_amount": support.monthly_amount, "started_on": _day(support.started_on),
                          "ended_on": _day(support.ended_on)} for support in entry.supports],
            "reviews": [{"reviewed_on": _day(review.reviewed_on), "reviewed_by": review.reviewed_by.username,
                         "notes": review.notes, "next_review_on": _day(review.next_review_on)}
                        for review in entry.reviews]}
    return body


def _cases_of(child_ids: list[int]) -> dict[int, list[str]]:
    """The references of the cases of each child the caller may read, newest first."""
    found: dict[int, list[str]] = {}
    if child_ids:
        rows = db.session.execute(scoped_cases(current_user).where(Case.child_id.in_(child_ids))
                                  .with_only_columns(Case.child_id, Case.reference)
                                  .order_by(Case.received_at.desc()))
        for child_id, reference in rows:
            found.setdefault(child_id, []).append(reference)
    return found


def _entries_of(child_ids: list[int]) -> dict[int, RegisterEntry]:
    if not child_ids:
        return {}
    return {entry.child_id: entry for entry in db.session.scalars(
        listed_register(current_user).where(RegisterEntry.child_id.in_(child_ids))
        .options(selectinload(RegisterEntry.groups), selectinload(RegisterEntry.unit)))}


@bp.get("/children")
@requires("register.read")
def list_children():
    problems: dict[str, list[str]] = {}
    limit = number_argument("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems)
    page = number_argument("page", 1, 1, 100_000, problems)
    group, overdue = request.args.get("group"), request.args.get("review_overdue")
    if group and group not in GROUPS:
        problems["group"] = [_("Expected one of: %(values)s.", values=", ".join(GROUPS))]
    if overdue and overdue not in ("true", "false"):
        problems["review_overdue"] = [_("Expected one of: %(values)s.", values="true, false")]
    unit = find_unit(request.args["unit"]) if request.args.get("unit") else None
    if request.args.get("unit") and unit is None:
        problems["unit"] = [_("No unit has the code %(code)s.", code=request.args["unit"])]
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    # As on the register's page: the children with a case the caller reads, and those on the register as listed.
    listed = listed_register(current_user)
    query = sa.select(Child).where(sa.or_(
        Child.id.in_(scoped_cases(current_user).with_only_columns(Case.child_id)),
        Child.id.in_(listed.with_only_columns(RegisterEntry.child_id))))
    today = utcnow().astimezone(local_zone()).date()
    if group or overdue == "true":
        # Register filters: only registered children match.
        entries = services.registered_query(listed, group or None,
                                            today - timedelta(days=1) if overdue == "true" else None)
        query = query.where(Child.id.in_(entries.with_only_columns(RegisterEntry.child_id)))
    if unit is not None:
        # A unit's subtree: the children registered there, or with a case there.
        in_unit = units_under(unit)
        query = query.where(sa.or_(
            Child.id.in_(listed.where(RegisterEntry.unit_id.in_(in_unit)).with_only_columns(RegisterEntry.child_id)),
            Child.id.in_(sa.select(Case.child_id).where(Case.unit_id.in_(in_unit)))))
    if request.args.get("q", "").strip():
        query = query.where(Child.id.in_(named(request.args["q"])))
    children = list(db.session.scalars(query.order_by(Child.id).offset((page - 1) * limit).limit(limit + 1)))
    has_next = len(children) > limit
    children = children[:limit]
    ids = [child.id for child in children]
    entries, cases = _entries_of(ids), _cases_of(ids)
    next_url = None
    if has_next:
        arguments = {key: value for key, value in request.args.items() if key != "page"}
        next_url = url_for("api.list_children", page=page + 1, _external=True, **arguments)
    response = jsonify({"items": [child_json(child, entries.get(child.id), cases.get(child.id, []))
                                  for child in children], "next": next_url})
    record_views(current_user, children)
    services.record_views(list(entries.values()))
    return response


@bp.post("/children")
@requires("register.edit")
def add_child():
    """API.md: a child added to the commune's register, in the groups given since today."""
    from app.api.cases import Fields
    from app.children.services import ChildDetails

    fields = Fields(json_body({}))
    details = ChildDetails(full_name=fields.text("full_name", required=True) or "",
                           sex=fields.text("sex", required=True) or "", date_of_birth=fields.day("date_of_birth"),
                           birth_year=fields.whole("birth_year"), id_number=fields.text("id_number"))
    unit_code = fields.text("address_unit", required=True)
    groups = fields.strings("groups")
    if not groups and "groups" not in fields.problems:
        fields.problems["groups"] = [_("Give at least one group.")]
    for key in groups:
        if key not in GROUPS:
            fields.problems.setdefault("groups", []).append(
                _("Expected one of: %(values)s.", values=", ".join(GROUPS)))
            break
    fields.check()
    details.address_unit = find_unit(unit_code)
    today = utcnow().astimezone(local_zone()).date()
    found, _beyond = probable_duplicates(details, province_of(current_user.unit), scoped_children(current_user))
    if found:
        raise ApiError(409, "possible_duplicate", _("This child may already be on record: %(ids)s. Add that child to "
                                                    "the register from their record.",
                                                    ids=", ".join(str(child.id) for child in found)))
    try:
        entry = services.register_new_child(current_user, details, services.Situation(living_place=None),
                                            [services.Membership(key, None, today) for key in dict.fromkeys(groups)],
                                            today)
        services.commit_registration()
    except services.RegisterRefused as refusal:
        db.session.rollback()
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."),
                       {API_NAMES.get(name, name): messages for name, messages in refusal.fields.items()}) from None
    response = jsonify(child_json(entry.child, entry, [], whole=True))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_child", child_id=entry.child_id)
    return response


# The service's names for what the API calls otherwise.
API_NAMES = {"group": "groups", "since": "groups"}


@bp.get("/children/<int(max=2147483647):child_id>")
@requires("register.read")
def get_child(child_id):
    child = db.session.scalar(scoped_children(current_user).where(Child.id == child_id)) \
        if child_id <= MAX_ID else None
    if child is None:
        refuse(404, entity="children", entity_id=child_id)
    entry = _entries_of([child.id]).get(child.id)
    response = jsonify(child_json(child, entry, _cases_of([child.id]).get(child.id, []), whole=True))
    record_views(current_user, [child])
    services.record_views([entry] if entry is not None else [])
    return response
