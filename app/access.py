"""Who may do what, and which rows each person may see: the one place that decides.

Views ask `can(...)` through `requires(...)`; every query for scoped rows starts
from a function here, so a new rule is written once.
"""
from __future__ import annotations

from enum import StrEnum
from functools import lru_cache, wraps

import sqlalchemy as sa
from flask import abort, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEntry
from app.audit.recorder import record
from app.extensions import db
from app.orm import fit
from app.units.models import Unit


class Role(StrEnum):
    WORKER = "worker"
    COMMUNE_LEADER = "commune_leader"
    SUPERVISOR = "supervisor"
    PROVINCE_OFFICER = "province_officer"
    INSPECTOR = "inspector"
    ADMIN = "admin"
    # Receives reports outside a commune (hotline 111, a police or labour office) and forwards them (Decree 56
    # art. 26.1).
    INTAKE = "intake"
    # The village's child-protection collaborator (cộng tác viên trẻ em ở thôn; issue 18 names Decree 56/2017
    # art. 51, not verified here): tells the commune of the children in special circumstances in the village and of
    # the concerns heard there.
    COLLABORATOR = "collaborator"
    # A department or agency of the province (Sở Y tế, Công an tỉnh, Tỉnh đoàn…) reporting on the plan to the
    # province (the plan's section III): writes its department's reports, reads no case, child or register.
    DEPARTMENT_OFFICER = "department_officer"


ROLE_LABELS = {
    Role.WORKER: _l("Commune child-protection worker"),
    Role.COMMUNE_LEADER: _l("Commune leader"),
    Role.SUPERVISOR: _l("District supervisor"),
    Role.PROVINCE_OFFICER: _l("Province officer"),
    Role.INSPECTOR: _l("Inspector"),
    Role.ADMIN: _l("System administrator"),
    Role.INTAKE: _l("Report intake (hotline, police liaison)"),
    Role.COLLABORATOR: _l("Village child-protection collaborator"),
    Role.DEPARTMENT_OFFICER: _l("Department or agency officer"),
}
# Since 1 July 2025 there are no districts: the supervisor sits at the province (the department's child-protection
# office) and is named for it.
ROLE_LABELS_AT_LEVEL = {(Role.SUPERVISOR, "province"): _l("Province supervisor")}

# The unit levels where each role can be held (DESIGN.md section 1).
ROLE_LEVELS = {
    Role.WORKER: ("commune",),
    Role.COMMUNE_LEADER: ("commune",),
    Role.SUPERVISOR: ("district",),
    Role.PROVINCE_OFFICER: ("province", "district"),
    Role.INSPECTOR: ("province", "district"),
    Role.ADMIN: ("province", "district", "commune"),
    # Hotline 111, and the police and the labour and health offices at every level (Decree 56 art. 26.1).
    Role.INTAKE: ("province", "district", "commune"),
    # A village is not a unit of the list: the collaborator's account sits at the commune.
    Role.COLLABORATOR: ("commune",),
    # The account sits at the province; its department is `User.department`.
    Role.DEPARTMENT_OFFICER: ("province",),
}
# Where the list has no district level (2025), the supervisor sits at the province.
ROLE_LEVELS_WITHOUT_DISTRICTS = {**ROLE_LEVELS, Role.SUPERVISOR: ("province",)}

