"""The register's rules, which its pages and the API both call."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.audit.recorder import record
from app.children.models import SPECIAL_CIRCUMSTANCES, Child
from app.extensions import db
from app.register.groups import GROUPS, LIVING_PLACES, SUB_CASES, SUPPORT_KINDS
from app.orm import utcnow
from app.register.models import AWAITING, CONFIRMED, REJECTED, REVIEW_TRANSITIONS, RegisterEntry, RegisterGroup, \
    RegisterReview, RegisterSupport

# Issue 18: a registered child's situation is looked at again every six months.
REVIEW_MONTHS = 6
# The system's rule, not the law's (Decree 56/2017 sets the reviews of a case's plan, not of the register): a review a
# month overdue is raised to the unit above the commune. The commune has then let a whole monthly reporting cycle
# pass, on top of the week's notice, without looking at the child again; a case's missed deadline is raised within a
# working day, but a review is less urgent than an emergency or an assessment.
REVIEW_RAISED_AFTER = timedelta(days=30)
HEALTH_INSURANCE_LENGTH = (10, 15)  # the card's social insurance number (10 digits) or its whole code (15)
# The list counts the reviews due up to this many, then says "more than": a province's count read half a million
# index entries on each page (bench/register.py), a figure nobody acts on to the unit.
DUE_COUNT_CAP = 1000


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (31 August → 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RegisterRefused(Exception):
    """What is wrong, by field; nothing was changed."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("register change refused")
        self.fields = fields


class RegisterChanged(Exception):
    """Someone changed the entry after this person opened it: nothing is saved."""

    def __init__(self):
        super().__init__(_("Someone else changed this register entry after you opened it. Nothing was saved; look "
                           "at it now, then make your change again."))


@dataclass
class Situation:
    # None: not recorded yet (a child added over the API, as API.md has it); the pages ask for it.
    living_place: str | None = ""
    lives_with: str | None = None
    school: str | None = None
    health_insurance: str | None = None
    disability_certificate: str | None = None


@dataclass
class Membership:
    group: str = ""
    sub_case: str | None = None
    since: date | None = None


@dataclass
class Support:
    kind: str = ""
    description: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    monthly_amount: int | None = None


@dataclass
class Problems:
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.fields:
            raise RegisterRefused(self.fields)


def _situation_problems(situation: Situation, problems: Problems) -> None:
    if situation.living_place is not None and situation.living_place not in LIVING_PLACES:
        problems.add("living_place", _("Choose where the child lives."))
    for name, limit in (("lives_with", 200), ("school", 200), ("disability_certificate", 30)):
        if len(getattr(situation, name) or "") > limit:
            problems.add(name, _("At most %(count)d characters.", count=limit))
    number = (situation.health_insurance or "").strip()
    if number and not (number.isalnum() and len(number) in HEALTH_INSURANCE_LENGTH):
        problems.add("health_insurance", _("A health insurance card number has 10 digits, or 15 characters with "
                                           "the card's code."))


def _membership_problems(membership: Membership, today: date, problems: Problems, name: str = "group") -> None:
    if membership.group not in GROUPS:
        problems.add(name, _("Choose a group."))
    elif membership.sub_case and membership.sub_case not in SUB_CASES.get(membership.group, {}):
        problems.add("sub_case", _("This case is not one of the group's."))
    if membership.since is None:
        problems.add("since", _("Enter the day the child has been in this group since."))
    elif membership.since > today:
        problems.add("since", _("The day cannot be in the future."))


@dataclass(frozen=True)
class Elsewhere:
    """A child on another commune's register: the commune is told, nothing of the child."""

    commune: str
    entry_id: int
    unit_path: str

    def reason(self) -> str:
        return _("A child with this personal ID is already on the register of %(commune)s: a child is on one "
                 "commune's register. Ask that commune about the child rather than registering them again.",
                 commune=self.commune)


