"""The demo communes' registers (issue 18): a handful of children told by hand in the first commune (some with a
case, one whose review is overdue, three the village collaborator added), a few hundred made up (app/demo/children.py)
across both communes, and half the demo cases' children."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.cases.models import Case, CaseCategory
from app.children.models import Child
from app.children.services import ChildDetails, new_child
from app.demo.editions import Demo
from app.extensions import db
from app.orm import utcnow
from app.register import escalations, services
from app.demo.children import made_up_children
from app.register.models import AWAITING, CONFIRMED, RegisterEntry, RegisterReview, RegisterSupport
from app.units.services import find_unit
from app.users.services import find_user

# name, sex, years old, group, sub-case, situation (place, with whom), health insurance, disability certificate,
# support (kind, what, đồng a month), months since registration
WITHOUT_A_CASE = [
    ("Nguyễn Thị Thu", "female", 9, "orphaned", "both_died", ("with_relatives", "Bà nội Nguyễn Thị Lựu"),
     "TE1303012345678", None, ("cash_allowance", "Trợ cấp xã hội hằng tháng tại UBND xã", 900_000), 3),
    ("Phạm Văn Đức", "male", 12, "disabled", "severe", ("with_parents", "Bố mẹ"), "TE1303023456789",
     "Số 127/GXN, khuyết tật nặng", ("service", "Phục hồi chức năng tại Trạm Y tế xã Cẩm Phúc", None), 4),
    # Registered eight months ago and never reviewed: the review is two months overdue.
    ("Lê Thị Hồng", "female", 14, "at_risk", "trafficking", ("with_one_parent", "Mẹ, bố đi làm ăn xa"), None, None,
     None, 8),
]
# Children the village collaborator added, waiting for the worker's confirmation: name, sex, years old, group,
# sub-case, situation, days ago.
BY_THE_COLLABORATOR = [
    ("Vũ Văn Khôi", "male", 7, "at_risk", None, ("with_relatives", "Ông bà nội, bố mẹ làm ở Bình Dương"), 2),
    ("Đinh Thị Ngọc", "female", 11, "seriously_ill_poor", None, ("with_one_parent", "Mẹ, hộ nghèo"), 1),
    ("Hà Văn Tùng", "male", 4, "disabled", None, ("with_parents", "Bố mẹ"), 0),
]
# The demo cases' children who go on the register too: a category of their case, and the group it puts them in.
WITH_A_CASE = [("abandonment", "abandoned", "by_parents"), ("exploitation", "exploited", None)]
# Made-up children per commune ("first", "second"), and how many of the first commune's the collaborator follows.
MADE_UP = {"first": 200, "second": 100}
GIVEN_TO_THE_COLLABORATOR = 12
ADDED_BY_THE_COLLABORATOR = 15
# The group a demo case's category puts its child in, with the sub-case (Decree 56/2017 arts. 4-14).
CATEGORY_GROUPS = {"violence": ("harmed_by_violence", "physical"), "neglect": ("at_risk", "abuse"),
                   "exploitation": ("exploited", "labour"), "sexual_abuse": ("sexually_abused", None),
                   "abandonment": ("abandoned", "by_parents"), "trafficking": ("trafficked", None)}
BATCH = 50


def seed_register(demo: Demo) -> int:
    """Register the demo children unless the first commune's register has some already; return how many."""
    commune = find_unit(demo.places["first"], demo.edition)
    if db.session.scalar(sa.select(sa.exists().where(RegisterEntry.unit_id == commune.id))):
        return 0
    worker = find_user(demo.people["first_worker"])
    today = utcnow().date()
    count = 0
    for name, sex, age, group, sub_case, (place, with_whom), card, certificate, support, months in WITHOUT_A_CASE:
        registered_on = today - timedelta(days=30 * months)
        child = new_child(ChildDetails(full_name=name, sex=sex, date_of_birth=date(today.year - age, 3, 12),
                                       address_unit=commune, address_detail="Thôn 3"))
        entry = services.register_child(
            worker, child, services.Situation(place, with_whom, "Trường Tiểu học Cẩm Phúc" if age < 11 else
                                              "Trường THCS Cẩm Phúc", card, certificate),
            services.Membership(group, sub_case, registered_on - timedelta(days=60)), registered_on)
        db.session.commit()
        if support:
            services.add_support(entry, services.Support(support[0], support[1], registered_on, None, support[2]),
                                 today)
        count += 1
    for category, group, sub_case in WITH_A_CASE:
        child = db.session.scalar(sa.select(Child).join(Case, Case.child_id == Child.id)
                                  .join(CaseCategory, CaseCategory.case_id == Case.id)
                                  .where(Case.unit_id == commune.id, CaseCategory.category == category)
                                  .order_by(Case.id).limit(1))
        if child is None or db.session.scalar(sa.select(RegisterEntry.id).where(RegisterEntry.child_id == child.id)):
            continue
        services.register_child(worker, child, services.Situation("with_relatives", "Ông bà ngoại"),
                                services.Membership(group, sub_case, today - timedelta(days=20)), today)
        db.session.commit()
        count += 1
    count += _added_by_the_collaborator(demo, commune, today)
    collaborator = find_user(demo.people["collaborator"]) if "collaborator" in demo.people else None
    for place, number in MADE_UP.items():
        count += _made_up(demo, find_unit(demo.places[place], demo.edition),
                          find_user(demo.people[f"{place}_worker"]), collaborator if place == "first" else None,
                          number, today)
    count += _cases_children(demo, today)
    # The long-overdue reviews wait for the unit above at once, as the deadline sweep would raise them.
    escalations.sweep_overdue(utcnow())
    return count


