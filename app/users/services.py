"""Creating and changing accounts: the rules shared by the admin pages and the command line.

Administrators never choose a password: an account they create, or reset, gets a one-time activation code with which
its owner chooses one; and access to cases they give waits for a second person (app/users/approvals.py). Only the
operator on the server (`flask users create`) sets a password.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app.access import Role, levels_for_role, may_place_in, reads_cases, role_label
from app.auth.passwords import hash_password, password_problems
from app.auth.services import ActivationCode, end_sessions_and_tokens, issue_activation_code
from app.extensions import db
from app.i18n import display_datetime
from app.notifications import mail
from app.units.models import LEVEL_LABELS, Unit
from app.units.services import edition_has_districts, find_unit
from app.users.approvals import request_access, withdraw_open_grant
from app.users.models import NO_PASSWORD, OFFICES, AccessGrant, User, normalise_username

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
                                     role=role_label(role, levels[0]), unit=unit.label,
                                     levels=", ".join(str(LEVEL_LABELS[level]) for level in levels)))
    return role


def create_user(*, username: str, full_name: str, role: str, unit_code: str, password: str,
                email: str | None = None, office: str | None = None, department=None) -> User:
    """An account with a password, made by the operator on the server (command line, demo data)."""
    user = _new_user(username, full_name, role, unit_code, email, by=None)
    user.office = checked_office(user.role, office)
    user.department = checked_department(user.role, user.unit, department)
    problems = password_problems(password, user.username, user.unit)
    if problems:
        raise UserRejected("password", problems[0])
    user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@dataclass(frozen=True)
class Issued:
    """What an administrator is told after giving an account an activation code."""

    user: User
    activation: ActivationCode
    emailed: bool  # sent to the person: the administrator does not see it
    grant: AccessGrant | None  # the access to cases that waits for a second person


def create_account(*, username: str, full_name: str, role: str, unit_code: str, email: str | None,
                   by: User, office: str | None = None, department=None) -> Issued:
    """An account an administrator creates: its owner chooses the password with an activation code, and a role that
    reads cases waits for a second person's approval."""
    user = _new_user(username, full_name, role, unit_code, email, by)
    user.office = checked_office(user.role, office)
    user.department = checked_department(user.role, user.unit, department)
    db.session.add(user)
    grant = request_access(user, "new_account", user.role, user.unit, by) if reads_cases(user.role) else None
    return _give_code(user, grant)


def _new_user(username: str, full_name: str, role: str, unit_code: str, email: str | None, by: User | None) -> User:
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
    return User(username=username, full_name=full_name.strip(), role=role.value, unit=unit,
                email=checked_email(email), password_hash=NO_PASSWORD)


def _give_code(user: User, grant: AccessGrant | None) -> Issued:
    """Issue the code, send it to the person where email is on and they have an address, and commit."""
    db.session.flush()
    activation = issue_activation_code(user)
    emailed = mail.enabled() and bool(user.email)
    if emailed:
        mail.queue([user], lambda: _("Your activation code"),
                   lambda: _("Your account %(username)s on the child-protection system has an activation code: "
                             "%(code)s. It can be used once, until %(time)s. Open the address below, type your "
                             "username and this code, and choose your password.", username=user.username,
                             code=activation.code, time=display_datetime(activation.expires_at)),
                   "/auth/activate")
    db.session.commit()
    return Issued(user, activation, emailed, grant)


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


def checked_office(role: str, office: str | None) -> str | None:
    """Only a commune leader holds an office, the chairman's or a vice-chairman's: it is the title their decisions
    are signed under (Decree 30/2020 art. 13)."""
    if not office:
        return None
    if office not in OFFICES:
        raise UserRejected("office", _("Unknown office %(office)s.", office=office))
    if role != Role.COMMUNE_LEADER.value:
        raise UserRejected("office", _("Only a commune leader holds the office of chairman or vice-chairman."))
    return office


def checked_department(role: str, unit: Unit, department):
    """A department officer belongs to one department of the province their account sits at; no other role belongs
    to one. `department`: a Department, its id, or None."""
    from app.reporting.models import Department

    if department in (None, ""):
        if role == Role.DEPARTMENT_OFFICER.value:
            raise UserRejected("department", _("Choose the department or agency whose reports the account writes."))
        return None
    if role != Role.DEPARTMENT_OFFICER.value:
        raise UserRejected("department", _("Only a department or agency officer belongs to a department."))
    if isinstance(department, Department):
        found = department
    else:
        number = _whole(department)
        found = db.session.get(Department, number) if number else None
    if found is None or found.province_id != unit.id:
        raise UserRejected("department", _("Choose one of the departments and agencies of %(unit)s that report.",
                                           unit=unit.name))
    return found