def registered_elsewhere(user, id_numbers) -> dict[str, Elsewhere]:
    """Of these personal IDs, those of children on the register of a commune other than those `user`'s commune
    keeps, in the user's province: a child is registered by one commune (issue 18), and the ID (Law on
    Identification 2023 art. 12) is the child's wherever the worker sees the child's file or not. Another
    province's register is not named (it is not this province's to tell, as at intake: `probable_duplicates`). A
    rejected entry does not count. One query for a hand entry or a whole file; the rule both use."""
    from app.access import register_kept_by
    from app.deadlines.services import province_of
    from app.units.models import Unit

    numbers = sorted({number for number in id_numbers if number})
    if not numbers:
        return {}
    province = province_of(user.unit)
    rows = db.session.execute(
        sa.select(Child.id_number, Unit.name, RegisterEntry.id, Unit.path)
        .join(RegisterEntry, RegisterEntry.child_id == Child.id).join(Unit, Unit.id == RegisterEntry.unit_id)
        .where(Child.id_number.in_(numbers), RegisterEntry.confirmation != REJECTED,
               Unit.path.startswith(province.path), RegisterEntry.unit_id.not_in(register_kept_by(user))))
    return {number: Elsewhere(name, entry_id, path) for number, name, entry_id, path in rows}


def register_new_child(user, details, situation: Situation, memberships: list[Membership],
                       today: date) -> RegisterEntry:
    """A child the commune knows but who is not on record yet, put on its register: the child's details are checked
    as at intake (Mẫu 01, Law on Children art. 1), the child lives in the commune, and is on no other commune's
    register (`registered_elsewhere`)."""
    from app.children.services import child_problems, new_child

    problems = Problems()
    for name, messages in child_problems(details, today).items():
        problems.fields[name] = messages
    elsewhere = registered_elsewhere(user, [details.id_number]).get(details.id_number)
    if elsewhere is not None:
        _record_found_elsewhere(user, elsewhere)
        problems.add("id_number", elsewhere.reason())
    if details.address_unit is None or details.address_unit.id != user.unit_id:
        problems.add("address_unit", _("A commune registers the children who live in it."))
    if not memberships:
        problems.add("group", _("Choose a group."))
    problems.raise_any()
    child = new_child(details.with_birth_year_on(today))
    return register_child(user, child, situation, memberships[0], today, more=memberships[1:])


def _record_found_elsewhere(user, elsewhere: Elsewhere) -> None:
    """Naming the commune that registers a personal ID tells that the ID is known there: as at intake
    (`check_for_duplicates`) and on import, the match is in the trail under the asker and under the other
    commune's entry, so that the inspectors of both see it; committed now, since the refusal rolls back."""
    record(db.session, "register_found_elsewhere", unit_path=user.unit.path, changes={"matches": 1})
    record(db.session, "register_found_elsewhere", entity="register_entries", entity_id=elsewhere.entry_id,
           unit_path=elsewhere.unit_path)
    db.session.commit()


def register_child(user, child: Child, situation: Situation, membership: Membership, today: date,
                   more: list[Membership] = (), registered: bool | None = None) -> RegisterEntry:
    """Put `child` on the register of `user`'s commune, in a first group (and `more`); the first review is due six
    months on. The groups of art. 10 the child was already recorded in (at a case's intake) join too, since today.
    `registered` says whether the child has an entry, when the caller looked it up for many children at once."""
    from app.access import added_unconfirmed

    problems = Problems()
    if user.unit.level != "commune":
        problems.add("group", _("Children are registered by their commune."))
    if registered is None and child.id is not None:
        registered = db.session.scalar(sa.select(RegisterEntry.id).where(RegisterEntry.child_id == child.id)) \
            is not None
    if registered:
        problems.add("group", _("This child is already on the register."))
    _situation_problems(situation, problems)
    _membership_problems(membership, today, problems)
    for other in more:
        _membership_problems(other, today, problems)
    if len({membership.group, *(other.group for other in more)}) != 1 + len(more):
        problems.add("group", _("The child is already in this group."))
    problems.raise_any()
    entry = RegisterEntry(child=child, unit=user.unit, registered_on=today,
                          next_review_on=months_after(today, REVIEW_MONTHS), added_by_id=user.id,
                          confirmation=AWAITING if added_unconfirmed(user) else CONFIRMED)
    _set_situation(entry, situation)
    entry.groups.extend(_group(each) for each in (membership, *more))
    for key in sorted(set(child.special_circumstances or []) - {each.group for each in (membership, *more)}):
        entry.groups.append(RegisterGroup(group_key=key, since=today))
    sync_circumstances(entry)
    db.session.add(entry)
    return entry