def _added_by_the_collaborator(demo: Demo, commune, today: date) -> int:
    collaborator = find_user(demo.people["collaborator"]) if "collaborator" in demo.people else None
    if collaborator is None:
        return 0
    for name, sex, age, group, sub_case, (place, with_whom), days in BY_THE_COLLABORATOR:
        child = new_child(ChildDetails(full_name=name, sex=sex, date_of_birth=date(today.year - age, 6, 1),
                                       address_unit=commune, address_detail="Thôn 5"))
        added_on = today - timedelta(days=days)
        services.register_child(collaborator, child, services.Situation(place, with_whom),
                                services.Membership(group, sub_case, added_on - timedelta(days=30)), added_on)
        db.session.commit()
    return len(BY_THE_COLLABORATOR)



def _made_up(demo: Demo, commune, worker, collaborator, number: int, today: date) -> int:
    """The made-up children of `commune`, registered by its worker; a few added by the collaborator (and confirmed),
    and a dozen reviews given to them, most due or overdue, two recorded and waiting for the worker."""
    name = commune.name.split(" ", 1)[-1]
    children = made_up_children(demo.seed * 100 + int(commune.code), number, name, demo.places["province"], today)
    count = 0
    # A new child has no entry yet: nothing to flush before register_child's check, and one flush a batch is
    # much quicker than one a child.
    with db.session.no_autoflush:
        for index, made in enumerate(children):
            child = new_child(ChildDetails(full_name=made.full_name, sex=made.sex, date_of_birth=made.born,
                                           ethnicity=made.ethnicity, address_unit=commune,
                                           address_detail=made.village))
            (first, sub_case, since), more = made.groups[0], made.groups[1:]
            entry = services.register_child(
                worker, child, services.Situation(made.living_place, made.lives_with, made.school,
                                                  made.health_insurance, made.disability_certificate),
                services.Membership(first, sub_case, since), made.registered_on,
                more=[services.Membership(group, sub, day) for group, sub, day in more])
            if collaborator is not None and index < ADDED_BY_THE_COLLABORATOR:
                entry.added_by_id, entry.decided_by_id = collaborator.id, worker.id
                entry.decided_at = utcnow() - timedelta(days=(today - made.registered_on).days)
            for kind, description, started_on, amount in made.supports:
                entry.supports.append(RegisterSupport(kind=kind, description=description, started_on=started_on,
                                                      monthly_amount=amount))
            for number_done, reviewed_on in enumerate(made.reviews):
                entry.reviews.append(RegisterReview(reviewed_on=reviewed_on, reviewed_by_id=worker.id,
                                                    notes=_finding(index + number_done),
                                                    next_review_on=services.months_after(reviewed_on, 6)))
            entry.last_reviewed_on = made.reviews[-1] if made.reviews else None
            entry.next_review_on = made.next_review_on
            count += 1
            if count % BATCH == 0:
                db.session.commit()
    db.session.commit()
    if collaborator is not None:
        _give_to(collaborator, commune, today)
    return count


def _finding(number: int) -> str:
    from app.demo.children import FINDINGS

    return FINDINGS[number % len(FINDINGS)]


def _give_to(collaborator, commune, today: date) -> None:
    """The worker gives the collaborator the reviews of a dozen children, the most overdue first: two the
    collaborator has made already, waiting for the worker's confirmation."""
    due = db.session.scalars(sa.select(RegisterEntry).where(
        RegisterEntry.unit_id == commune.id, RegisterEntry.confirmation == CONFIRMED,
        RegisterEntry.next_review_on <= today + timedelta(days=30))
        .order_by(RegisterEntry.next_review_on, RegisterEntry.id).limit(GIVEN_TO_THE_COLLABORATOR)).all()
    for index, entry in enumerate(due):
        entry.reviewer_id = collaborator.id
        if index in (1, 4):
            entry.reviews.append(RegisterReview(
                reviewed_on=today - timedelta(days=index), reviewed_by_id=collaborator.id, confirmation=AWAITING,
                notes="Đã đến nhà, trẻ ở với bà; nhà dột, trẻ thiếu đồ dùng học tập. Đề nghị xã hỗ trợ.",
                next_review_on=services.months_after(today - timedelta(days=index), 6)))
    db.session.commit()


def _cases_children(demo: Demo, today: date) -> int:
    """Every other demo case's child, in the group the case's category puts them in: "some with cases"."""
    units = [find_unit(demo.places[place], demo.edition) for place in ("first", "second")]
    cases = db.session.scalars(sa.select(Case).where(Case.unit_id.in_([unit.id for unit in units]))
                               .order_by(Case.id))
    count = 0
    for index, case in enumerate(cases):
        category = next((each for each in case.categories if each in CATEGORY_GROUPS), None)
        child = case.child
        if index % 2 or category is None or (child.date_of_birth is None and child.birth_year is None) \
                or child.age_on(today) >= 16:
            continue
        if db.session.scalar(sa.select(RegisterEntry.id).where(RegisterEntry.child_id == case.child_id)):
            continue
        worker = find_user(demo.people["first_worker" if case.unit_id == units[0].id else "second_worker"])
        group, sub_case = CATEGORY_GROUPS[category]
        received = case.received_at.date()
        services.register_child(worker, case.child, services.Situation("with_parents", "Bố mẹ", case.child.school),
                                services.Membership(group, sub_case, min(received, today)), min(received, today))
        count += 1
    db.session.commit()
    return count
