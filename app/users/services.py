"""Creating and changing accounts: the rules shared by the admin pages and the command line."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from app.access import Role, levels_for_role, may_place_in
from app.auth.passwords import hash_password, password_problems
from app.auth.services import PasswordRejected, end_sessions_and_tokens, set_password
from app.extensions import db
from app.units.models import LEVEL_LABELS, Unit
from app.units.services import edition_has_districts, find_unit
from app.users.models import User, normalise_username

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class UserRejected(Exception):
    """The account change is refused; `field` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def resolve_unit(code: str, by: User | None = None) -> Unit:
    """The unit with this code, if `by` (an admin; None on the command line) may place accounts there.

    A unit outside the admin's subtree answers as if it did not exist.
    """
    unit = find_unit(code or "")
    if unit is None or (by is not None and not may_place_in(by, unit)):
        raise UserRejected("unit", _("There is no unit with code %(code)s in the current list.", code=code))
    return unit


def check_role_fits_unit(role: str, unit: Unit) -> Role:
    try:
        role = Role(role)
    except ValueError:
        raise UserRejected("role", _("Unknown role %(role)s.", role=role)) from None
    levels = levels_for_role(role, edition_has_districts(unit.edition))
    if unit.level not in levels:
        raise UserRejected("unit", _("A %(role)s works at a unit of level %(levels)s, not at %(unit)s.",
                                     role=role.label, levels=", ".join(str(LEVEL_LABELS[level]) for level in levels),
                                     unit=unit.label))
    return role


def create_user(*, username: str, full_name: str, role: str, unit_code: str, password: str,
                email: str | None = None, by: User | None = None) -> User:
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise UserRejected("username", _("A username has 3 to 64 characters: letters a-z, digits, dot, dash "
                                         "or underscore, starting with a letter or digit."))
    if db.session.scalar(sa.select(sa.exists().where(User.username == username))):
        raise UserRejected("username", _("The username %(username)s is taken.", username=username))
    if not (full_name or "").strip():
        raise UserRejected("full_name", _("Enter the person's full name."))
    unit = resolve_unit(unit_code, by)
    role = check_role_fits_unit(role, unit)
    problems = password_problems(password, username, unit)
    if problems:
        raise UserRejected("password", problems[0])
    # A password an administrator chose is known to two people: its owner replaces it at first sign-in.
    user = User(username=username, full_name=full_name.strip(), role=role.value, unit=unit,
                password_hash=hash_password(password), email=checked_email(email),
                must_choose_password=by is not None)
    db.session.add(user)
    db.session.commit()
    return user


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def checked_email(email: str | None) -> str | None:
    """An email address as given, or None when empty; refused when it cannot be one."""
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise UserRejected("email", _("%(email)s is not an email address.", email=email))
    return email


def _refuse_self_service(user: User, by: User | None, message: str) -> None:
    if by is not None and by.id == user.id:
        raise UserRejected("self", message)


KEEP = object()


def change_role_and_unit(user: User, *, role: str, unit_code: str, email=KEEP, by: User | None = None) -> None:
    """Move the account to another role or unit (which ends its sessions and API tokens), and set its email
    address."""
    _refuse_self_service(user, by, _("You cannot change your own role or unit; ask another administrator."))
    unit = resolve_unit(unit_code, by)
    role = check_role_fits_unit(role, unit)
    if email is not KEEP:
        user.email = checked_email(email)
    if (user.role, user.unit_id) != (role.value, unit.id):
        user.role, user.unit = role.value, unit
        end_sessions_and_tokens(user)
    db.session.commit()


def reset_password(user: User, new_password: str, by: User | None = None) -> None:
    _refuse_self_service(user, by, _("Change your own password on the Change password page, with your current one."))
    try:
        set_password(user, new_password)
    except PasswordRejected as rejection:
        raise UserRejected("password", str(rejection)) from None
    user.failed_sign_ins, user.locked_until = 0, None
    user.must_choose_password = True
    db.session.commit()


def set_active(user: User, active: bool, by: User | None = None) -> None:
    if not active:
        _refuse_self_service(user, by, _("You cannot deactivate your own account; ask another administrator."))
    if user.active != active:
        user.active = active
        user.session_version += 1
    db.session.commit()


def active_workers(unit: Unit) -> list[User]:
    """Who a case of `unit` can be assigned to: its active workers, by name."""
    return list(db.session.scalars(sa.select(User).where(User.unit_id == unit.id, User.role == Role.WORKER.value,
                                                         User.active.is_(True)).order_by(User.full_name)))


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))