CAPABILITIES = {
    "users.manage": {Role.ADMIN},
    # A second person approves each grant of a role that reads cases (app/users/approvals.py, `may_approve`).
    "accounts.approve": {Role.ADMIN, Role.PROVINCE_OFFICER},
    "holidays.manage": {Role.ADMIN},
    # The province's service standards (deadlines the law leaves to it), kept like the holidays.
    "standards.manage": {Role.ADMIN},
    "audit.read": {Role.INSPECTOR, Role.PROVINCE_OFFICER},
    # Administrators see no child or case data at all (DESIGN.md section 1).
    "cases.read": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER, Role.INSPECTOR},
    # Anyone who receives a report records it (Mẫu 01); those outside a commune forward it at once to the commune
    # where it happened, within their subtree (Decree 56 art. 26.1).
    "cases.create": {Role.WORKER, Role.COMMUNE_LEADER, Role.INTAKE, Role.SUPERVISOR, Role.PROVINCE_OFFICER,
                     Role.COLLABORATOR},
    "cases.forward": {Role.INTAKE, Role.SUPERVISOR, Role.PROVINCE_OFFICER},
    # The commune's own case work: "my work" and "to approve" on the home page.
    "cases.work": {Role.WORKER, Role.COMMUNE_LEADER},
    "children.edit": {Role.WORKER, Role.COMMUNE_LEADER},
    # The children's register (issue 18) is as sensitive as a case file: the commune keeps it, those above read it.
    # A collaborator reads only the entries they made (`scoped_register`).
    "register.read": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER, Role.INSPECTOR,
                      Role.COLLABORATOR},
    "register.add": {Role.WORKER, Role.COMMUNE_LEADER, Role.COLLABORATOR},
    "register.edit": {Role.WORKER, Role.COMMUNE_LEADER},
    # Lists from schools, health stations and village heads, read into the commune's register (issue 18, point 3).
    "register.import": {Role.WORKER, Role.COMMUNE_LEADER},
    # What a collaborator adds waits for the commune's worker or leader.
    "register.confirm": {Role.WORKER, Role.COMMUNE_LEADER},
    # Reviews (issue 18, point 5): the commune's people make them, a collaborator those the worker assigns them
    # (`may_record_review`); those above the commune acknowledge the long-overdue ones the deadline sweep raises.
    "register.review": {Role.WORKER, Role.COMMUNE_LEADER, Role.COLLABORATOR},
    "register.escalations": {Role.SUPERVISOR, Role.PROVINCE_OFFICER},
    # Those who work cases refer them and raise them by hand; inspectors only read.
    "referrals.send": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER},
    "escalations.raise": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER},
    "providers.manage": {Role.PROVINCE_OFFICER, Role.ADMIN},
    # Units report upwards: a commune its own figures, a district or the province its whole subtree.
    "reports.statistics": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER, Role.INSPECTOR},
    # The boards of DESIGN.md section 10; workers and leaders have "my work" and "to approve" instead.
    "reports.dashboard": {Role.SUPERVISOR, Role.PROVINCE_OFFICER, Role.INSPECTOR},
    # After a reorganisation, a case whose new commune only a person can tell waits at the province (issue 16).
    "cases.place": {Role.PROVINCE_OFFICER, Role.SUPERVISOR},
    # The preview and the runs of a reorganisation: counts, no child's data.
    "units.reorganise": {Role.PROVINCE_OFFICER, Role.ADMIN},
    # Files attached to a case (issue 17): added by those who work cases, read by whoever reads the case (the
    # inspector too; the administrator never), their sizes per unit watched by the province officer.
    "attachments.add": {Role.WORKER, Role.COMMUNE_LEADER},
    "attachments.read": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER, Role.INSPECTOR},
    "attachments.usage": {Role.PROVINCE_OFFICER},
    # Reporting up the tree (the plan's section III): the province sets the rounds and keeps the list of its
    # departments that report; each unit's (or department's) people prepare and send its report; the level above
    # reviews; inspectors read what was sent.
    "reporting.rounds": {Role.PROVINCE_OFFICER},
    "reporting.prepare": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER,
                          Role.DEPARTMENT_OFFICER},
    "reporting.review": {Role.SUPERVISOR, Role.PROVINCE_OFFICER},
    "reporting.read": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER, Role.INSPECTOR,
                       Role.DEPARTMENT_OFFICER},
    # Care facilities (issue 19, point 6): read by all who work with children, since a child of any commune may be
    # placed in a facility anywhere in the province; kept and inspected by the province's and (2024) the
    # districts' officers and inspectors, the state bodies that license and inspect them (Decree 103/2017).
    "facilities.read": {Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER, Role.INSPECTOR},
    "facilities.manage": {Role.PROVINCE_OFFICER, Role.INSPECTOR},
    # A correction past its deadline is raised to the department's officers, who license the facility and may
    # suspend it (Decree 103/2017); the inspecting team still sees it overdue in its own list.
    "facilities.escalations": {Role.PROVINCE_OFFICER},
    # Those who place a child (the commune, for a case's alternative care or isolation) record the placement.
    "facilities.place": {Role.WORKER, Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER},
}


def role_label(role: str | None, level: str | None = None):
    """The role's name for people, as held at a unit of `level` (a supervisor at a district or a province); the key
    itself for anything that is not a role (e.g. a database role)."""
    return role_labels(level).get(role, role or "")


def role_labels(level: str | None = None) -> dict:
    """Every role's name, as held at a unit of `level`."""
    return {role: ROLE_LABELS_AT_LEVEL.get((role, level), label) for role, label in ROLE_LABELS.items()}


def role_labels_where_held(edition_has_districts: bool) -> dict:
    """Every role's name, as held where a list with (or without) districts places it: for a choice of roles."""
    return {role: role_label(role, levels_for_role(role, edition_has_districts)[0]) for role in Role}


def levels_for_role(role: Role, edition_has_districts: bool) -> tuple[str, ...]:
    table = ROLE_LEVELS if edition_has_districts else ROLE_LEVELS_WITHOUT_DISTRICTS
    return table[role]