def _whole(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def change_role_and_unit(user: User, *, role: str, unit_code: str, email=KEEP,
                         by: User | None = None, office=KEEP, department=KEEP) -> AccessGrant | None:
    """Move the account to another role or unit (which ends its sessions and API tokens), and set its email
    address. A move to a role that reads cases, asked by an administrator, waits for a second person: the grant
    is answered, and the account stays where it is until then."""
    _refuse_self_service(user, by, _("You cannot change your own role or unit; ask another administrator."))
    unit = resolve_unit(unit_code, by)
    role = check_role_fits_unit(role, unit)
    if office is not KEEP:
        user.office = checked_office(role.value, office)
    if department is KEEP:
        department = user.department if role == Role.DEPARTMENT_OFFICER else None
    department = checked_department(role.value, unit, department)
    if email is not KEEP:
        user.email = checked_email(email)
    moves = (user.role, user.unit_id) != (role.value, unit.id)
    grant = None
    if user.awaiting_approval:
        # Nothing to keep: the account has no access yet; what waits for approval becomes the new placement.
        _place(user, role, unit)
        grant = _ask_again(user, role, unit, by) if by is not None and reads_cases(role) else None
        if grant is None:
            withdraw_open_grant(user, by)
            user.awaiting_approval = False
    elif moves and by is not None and reads_cases(role):
        grant = request_access(user, "placement", role.value, unit, by)
    else:
        withdraw_open_grant(user, by)
        if moves:
            _place(user, role, unit)
    if user.role == role.value and user.department != department:
        # Another department's reports are another's to read: the sessions end, as on a move. (A move that waits
        # for approval keeps the department until it takes effect.)
        user.department = department
        end_sessions_and_tokens(user)
    db.session.commit()
    return grant


def _place(user: User, role: Role, unit: Unit) -> None:
    if (user.role, user.unit_id) != (role.value, unit.id):
        user.role, user.unit = role.value, unit
        end_sessions_and_tokens(user)


def _ask_again(user: User, role: Role, unit: Unit, by: User) -> AccessGrant:
    """The account awaiting approval is placed anew: the same question (a new account's, or a reset's), for the
    new placement."""
    last = db.session.scalar(sa.select(AccessGrant).where(AccessGrant.user_id == user.id,
                                                          AccessGrant.kind != "placement")
                             .order_by(AccessGrant.id.desc()).limit(1))
    return request_access(user, last.kind if last else "new_account", role.value, unit, by)


def reset_access(user: User, by: User) -> Issued:
    """A new activation code for the account (a forgotten password): its password, sessions and tokens stop
    working, and an account that reads cases may sign in again only once a second person approves."""
    _refuse_self_service(user, by, _("Change your own password on the Change password page, with your current one."))
    grant = request_access(user, "password_reset", user.role, user.unit, by) if reads_cases(user.role) else None
    return _give_code(user, grant)


def set_active(user: User, active: bool, by: User | None = None) -> None:
    """A deactivated account's sessions end and its API tokens are revoked for good: reactivating it brings none
    back. What was asked for it is withdrawn."""
    if not active:
        _refuse_self_service(user, by, _("You cannot deactivate your own account; ask another administrator."))
    elif user.unit.ending is not None:
        # Its unit ended in a reorganisation: reactivated there, it would read what only the unit's heir reads.
        raise UserRejected("unit", _("%(unit)s no longer exists: place the account in a unit of the current list.",
                                     unit=user.unit.name))
    if user.active != active:
        user.active = active
        if not active:
            end_sessions_and_tokens(user)
            withdraw_open_grant(user, by)
    db.session.commit()


def active_workers(unit: Unit) -> list[User]:
    """Who a case of `unit` can be assigned to: its active workers, by name."""
    return list(db.session.scalars(sa.select(User).where(User.unit_id == unit.id, User.role == Role.WORKER.value,
                                                         User.active.is_(True)).order_by(User.full_name)))


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))
