"""A handful of registered children in the first demo commune (issue 18): some with a case, one whose review is
overdue."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.cases.models import Case, CaseCategory
from app.children.models import Child
from app.children.services import ChildDetails, new_child
from app.demo.editions import Demo
from app.extensions import db
from app.orm import utcnow
from app.register import services
from app.register.models import RegisterEntry
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
    return count + _added_by_the_collaborator(demo, commune, today)


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