def can(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return role_can(user.role, capability)


def role_can(role: str, capability: str) -> bool:
    """Whether the role holds `capability`, whoever holds the role."""
    return Role(role) in CAPABILITIES[capability]


def record_refusal(status: int, *, entity: str | None = None, entity_id=None) -> None:
    """Record a refused access in the trail, dropping whatever the refused request had begun.

    The entry is filed under the person refused; a refusal to open a real case (or its referral or escalation)
    is filed under that case and its unit as well, so that the case's inspectors, following its reference, see
    who tried. The person refused cannot read that second entry (it lies outside their unit), so the trail tells
    them nothing of whether the case exists."""
    db.session.rollback()
    details = {"status": status, "method": request.method, "path": request.path}
    entity_id = fit(entity_id, AuditEntry.entity_id)  # what the request named, of any length
    record(db.session, "access_denied", entity=entity, entity_id=entity_id, changes=details)
    case = _case_refused(entity, entity_id)
    if case is not None:
        record(db.session, "access_denied", entity=entity, entity_id=entity_id, case_ref=case.reference,
               unit_path=case.unit.path, changes=details)
    db.session.commit()


def _case_refused(entity: str | None, entity_id):
    """The case that a refused request named, if it exists."""
    from app.attachments.models import Attachment
    from app.cases.models import Case
    from app.escalations.models import Escalation
    from app.input_guard import whole_number
    from app.referrals.models import Referral

    if entity == "cases" and entity_id:
        return db.session.scalar(sa.select(Case).where(Case.reference == str(entity_id)))
    parts = {"referrals": Referral, "escalations": Escalation, "attachments": Attachment}
    number = whole_number(str(entity_id)) if entity in parts else None
    if number is None:
        return None
    part = db.session.get(parts[entity], number)
    return part.case if part is not None else None


def refuse(status: int, *, entity: str | None = None, entity_id=None):
    """Record a refused access, then answer `status` (403: not for this role; 404: not in scope)."""
    record_refusal(status, entity=entity, entity_id=entity_id)
    abort(status)


def requires(capability: str):
    """Signed in and holding `capability`, else 403 (the page exists, this role may not use it)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, capability):
                refuse(403)
            return view(*args, **kwargs)

        wrapped.capability = capability  # for the scope tests, which walk every route
        return wrapped

    return decorator


def _path_prefix(column, path: str):
    """`column` starts with `path`, the prefix rendered into the SQL (see `units_under`)."""
    return column.like(sa.literal(path + "%", literal_execute=True))


def may_keep_holidays(user) -> bool:
    """The holiday calendar is one for the whole installation, moving every unit's deadlines: only an
    administrator of a top-level unit (a province) keeps it; other administrators read it."""
    return can(user, "holidays.manage") and user.unit.parent_id is None


def may_set_standards(user) -> bool:
    """A province's service standards move the deadlines of all its communes: only an administrator of the province
    itself sets them; administrators below it read them."""
    return can(user, "standards.manage") and user.unit.parent_id is None


def may_place_in(manager, unit: Unit) -> bool:
    """An admin places accounts only in their own unit's subtree."""
    return manager.unit.contains(unit)


def units_under(unit: Unit) -> sa.Select:
    """The ids of `unit` and of every unit below it.

    The prefix is rendered into the SQL rather than bound: a prepared statement's
    generic plan cannot use the index for `LIKE $1 || '%'` and scans every unit
    (bench/units_subtree.py). Paths hold only digits, '/' and a checked edition name.
    """
    return _units_under_path(unit.path)


def _units_under_path(path: str) -> sa.Select:
    return sa.select(Unit.id).where(_path_prefix(Unit.path, path))


def _units_and_predecessors(path: str) -> sa.Select:
    """The units under `path` and, through every reorganisation, the units whose records they hold (`UnitEnding`):
    scope follows succession, so a commune of 2025 reads its predecessors' closed cases and a province those of the
    divided communes it holds."""
    from app.units.models import UnitEnding

    reached = _units_under_path(path).cte("reached", recursive=True)
    reached = reached.union_all(sa.select(UnitEnding.unit_id).where(UnitEnding.heir_id == reached.c.id))
    return sa.select(reached.c.id)


def scoped_users(user) -> sa.Select:
    """The accounts `user` may manage: those whose unit lies in the manager's subtree."""
    from app.users.models import User

    if not can(user, "users.manage"):
        return sa.select(User).where(sa.false())
    # With the accounts a reorganisation closed at the units the manager's unit succeeded, to be placed anew.
    return sa.select(User).where(_among(User.unit_id, subtree_unit_ids(user.unit)))


def reads_cases(role: str) -> bool:
    """Whether giving an account `role` lets it read cases: such a grant waits for a second person. An intake
    account reads the reports it recorded, children's names and all; a village collaborator the register entries
    they made, which are as sensitive as a case file (issue 18), so their grant waits too."""
    return role_can(role, "cases.read") or role_can(role, "cases.forward") or role_can(role, "register.read")


def may_approve(user, grant) -> bool:
    """A grant is approved by someone other than its requester and the account it is about: an administrator whose
    unit holds the requester's unit (the same or a higher one) and the unit granted, or a province officer of the
    province (a top unit) that holds the unit granted."""
    if not can(user, "accounts.approve") or user.id in (grant.requested_by_id, grant.user_id):
        return False
    if user.role == Role.ADMIN:
        return user.unit.contains(grant.requested_by.unit) and user.unit.contains(grant.unit)
    return user.unit.parent_id is None and user.unit.contains(grant.unit)


def scoped_grants(user) -> sa.Select:
    """The open grants `user` may approve (the same rule as `may_approve`, as a query)."""
    from app.users.models import AccessGrant, User

    if not can(user, "accounts.approve") or (user.role != Role.ADMIN and user.unit.parent_id is not None):
        return sa.select(AccessGrant).where(sa.false())
    query = sa.select(AccessGrant).where(AccessGrant.decision.is_(None), AccessGrant.requested_by_id != user.id,
                                         AccessGrant.user_id != user.id,
                                         AccessGrant.unit_id.in_(units_under(user.unit)))
    if user.role == Role.ADMIN:
        requesters = sa.select(User.id).where(User.unit_id.in_(units_under(user.unit)))
        query = query.where(AccessGrant.requested_by_id.in_(requesters))
    return query


def scoped_audit_entries(user) -> sa.Select:
    """Entries about the reader's unit and everything below it; nothing for roles that may not read the trail."""
    if not can(user, "audit.read"):
        return sa.select(AuditEntry).where(sa.false())
    paths = [user.unit.path, *_predecessor_paths(user.unit)]
    return sa.select(AuditEntry).where(sa.or_(*(_path_prefix(AuditEntry.unit_path, path) for path in paths)))


def _predecessor_paths(unit: Unit) -> list[str]:
    """The paths of the ended units whose records `unit` holds, without those another one already covers."""
    from app.units.models import UnitEnding

    ids = subtree_unit_ids(unit)
    paths = sorted(db.session.scalars(sa.select(Unit.path).join(UnitEnding, UnitEnding.unit_id == Unit.id)
                                      .where(_among(Unit.id, ids))))
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


def audit_about_subtree(unit_path: str) -> sa.ColumnElement:
    """Audit entries about `unit_path`'s subtree (a filter; the reader's scope still applies)."""
    return _path_prefix(AuditEntry.unit_path, unit_path)


def scoped_cases(user) -> sa.Select:
    """The cases `user` may read: those of units in their subtree, those shared with their subtree by an
    accepted referral or escalated to it; none for roles without `cases.read`."""
    from app.cases.models import Case

    if not can(user, "cases.read"):
        return sa.select(Case).where(sa.false())
    # The ids themselves, not a subquery: knowing them, PostgreSQL reads one commune's newest cases from its
    # index instead of walking the whole province's by date (0.7 ms instead of 22 ms at a million cases).
    unit_ids, shared = _reach(user.unit)
    in_subtree = _among(Case.unit_id, unit_ids)
    return sa.select(Case).where(sa.or_(in_subtree, _among(Case.id, shared)) if shared else in_subtree)


# Up to this many ids (a district's subtree and less), `_among` leaves them to SQLAlchemy.
SHORT_ID_LIST = 32


def _among(column, ids: list[int]) -> sa.ColumnElement:
    """`column IN (ids)`, never as bound parameters (a statement carries at most 65,535 of them).

    As bound parameters, a province's 248 ids cost a millisecond of Python per query; rendered by SQLAlchemy at
    each execution (literal_execute), still a third of a millisecond. A long list is therefore written into the
    statement's text once, which compiles the statement once per list; a short one (a commune's, a district's)
    stays rendered at execution, so that the communes share one compiled statement rather than fill the cache
    with one each. Only integers are written.
    """
    if not ids:
        return sa.false()
    if len(ids) <= SHORT_ID_LIST:
        return column.in_(sa.bindparam(None, ids, expanding=True, literal_execute=True))
    written = ", ".join(str(int(id_)) for id_ in ids)
    return column.op("IN", is_comparison=True)(sa.literal_column(f"({written})"))


# The trail's actions that change a case or its parts. Views, exports and refusals stay in the full trail, for
# inspectors and province officers.
CASE_CHANGES = ("create", "update", "delete")


def case_history(user, reference: str) -> sa.Select:
    """The trail's changes to the case `reference` and its parts, if `user` may read that case; else none."""
    from app.cases.models import Case

    readable = scoped_cases(user).where(Case.reference == reference).with_only_columns(Case.reference)
    return sa.select(AuditEntry).where(AuditEntry.case_ref.in_(readable), AuditEntry.action.in_(CASE_CHANGES))


def _reach(unit: Unit) -> tuple[list[int], list[int]]:
    """The ids of the units in `unit`'s subtree, and of the cases outside it shared with it (usually none: a
    short list): accepted referrals to it, transfers it made (the sender keeps access to what it handed over),
    and escalations raised to it. One round trip for both, once per request: every list page needs them.
    """

    def read() -> tuple[list[int], list[int]]:
        unit_ids, case_ids = db.session.execute(_reach_statement(unit.path)).one()
        return _ids(unit_ids), _ids(case_ids)

    if not has_request_context():
        return read()
    known = g.setdefault("reach", {})
    if unit.path not in known:
        known[unit.path] = read()
    return known[unit.path]


@lru_cache(maxsize=1024)
def _reach_statement(path: str) -> sa.Select:
    """`_reach`'s query for the subtree at `path`: one row of two lists of ids, each as one string (a province's
    248 units as rows cost a fifth of a millisecond of Python).

    Built once per process: building it cost more than running it. It holds no value but the path, so it stays
    true whatever the data."""
    from app.cases.models import Case
    from app.escalations.models import Escalation
    from app.referrals.models import Referral
    from app.referrals.workflow import GIVING_ACCESS

    subtree = _units_and_predecessors(path)

    def outside(case_id) -> sa.ColumnElement:
        # Looked up by key for the few referrals and escalations found, not by scanning the subtree's cases.
        return ~sa.exists().where(Case.id == case_id, Case.unit_id.in_(subtree))

    shared = sa.or_(Referral.receiving_unit_id.in_(subtree),
                    sa.and_(Referral.transfer, Referral.from_unit_id.in_(subtree)))
    shared_cases = sa.union_all(
        sa.select(Referral.case_id.label("id")).where(Referral.status.in_(GIVING_ACCESS), shared,
                                                      outside(Referral.case_id)),
        sa.select(Escalation.case_id).where(Escalation.to_unit_id.in_(subtree), outside(Escalation.case_id)))
    return sa.select(_joined(subtree.subquery()), _joined(shared_cases.subquery()))


def _joined(ids: sa.Subquery) -> sa.ScalarSelect:
    """The ids of `ids`' one column, comma-separated."""
    return sa.select(sa.func.aggregate_strings(sa.cast(ids.c[0], sa.String), ",")).scalar_subquery()


def _ids(joined: str | None) -> list[int]:
    return sorted({int(id_) for id_ in joined.split(",")}) if joined else []


def forget_scope() -> None:
    """After a change of who may see what (a referral accepted), within the same request."""
    if has_request_context():
        g.pop("reach", None)


def scoped_referrals(user) -> sa.Select:
    """Referrals sent from the person's subtree or received by it, and those of the cases they may read."""
    from app.referrals.models import Referral

    if not can(user, "cases.read"):
        return sa.select(Referral).where(sa.false())
    ids = subtree_unit_ids(user.unit)
    # The receiving side learns of a referral only once it has gone out (approved, or urgent).
    received = sa.and_(_among(Referral.receiving_unit_id, ids), Referral.sent_at.is_not(None))
    return sa.select(Referral).where(sa.or_(_among(Referral.from_unit_id, ids), received,
                                            _case_readable(user, Referral.case_id)))


def _case_readable(user, case_id) -> sa.ColumnElement:
    """The case `case_id` (a column of a small table) is one `user` may read: looked up by its key, row by row,
    rather than by listing a province's million readable cases."""
    from app.cases.models import Case

    unit_ids, shared = _reach(user.unit)
    in_subtree = sa.exists().where(Case.id == case_id, _among(Case.unit_id, unit_ids))
    return sa.or_(in_subtree, _among(case_id, shared)) if shared else in_subtree


def referral_parties(user, referral) -> set[str]:
    """Which sides of `referral` the person is on: its sending unit, an approver above it, its receiving unit."""
    from app.referrals.workflow import APPROVER, RECEIVER, SENDER

    parties = set()
    if user.unit_id == referral.from_unit_id:
        parties.add(SENDER)
    if user.unit_id == referral.receiving_unit_id:
        parties.add(RECEIVER)
    if user.unit_id != referral.from_unit_id and user.unit.contains(referral.from_unit):
        parties.add(APPROVER)
    return parties


def scoped_escalations(user) -> sa.Select:
    """Escalations raised to a unit in the person's subtree, and those of the cases they may read."""
    from app.escalations.models import Escalation

    if not can(user, "cases.read"):
        return sa.select(Escalation).where(sa.false())
    return sa.select(Escalation).where(sa.or_(_among(Escalation.to_unit_id, subtree_unit_ids(user.unit)),
                                              _case_readable(user, Escalation.case_id)))


def scoped_attachments(user) -> sa.Select:
    """The files attached to the cases `user` may read; none for roles without `attachments.read`. A withdrawn file
    stays held for those who read the trail (inspectors, province officers), and for them only."""
    from app.attachments.models import Attachment

    if not can(user, "attachments.read"):
        return sa.select(Attachment).where(sa.false())
    query = sa.select(Attachment).where(_case_readable(user, Attachment.case_id))
    return query if can(user, "audit.read") else query.where(Attachment.withdrawn_at.is_(None))


def may_add_attachment(user, case) -> bool:
    """Files are added to an open case by those who work cases and can read it (their commune's, or one shared
    with them by a referral or an escalation)."""
    from app.cases.models import Case

    if not can(user, "attachments.add") or case.status == "closed":
        return False
    return db.session.scalar(scoped_cases(user).where(Case.id == case.id).with_only_columns(Case.id)) is not None


def may_withdraw_attachment(user, attachment) -> bool:
    """Whoever may add a file to the case may withdraw one, with a reason; it stays held for the trail."""
    return not attachment.is_withdrawn and may_add_attachment(user, attachment.case)


def may_acknowledge(user, escalation) -> bool:
    """A named person of the unit the escalation was raised to takes it."""
    return can(user, "escalations.raise") and user.unit_id == escalation.to_unit_id


def scoped_providers(user) -> sa.Select:
    """The provider registers a province officer or an admin keeps: those of units in their subtree."""
    from app.referrals.models import Provider

    if not can(user, "providers.manage"):
        return sa.select(Provider).where(sa.false())
    return sa.select(Provider).where(Provider.unit_id.in_(units_under(user.unit)))


def subtree_unit_ids(unit: Unit) -> list[int]:
    """The ids of `unit`, of every unit below it and of the ended units they succeeded, read with the rest of its
    reach, once per request (a page may scope several queries: a leader's home page does)."""
    return _reach(unit)[0]


def held_unit_ids(unit: Unit) -> list[int]:
    """The ids of `unit` and of the ended units whose records it holds: what was addressed to a predecessor (a
    2024 province, its districts) is now addressed to its successor. Live units below are not included: what is
    addressed to them is theirs."""
    from app.units.models import UnitEnding

    ended = db.session.scalars(sa.select(UnitEnding.unit_id).where(_among(UnitEnding.unit_id,
                                                                          subtree_unit_ids(unit))))
    return [unit.id, *sorted(ended)]


def scoped_children(user) -> sa.Select:
    """The children `user` may read: those with a case they may read, and those on a register they may read."""
    from app.cases.models import Case
    from app.children.models import Child
    from app.register.models import RegisterEntry

    visible_cases = scoped_cases(user).with_only_columns(Case.child_id)
    registered = scoped_register(user).with_only_columns(RegisterEntry.child_id)
    return sa.select(Child).where(sa.or_(Child.id.in_(visible_cases), Child.id.in_(registered)))


def scoped_register(user) -> sa.Select:
    """The register entries `user` may read: those kept by a commune of their subtree (or one it succeeded); a
    collaborator's, only those they added themselves and those whose open review is assigned to them (issue 18,
    point 2)."""
    from app.register.models import CONFIRMED, RegisterEntry

    if not can(user, "register.read"):
        return sa.select(RegisterEntry).where(sa.false())
    if user.role == Role.COLLABORATOR:
        assigned = sa.and_(RegisterEntry.reviewer_id == user.id, RegisterEntry.confirmation == CONFIRMED)
        return sa.select(RegisterEntry).where(sa.or_(RegisterEntry.added_by_id == user.id, assigned),
                                              _among(RegisterEntry.unit_id, register_kept_by(user)))
    return sa.select(RegisterEntry).where(_among(RegisterEntry.unit_id, subtree_unit_ids(user.unit)))


def listed_register(user) -> sa.Select:
    """The register entries `user` is shown in lists: a collaborator follows what they added whatever the worker
    decided; others, only the confirmed entries (one awaiting or rejected is no child on the register)."""
    from app.register.models import CONFIRMED, RegisterEntry

    if user.role == Role.COLLABORATOR:
        return scoped_register(user)
    return scoped_register(user).where(RegisterEntry.confirmation == CONFIRMED)


def register_kept_by(user) -> list[int]:
    """The units whose register `user`'s commune keeps: its own and, after a reorganisation, those of the ended
    communes it succeeded, whose entries keep their commune's id (`register_for_statistics`)."""
    if user.unit.level != "commune":
        return [user.unit_id]
    return subtree_unit_ids(user.unit)


def register_keepers(unit: Unit) -> list[int]:
    """The communes that keep the register of `unit`'s entries: the commune itself and those that succeeded it, one
    reorganisation after another (the converse of `register_kept_by`). None for a commune divided among others: its
    records went to the province."""
    kept = []
    while unit is not None and unit.level == "commune":
        kept.append(unit.id)
        unit = unit.ending.heir if unit.ending is not None else None
    return kept


def current_reviewer(entry):
    """Whom an entry's next review is given to, while they may make it: a reviewer since deactivated or moved to a
    commune that does not keep the entry leaves it to every worker of the commune, as if given to no one."""
    reviewer = entry.reviewer
    if reviewer is None or not reviewer.active or reviewer.unit_id not in register_keepers(entry.unit):
        return None
    return reviewer


def may_read_register_details(user) -> bool:
    """Whether `user` reads an entry's reviews and supports: a village collaborator follows the status, groups and
    situation of what they added (and why it was rejected), not the commune's review notes or the payments."""
    return can(user, "register.read") and user.role != Role.COLLABORATOR


def may_edit_register(user, entry) -> bool:
    """The commune that keeps the entry (or succeeded the one that did) edits it; those above read it."""
    return can(user, "register.edit") and entry.unit_id in register_kept_by(user)


def may_confirm_register(user, entry) -> bool:
    """The worker or leader of the entry's commune (or its successor) confirms or rejects what a collaborator
    added."""
    return can(user, "register.confirm") and entry.unit_id in register_kept_by(user) and entry.awaiting


def may_assign_review(user, entry) -> bool:
    """The commune's worker or leader chooses who makes a confirmed entry's next review."""
    from app.register.models import CONFIRMED

    return may_edit_register(user, entry) and entry.confirmation == CONFIRMED


def review_assignees(entry) -> sa.Select:
    """Who may be given an entry's next review: the active workers and village collaborators of the commune that
    keeps it (its successor, for an entry of a commune a reorganisation ended)."""
    from app.users.models import User

    return sa.select(User).where(User.unit_id.in_(register_keepers(entry.unit)), User.active,
                                 User.role.in_((Role.WORKER, Role.COLLABORATOR)))


def may_record_review(user, entry) -> bool:
    """The commune that keeps a confirmed entry reviews it; a village collaborator, the review assigned to them."""
    from app.register.models import CONFIRMED

    if not can(user, "register.review") or entry.confirmation != CONFIRMED:
        return False
    return may_edit_register(user, entry) or (user.role == Role.COLLABORATOR and current_reviewer(entry) == user)


def reviews_waiting_for(user) -> sa.ColumnElement:
    """The confirmed entries whose next review is `user`'s to make: a collaborator's, those assigned to them; a
    worker's, those assigned to them and their commune's assigned to no one (as a case no one took up is every
    worker's); a leader's, all their commune's. Not one whose recorded review waits for confirmation: that is the
    worker's to confirm. A review whose reviewer may no longer make it (`current_reviewer`) is given to no one."""
    from app.register.models import AWAITING, CONFIRMED, RegisterEntry, RegisterReview
    from app.users.models import User

    if not can(user, "register.review"):
        return sa.false()
    recorded = sa.exists().where(RegisterReview.entry_id == RegisterEntry.id, RegisterReview.confirmation == AWAITING)
    mine = sa.and_(RegisterEntry.confirmation == CONFIRMED, ~recorded)
    kept_ids = register_kept_by(user)
    kept = sa.and_(mine, _among(RegisterEntry.unit_id, kept_ids))
    if user.role == Role.COLLABORATOR:
        return sa.and_(kept, RegisterEntry.reviewer_id == user.id)
    if user.role == Role.WORKER:
        # Everyone active of the communes this one keeps was moved here by the reorganisation: one of them keeps
        # the entry.
        reviewer_may = sa.exists().where(User.id == RegisterEntry.reviewer_id, User.active,
                                         _among(User.unit_id, kept_ids))
        return sa.and_(kept, sa.or_(RegisterEntry.reviewer_id == user.id, RegisterEntry.reviewer_id.is_(None),
                                    ~reviewer_may))
    return kept


def reviews_to_confirm(user) -> sa.Select:
    """The reviews collaborators recorded that `user`'s commune confirms."""
    from app.register.models import AWAITING, RegisterEntry, RegisterReview

    if not can(user, "register.confirm"):
        return sa.select(RegisterReview).where(sa.false())
    return (sa.select(RegisterReview).join(RegisterEntry, RegisterEntry.id == RegisterReview.entry_id)
            .where(RegisterReview.confirmation == AWAITING, RegisterEntry.unit_id.in_(register_kept_by(user))))


def review_unconfirmed(user) -> bool:
    """Whether a review `user` records waits for the commune's confirmation, as what they add to the register does."""
    return not can(user, "register.confirm")


def may_confirm_review(user, review) -> bool:
    """The worker or leader of the commune confirms a review a collaborator recorded."""
    return can(user, "register.confirm") and review.entry.unit_id in register_kept_by(user) and review.awaiting


def review_escalations_received(user) -> sa.ColumnElement:
    """The long-overdue reviews raised to `user`'s unit, or to a unit it succeeded (one raised to a 2024 district
    before the reorganisation waits for the province that holds it)."""
    from app.register.models import RegisterReviewEscalation

    if not can(user, "register.escalations"):
        return sa.false()
    return _among(RegisterReviewEscalation.to_unit_id, held_unit_ids(user.unit))


def may_acknowledge_review_escalation(user, escalation) -> bool:
    """A person of the unit a long-overdue review was raised to (or of its successor) acknowledges it."""
    return can(user, "register.escalations") and escalation.to_unit_id in held_unit_ids(user.unit)


def added_unconfirmed(user) -> bool:
    """Whether what `user` adds to the register waits for the commune's confirmation."""
    return not can(user, "register.confirm")


def may_open_case_in(user, unit: Unit) -> bool:
    """Cases are opened at a commune within the person's own subtree: a commune's people at their own, those who
    forward reports at any commune below them (Decree 56 art. 26.1)."""
    return can(user, "cases.create") and unit.level == "commune" and user.unit.contains(unit)


def is_taken_up(case) -> bool:
    """The commune has taken up a forwarded report once it acts on it (Decree 56 art. 26.1, then art. 27): a
    worker is assigned, or the initial assessment is recorded (the case leaves `reported`)."""
    return case.assigned_worker_id is not None or case.status != "reported"


def scoped_forwarded(user) -> sa.Select:
    """The reports `user` recorded for a commune, the newest first (their "received" list). An intake account
    reads them only until the commune takes them up (`is_taken_up`): after that it learns only that it was taken up
    (`forwarded_content_visible`)."""
    from app.cases.models import Case

    if not can(user, "cases.forward"):
        return sa.select(Case).where(sa.false())
    return sa.select(Case).where(Case.created_by_id == user.id).order_by(Case.received_at.desc(), Case.id.desc())


def forwarded_content_visible(user, case) -> bool:
    """Whether the recorder still reads the report's content: those who read cases anyway as long as they may;
    an intake account only until the commune takes it up."""
    from app.cases.models import Case

    if can(user, "cases.read"):
        return db.session.scalar(scoped_cases(user).where(Case.id == case.id).with_only_columns(Case.id)) is not None
    return case.created_by_id == user.id and not is_taken_up(case)


def may_report_on(user, unit: Unit | None) -> bool:
    """Statistics cover one unit of the reader's own subtree, or one it succeeded (another unit answers 404, like a
    case)."""
    return can(user, "reports.statistics") and unit is not None and (
        user.unit.contains(unit) or unit.id in subtree_unit_ids(user.unit))


def scoped_waiting_moves(user) -> sa.Select:
    """The cases held by a province after a reorganisation until a person chooses their commune: for those of that
    province who may place them."""
    from app.reorganisation.models import Move

    if not can(user, "cases.place") or user.unit.level != "province":
        return sa.select(Move).where(sa.false())
    return sa.select(Move).where(Move.entity == "cases", Move.to_unit_id.is_(None), Move.held_by_id == user.unit_id)


def may_run_reorganisation(user) -> bool:
    """An administrator of the province itself carries out its reorganisation (officers preview it)."""
    return can(user, "users.manage") and user.unit.parent_id is None


def may_place_waiting_case(user, move) -> bool:
    return can(user, "cases.place") and user.unit_id == move.held_by_id


def units_for_statistics(user, unit: Unit) -> list[int]:
    """The ids of `unit`'s subtree, for figures about referrals; none beyond `user`'s scope."""
    return subtree_unit_ids(unit) if may_report_on(user, unit) else []


def cases_for_statistics(user, unit: Unit) -> sa.ColumnElement:
    """The criterion on `Case` for the statistics of `unit`'s subtree; nothing beyond `user`'s scope."""
    from app.cases.models import Case

    return _in_statistics(user, unit, Case.id, Case.unit_id)


def facts_for_statistics(user, unit: Unit) -> sa.ColumnElement:
    """The same criterion on the cases' facts (app/reports/facts.py)."""
    from app.reports.facts import CaseFacts

    return _in_statistics(user, unit, CaseFacts.case_id, CaseFacts.unit_id)


def _in_statistics(user, unit: Unit, case_id, unit_id) -> sa.ColumnElement:
    """A unit's cases are those of its subtree and of the ended units it holds. An ended unit's ("đơn vị cũ", for
    continuity) are those that were in its area, the open ones a reorganisation moved out included."""
    if not may_report_on(user, unit):
        return sa.false()
    ids = subtree_unit_ids(unit)
    if unit.ending is None:
        return unit_id.in_(ids)
    return sa.or_(unit_id.in_(ids), case_id.in_(moved_out_of(ids)))


def register_for_statistics(user, unit: Unit) -> sa.ColumnElement:
    """The criterion on the register's facts (app/reports/register_facts.py, one row per membership and support,
    carrying the entry's commune and confirmation) for the indicators of `unit`'s subtree (the ended communes it
    succeeded included); nothing beyond `user`'s scope. Register entries stay with their commune's id through a
    reorganisation, so an ended unit's are those it kept."""
    from app.reports.register_facts import RegisterFacts

    if not may_report_on(user, unit):
        return sa.false()
    # Only confirmed entries: a collaborator's awaiting or rejected one is no child on the register.
    return sa.and_(_among(RegisterFacts.unit_id, subtree_unit_ids(unit)), RegisterFacts.confirmed.is_(True))


def moved_out_of(unit_ids: list[int]) -> sa.Select:
    """The cases a reorganisation moved, while open, out of the units `unit_ids`."""
    from app.reorganisation.models import Move

    return sa.select(Move.case_id).where(Move.entity == "cases", _among(Move.from_unit_id, unit_ids))


def statistics_units_for_reader(user) -> tuple[list[Unit], list[Unit]]:
    """The units `user` may report on, for the statistics page's chooser: those of their subtree, then the ended
    units it holds (each list in the order of the tree)."""
    if not can(user, "reports.statistics"):
        return [], []
    current = list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(units_under(user.unit))).order_by(Unit.path)))
    known = {unit.id for unit in current}
    ended = [unit for unit in db.session.scalars(sa.select(Unit).where(_among(Unit.id, subtree_unit_ids(user.unit)))
                                                 .options(selectinload(Unit.ending)).order_by(Unit.path))
             if unit.id not in known]
    return current, ended