def commit_registration() -> None:
    """Commit a new entry: two people registering the same child at once pass the check above together, and the
    database's uniqueness refuses the second."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RegisterRefused({"group": [_("This child is already on the register.")]}) from None


def update_situation(entry: RegisterEntry, situation: Situation, version: int | None) -> None:
    if version != entry.version:
        raise RegisterChanged()
    problems = Problems()
    _situation_problems(situation, problems)
    problems.raise_any()
    _set_situation(entry, situation)
    _commit()


def add_group(entry: RegisterEntry, membership: Membership, today: date) -> RegisterGroup:
    problems = Problems()
    _membership_problems(membership, today, problems)
    if any(group.group_key == membership.group for group in entry.current_groups):
        problems.add("group", _("The child is already in this group."))
    problems.raise_any()
    group = _group(membership)
    entry.groups.append(group)
    sync_circumstances(entry)
    _commit()
    return group


def leave_group(entry: RegisterEntry, group_id: int | None, left_on: date | None, reason: str, today: date) -> None:
    """The child leaves a group: the day and the reason are kept, the membership is not deleted."""
    problems = Problems()
    group = next((group for group in entry.current_groups if group.id == group_id), None)
    if group is None:
        problems.add("membership", _("Choose a group the child is in now."))
    if left_on is None:
        problems.add("left_on", _("Enter the day the child left the group."))
    elif left_on > today or (group is not None and left_on < group.since):
        problems.add("left_on", _("The day must lie between the day the child joined the group and today."))
    reason = (reason or "").strip()
    if not reason:
        problems.add("reason", _("Say why the child left the group."))
    elif len(reason) > 300:
        problems.add("reason", _("At most %(count)d characters.", count=300))
    problems.raise_any()
    group.left_on, group.left_reason = left_on, reason
    sync_circumstances(entry)
    _commit()


def add_support(entry: RegisterEntry, support: Support, today: date) -> RegisterSupport:
    problems = Problems()
    if support.kind not in SUPPORT_KINDS:
        problems.add("kind", _("Choose the kind of support."))
    description = (support.description or "").strip()
    if not description:
        problems.add("description", _("Say what the support is."))
    elif len(description) > 300:
        problems.add("description", _("At most %(count)d characters.", count=300))
    if support.started_on is None:
        problems.add("started_on", _("Enter the day the support began."))
    elif support.started_on > today:
        problems.add("started_on", _("The day cannot be in the future."))
    if support.ended_on and support.started_on and support.ended_on < support.started_on:
        problems.add("ended_on", _("The support cannot end before it began."))
    if support.kind == "cash_allowance" and not support.monthly_amount:
        problems.add("monthly_amount", _("Enter the allowance's amount a month."))
    if support.monthly_amount is not None and not 0 < support.monthly_amount <= 100_000_000:
        problems.add("monthly_amount", _("Enter an amount in đồng, more than 0."))
    problems.raise_any()
    row = RegisterSupport(kind=support.kind, description=description, started_on=support.started_on,
                          ended_on=support.ended_on,
                          monthly_amount=support.monthly_amount if support.kind == "cash_allowance" else None)
    entry.supports.append(row)
    _commit()
    return row


def record_review(user, entry: RegisterEntry, reviewed_on: date | None, notes: str, next_review_on: date | None,
                  today: date) -> RegisterReview:
    """The situation looked at again; the next review is due on the day chosen, six months on by default. A village
    collaborator's review waits for the commune worker's confirmation (`confirm_review`); the entry keeps its due
    review until then."""
    from app.access import review_unconfirmed

    problems = Problems()
    if any(review.awaiting for review in entry.reviews):
        problems.add("notes", _("A review of this child waits for the commune's confirmation already."))
    if reviewed_on is None:
        problems.add("reviewed_on", _("Enter the day of the review."))
    elif reviewed_on > today or reviewed_on < entry.registered_on:
        problems.add("reviewed_on", _("The review's day must lie between the registration and today."))
    notes = (notes or "").strip()
    if not notes:
        problems.add("notes", _("Write what the review found."))
    elif len(notes) > 4000:
        problems.add("notes", _("At most %(count)d characters.", count=4000))
    if reviewed_on is not None and next_review_on is None:
        next_review_on = months_after(reviewed_on, REVIEW_MONTHS)
    if next_review_on is not None and reviewed_on is not None and next_review_on <= reviewed_on:
        problems.add("next_review_on", _("The next review comes after this one."))
    problems.raise_any()
    review = RegisterReview(reviewed_on=reviewed_on, reviewed_by_id=user.id, notes=notes,
                            next_review_on=next_review_on,
                            confirmation=AWAITING if review_unconfirmed(user) else CONFIRMED)
    entry.reviews.append(review)
    if not review.awaiting:
        _review_done(entry, review)
    _commit()
    return review


def _review_done(entry: RegisterEntry, review: RegisterReview) -> None:
    """The entry's next review moves on; who makes it is chosen again (the assignment was for this one)."""
    entry.last_reviewed_on, entry.next_review_on = review.reviewed_on, review.next_review_on
    entry.reviewer_id = None


