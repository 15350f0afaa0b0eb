"""Who may do what, and which rows each person may see: the one place that decides.

Views ask `can(...)` through `requires(...)`; every query for scoped rows starts
from a function here, so a new rule is written once.
"""
from __future__ import annotations

from enum import StrEnum
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.units.models import Unit


class Role(StrEnum):
    WORKER = "worker"
    COMMUNE_LEADER = "commune_leader"
    SUPERVISOR = "supervisor"
    PROVINCE_OFFICER = "province_officer"
    INSPECTOR = "inspector"
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.WORKER: _l("Commune child-protection worker"),
    Role.COMMUNE_LEADER: _l("Commune leader"),
    Role.SUPERVISOR: _l("District supervisor"),
    Role.PROVINCE_OFFICER: _l("Province officer"),
    Role.INSPECTOR: _l("Inspector"),
    Role.ADMIN: _l("System administrator"),
}

# The unit levels where each role can be held (DESIGN.md section 1).
ROLE_LEVELS = {
    Role.WORKER: ("commune",),
    Role.COMMUNE_LEADER: ("commune",),
    Role.SUPERVISOR: ("district",),
    Role.PROVINCE_OFFICER: ("province", "district"),
    Role.INSPECTOR: ("province", "district"),
    Role.ADMIN: ("province", "district", "commune"),
}
# Where the list has no district level (2025), the supervisor sits at the province.
ROLE_LEVELS_WITHOUT_DISTRICTS = {**ROLE_LEVELS, Role.SUPERVISOR: ("province",)}

CAPABILITIES = {
    "users.manage": {Role.ADMIN},
}


def levels_for_role(role: Role, edition_has_districts: bool) -> tuple[str, ...]:
    table = ROLE_LEVELS if edition_has_districts else ROLE_LEVELS_WITHOUT_DISTRICTS
    return table[role]


def can(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Role(user.role) in CAPABILITIES[capability]


def requires(capability: str):
    """Signed in and holding `capability`, else 403 (the page exists, this role may not use it)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def units_under(unit: Unit) -> sa.Select:
    """The ids of `unit` and of every unit below it.

    The prefix is rendered into the SQL rather than bound: a prepared statement's
    generic plan cannot use the index for `LIKE $1 || '%'` and scans every unit
    (bench/units_subtree.py). Paths hold only digits, '/' and a checked edition name.
    """
    return sa.select(Unit.id).where(Unit.path.like(sa.literal(unit.path + "%", literal_execute=True)))


def scoped_users(user) -> sa.Select:
    """The accounts `user` may manage: those whose unit lies in the manager's subtree."""
    from app.users.models import User

    if not can(user, "users.manage"):
        return sa.select(User).where(sa.false())
    return sa.select(User).where(User.unit_id.in_(units_under(user.unit)))