def may_define_rounds(user) -> bool:
    """The province's officer sets its reporting calendar."""
    return can(user, "reporting.rounds") and user.unit.parent_id is None


def scoped_report_rounds(user) -> sa.Select:
    """The rounds of the province the reader works in and of the provinces it succeeded: a round set before a
    reorganisation is still read after it. A department officer reads the rounds that ask their department."""
    from app.deadlines.services import province_of
    from app.reporting.models import ReportRound

    if not can(user, "reporting.read"):
        return sa.select(ReportRound).where(sa.false())
    if user.role == Role.DEPARTMENT_OFFICER:
        # Only the rounds that ask their department.
        from app.reporting.models import Report

        return sa.select(ReportRound).where(ReportRound.id.in_(sa.select(Report.round_id).where(own_reports(user))))
    return sa.select(ReportRound).where(_among(ReportRound.province_id, subtree_unit_ids(province_of(user.unit))))


def scoped_unit_reports(user) -> sa.Select:
    """Reports of the reader's subtree: their own unit's at every stage; those below, and its departments', once sent
    (a draft is its writer's own), with those of the units it succeeded. Inspectors read only what was sent. A
    department officer reads only their department's reports: nothing of the units."""
    from app.reporting.models import Report

    if not can(user, "reporting.read"):
        return sa.select(Report).where(sa.false())
    if user.role == Role.DEPARTMENT_OFFICER:
        return sa.select(Report).where(own_reports(user))
    below = _among(Report.unit_id, subtree_unit_ids(user.unit))
    if user.role == Role.INSPECTOR:
        return sa.select(Report).where(below, Report.submitted_at.isnot(None))
    return sa.select(Report).where(below, sa.or_(own_reports(user), Report.submitted_at.isnot(None)))