def _decide_review(user, review: RegisterReview, action: str) -> None:
    """Move a collaborator's review along REVIEW_TRANSITIONS; a review already decided (by someone else, a moment
    ago: the row is read again, locked, so two workers deciding at once are told apart) is not decided again."""
    db.session.refresh(review, with_for_update=True)
    after = REVIEW_TRANSITIONS.get((review.confirmation, action))
    if after is None:
        raise RegisterChanged()
    review.confirmation, review.decided_by_id, review.decided_at = after, user.id, utcnow()


def confirm_review(user, review: RegisterReview) -> None:
    """The commune worker confirms a review a collaborator recorded: it counts as done from then."""
    _decide_review(user, review, "confirm")
    _review_done(review.entry, review)
    _commit()


def reject_review(user, review: RegisterReview, reason: str) -> None:
    """The commune worker rejects a review a collaborator recorded, saying why: it is kept, marked, and the entry's
    next review stays due (still the collaborator's, if it was given to them), for the review to be made again."""
    reason = (reason or "").strip()
    problems = Problems()
    if not reason:
        problems.add("reason", _("Say why this review is rejected."))
    elif len(reason) > 300:
        problems.add("reason", _("At most %(count)d characters.", count=300))
    problems.raise_any()
    _decide_review(user, review, "reject")
    review.rejection_reason = reason
    _commit()


def assign_reviewer(entry: RegisterEntry, reviewer_id: int | None, version: int | None) -> None:
    """Give the entry's next review to a worker or collaborator of its commune, or to no one (every worker's)."""
    from app.access import review_assignees
    from app.users.models import User

    if version != entry.version:
        raise RegisterChanged()
    if reviewer_id is not None and db.session.scalar(
            review_assignees(entry).where(User.id == reviewer_id)) is None:
        raise RegisterRefused({"reviewer": [_("Choose a worker or a village collaborator of the commune.")]})
    entry.reviewer_id = reviewer_id
    _commit()


def confirm(user, entry: RegisterEntry) -> None:
    """The commune worker confirms a child a village collaborator added: the entry joins the commune's register
    (the collaborator assists the commune's child-protection worker)."""
    entry.confirmation, entry.decided_by_id, entry.decided_at = CONFIRMED, user.id, utcnow()
    _commit()