def own_reports(user) -> sa.ColumnElement:
    """The criterion on `Report` for the reports `user` writes: their department's, or their unit's own."""
    from app.reporting.models import Report

    if user.role == Role.DEPARTMENT_OFFICER:
        return Report.department_id == user.department_id if user.department_id else sa.false()
    return sa.and_(Report.unit_id == user.unit_id, Report.department_id.is_(None))


def reports_addressed_to(user) -> sa.ColumnElement:
    """The criterion on `Report` for the reports sent to `user`'s unit for review: those of the units directly below
    it and, at a province, those of its departments (through the department of labour, the plan's section III)."""
    if not can(user, "reporting.review"):
        return sa.false()
    return _sent_to_unit(user.unit)


def reports_on_board(user) -> sa.ColumnElement:
    """The reports a round's board lists: for those who review them, every report sent to their unit at every stage
    (who has not reported is the point); for an inspector, those sent to their unit once sent."""
    from app.reporting.models import Report

    if can(user, "reporting.review"):
        return _sent_to_unit(user.unit)
    if user.role == Role.INSPECTOR:
        return sa.and_(_sent_to_unit(user.unit), Report.submitted_at.isnot(None))
    return sa.false()


def _sent_to_unit(unit) -> sa.ColumnElement:
    from app.reporting.models import Report

    below = sa.select(Unit.id).where(Unit.parent_id == unit.id)
    units = sa.and_(Report.unit_id.in_(below), Report.department_id.is_(None))
    if unit.parent_id is not None:
        return units
    return sa.or_(units, sa.and_(Report.unit_id == unit.id, Report.department_id.isnot(None)))


def may_prepare_report(user, report) -> bool:
    """A unit's own people write and send its report; a department's officers, their department's."""
    if not can(user, "reporting.prepare"):
        return False
    if user.role == Role.DEPARTMENT_OFFICER:
        return user.department_id is not None and report.department_id == user.department_id
    return report.department_id is None and report.unit_id == user.unit_id


def may_review_report(user, report) -> bool:
    """The level above the reporting unit (a district, or the province where districts are gone) reviews it; the
    province reviews its departments'."""
    if not can(user, "reporting.review"):
        return False
    if report.department_id is not None:
        return report.unit_id == user.unit_id and user.unit.parent_id is None
    return report.unit.parent_id == user.unit_id


def may_keep_departments(user) -> bool:
    """The province's officer keeps the list of its departments and agencies that report."""
    return can(user, "reporting.rounds") and user.unit.parent_id is None


def scoped_departments(user) -> sa.Select:
    """The departments of the province `user` works in: for the officer who keeps them and the administrator who
    gives them accounts."""
    from app.deadlines.services import province_of
    from app.reporting.models import Department

    if not (may_keep_departments(user) or can(user, "users.manage")):
        return sa.select(Department).where(sa.false())
    return sa.select(Department).where(Department.province_id == province_of(user.unit).id)