def reject(user, entry: RegisterEntry, reason: str) -> None:
    """The worker rejects what a collaborator added, saying why; the entry is kept, marked, in the trail."""
    reason = (reason or "").strip()
    problems = Problems()
    if not reason:
        problems.add("reason", _("Say why this entry is rejected."))
    elif len(reason) > 300:
        problems.add("reason", _("At most %(count)d characters.", count=300))
    problems.raise_any()
    entry.confirmation, entry.decided_by_id, entry.decided_at = REJECTED, user.id, utcnow()
    entry.rejection_reason = reason
    _commit()


def _group(membership: Membership) -> RegisterGroup:
    return RegisterGroup(group_key=membership.group, sub_case=membership.sub_case or None, since=membership.since)


def _set_situation(entry: RegisterEntry, situation: Situation) -> None:
    entry.living_place = situation.living_place
    entry.lives_with = (situation.lives_with or "").strip() or None
    entry.health_insurance = (situation.health_insurance or "").strip().upper() or None
    entry.disability_certificate = (situation.disability_certificate or "").strip() or None
    entry.child.school = (situation.school or "").strip() or None


def sync_circumstances(entry: RegisterEntry) -> None:
    """The child's special circumstances (read at intake, in cases and statistics) are the art. 10 groups the
    child is in now."""
    current = sorted({group.group_key for group in entry.current_groups} & set(SPECIAL_CIRCUMSTANCES))
    if sorted(entry.child.special_circumstances or []) != current:
        entry.child.special_circumstances = current


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise RegisterChanged() from None


def review_due(entry: RegisterEntry, today: date) -> bool:
    return entry.next_review_on <= today


def record_views(entries: list[RegisterEntry]) -> None:
    """A register entry is as sensitive as a case file (issue 18): every reading of one is in the trail, one entry
    each, committed on its own."""

    for entry in entries:
        record(db.session, "register_viewed", entity="register_entries", entity_id=entry.id,
               unit_path=entry.unit.path)
    db.session.commit()


def registered_query(base: sa.Select, group: str | None = None, review_due_on=None) -> sa.Select:
    """`base` (a scoped select of entries) narrowed to a group the child is in now, or to reviews due by a day."""
    if group:
        base = base.where(RegisterEntry.id.in_(sa.select(RegisterGroup.entry_id).where(
            RegisterGroup.group_key == group, RegisterGroup.left_on.is_(None))))
    if review_due_on is not None:
        base = base.where(RegisterEntry.next_review_on <= review_due_on)
    return base


def count_due(query: sa.Select, today: date) -> int:
    """How many entries of `query` are due for a review by `today`, counted no further than DUE_COUNT_CAP + 1."""
    due = (query.where(RegisterEntry.next_review_on <= today).with_only_columns(RegisterEntry.id).order_by(None)
           .limit(DUE_COUNT_CAP + 1))
    return db.session.scalar(sa.select(sa.func.count()).select_from(due.subquery()))


def awaiting_confirmation(user) -> int:
    """How many entries village collaborators added wait for `user`'s commune to confirm them."""
    from app.access import can, register_kept_by, scoped_register

    if not can(user, "register.confirm"):
        return 0
    return db.session.scalar(scoped_register(user).where(RegisterEntry.confirmation == AWAITING,
                                                         RegisterEntry.unit_id.in_(register_kept_by(user)))
                             .with_only_columns(sa.func.count()).order_by(None))


def added_by(user, limit: int = 50) -> list[RegisterEntry]:
    """The entries `user` added, the newest first: a collaborator's own list."""
    from app.access import scoped_register

    return list(db.session.scalars(scoped_register(user).where(RegisterEntry.added_by_id == user.id)
                                   .order_by(RegisterEntry.created_at.desc(), RegisterEntry.id.desc()).limit(limit)))