def may_acknowledge_report_escalation(user, escalation) -> bool:
    return can(user, "reporting.review") and escalation.to_unit_id == user.unit_id


def scoped_facilities(user) -> sa.Select:
    """The facilities `user` may read: every one of their province (a child of any commune may live in any of
    them), in both structures; none for roles without `facilities.read`."""
    from app.deadlines.services import province_of
    from app.facilities.models import Facility

    if not can(user, "facilities.read"):
        return sa.select(Facility).where(sa.false())
    return sa.select(Facility).where(_among(Facility.unit_id, subtree_unit_ids(province_of(user.unit))))


def may_manage_facility(user, facility) -> bool:
    """A facility is registered, changed and inspected by an officer or inspector whose unit holds its unit: the
    province's for every one; in 2024's structure, a district's for those of its communes."""
    return can(user, "facilities.manage") and facility.unit_id in subtree_unit_ids(user.unit)


def may_register_facility_in(user, unit: Unit) -> bool:
    return can(user, "facilities.manage") and unit.id in subtree_unit_ids(user.unit)


def may_place_at(user, facility, child) -> bool:
    """A child is placed by someone who reads the child and the facility; the placement is seen with the child's
    name only by those who read the child (`scoped_children`)."""
    from app.children.models import Child
    from app.facilities.models import Facility

    if not can(user, "facilities.place"):
        return False
    readable = scoped_facilities(user).where(Facility.id == facility.id).with_only_columns(Facility.id)
    if db.session.scalar(readable) is None:
        return False
    return db.session.scalar(scoped_children(user).where(Child.id == child.id).with_only_columns(Child.id)) is not None


def may_acknowledge_correction_escalation(user, escalation) -> bool:
    """An officer of the unit a correction was raised to, or of its successor after a reorganisation."""
    return can(user, "facilities.escalations") and escalation.to_unit_id in held_unit_ids(user.unit)


def facilities_for_statistics(user, unit: Unit) -> list[int]:
    """The ids of `unit`'s subtree, for figures about facilities and their inspections; none beyond `user`'s
    scope."""
    return subtree_unit_ids(unit) if may_report_on(user, unit) else []
