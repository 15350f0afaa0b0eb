"""About thirty demonstration cases in the demo communes, in every status, some overdue."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from app.cases import services
from app.cases.models import Case
from app.children.services import ChildDetails, youngest_age
from app.demo.editions import Demo
from app.extensions import db
from app.orm import utcnow
from app.units.models import Unit
from app.units.services import find_unit
from app.users.services import find_user

CHILDREN = [
    ("Nguyễn Văn An", "male"), ("Trần Thị Bình", "female"), ("Lê Minh Châu", "female"), ("Phạm Quốc Dũng", "male"),
    ("Hoàng Thị Hà", "female"), ("Vũ Đức Hải", "male"), ("Đặng Thu Hằng", "female"), ("Bùi Văn Hùng", "male"),
    ("Đỗ Thị Hương", "female"), ("Ngô Gia Huy", "male"), ("Dương Thị Lan", "female"), ("Lý Văn Long", "male"),
    ("Mai Thị Linh", "female"), ("Trịnh Đình Mạnh", "male"), ("Đinh Thị Ngọc", "female"), ("Tạ Văn Nam", "male"),
    ("Hồ Thị Oanh", "female"), ("Cao Minh Phúc", "male"), ("Lưu Thị Quỳnh", "female"), ("Phan Văn Sơn", "male"),
    ("Vương Thị Thảo", "female"), ("Chu Đức Thắng", "male"), ("Kiều Thị Trang", "female"), ("La Văn Tuấn", "male"),
    ("Quách Thị Uyên", "female"), ("Âu Văn Việt", "male"), ("Lâm Thị Xuân", "female"), ("Tôn Thất Yên", "male"),
    ("Giang Thị Yến", "female"), ("Khúc Văn Bảo", "male"),
]
STORIES = {
    "violence": "Hàng xóm báo trẻ thường xuyên bị cha đánh, có vết bầm ở tay.",
    "neglect": "Trẻ ở nhà một mình nhiều ngày, không được ăn uống đầy đủ.",
    "exploitation": "Trẻ phải làm thuê tại xưởng gỗ, nghỉ học từ đầu năm.",
    "sexual_abuse": "Nhà trường báo có dấu hiệu trẻ bị xâm hại tình dục.",
    "abandonment": "Cha mẹ đi làm ăn xa, bỏ trẻ lại một mình, không liên lạc được.",
    "trafficking": "Gia đình báo trẻ bị người lạ dụ đi làm ở tỉnh khác, mất liên lạc.",
}
# The status each demo case is taken to, in order: every status appears, and the first ones are overdue.
TARGETS = ["reported"] * 6 + ["assessing"] * 6 + ["planning"] * 6 + ["in_progress"] * 5 + ["monitoring"] * 4 + \
          ["closed"] * 3
ACTION = services.PlannedAction


def seed_cases(demo: Demo) -> int:
    """Create the demo cases unless some already exist in the demo communes; return how many were made."""
    units = demo_communes(demo)
    if db.session.scalar(sa.select(sa.exists().where(Case.unit_id.in_([unit.id for unit in units])))):
        return 0
    people = {part: find_user(demo.people[part]) for part in ("first_worker", "first_leader", "second_worker",
                                                               "second_leader")}
    leaders = {people[part].unit_id: people[part] for part in ("first_leader", "second_leader")}
    chance = random.Random(demo.seed)
    now = utcnow()
    for number, ((name, sex), target) in enumerate(zip(CHILDREN, TARGETS, strict=True)):
        worker = people["first_worker"] if number % 3 else people["second_worker"]
        category = list(STORIES)[number % len(STORIES)]
        details = ChildDetails(full_name=name, sex=sex, date_of_birth=date(now.year - 2 - number % 13,
                                                                            1 + number % 12, 1 + number % 27),
                               address_unit=worker.unit, address_detail=f"Thôn {1 + number % 6}",
                               carers=[{"name": "Người chăm sóc", "relationship": "Mẹ", "phone": "0912345678"}])
        hours_ago = 30 if number < 3 else chance.randint(1, 10)
        report = services.Report(source=chance.choice(["hotline_111", "police", "school", "family", "community"]),
                                 received_at=now - timedelta(hours=hours_ago), categories=[category],
                                 description=STORIES[category], immediate_danger=category in ("violence",
                                                                                             "sexual_abuse"),
                                 harm_status="abused" if number % 2 else "at_risk",
                                 harm_foreseen="Trẻ có thể bị tổn thương về thể chất và tinh thần.",
                                 child_consent="agreed" if youngest_age(details, now.date()) >= 7 else "under_7",
                                 carer_consent="agreed" if number % 5 else "refused",
                                 data_ground=None if number % 5 else "legal_duty")
        case = services.open_case(worker, worker.unit, report, child_details=details)
        _advance(case, target, worker, leaders[worker.unit_id], chance)
        if target == "in_progress" and TARGETS[number - 1] != "in_progress":
            # A closure no review can precede (Decree 56/2017 art. 30): the family moved, the file handed over; it
            # waits for the commune leader.
            services.propose_closure(case, worker, "moved_away",
                                     "Gia đình chuyển đến xã Hòa Bình; đã bàn giao hồ sơ cho UBND xã Hòa Bình.",
                                     case.version)
        if number == 0:
            # A child in danger: the worker proposed an isolation, which waits for the leader (art. 32).
            today = now.date()
            services.propose_isolation(case, worker, services.IsolationProposal(
                reason="Cha đánh trẻ nhiều lần, trẻ không an toàn ở nhà.", place="Nhà bà ngoại, thôn 2",
                with_whom="Bà ngoại của trẻ", first_day=today, last_day=today + timedelta(days=7)), case.version)
        if target == "assessing" and number % 2:
            # As if the assessment were a week old: the plan is now overdue.
            case.deadline("plan_draft").due_at = now - timedelta(days=1)
            db.session.commit()
    _kept_from_before(people["second_worker"], leaders[people["second_worker"].unit_id], chance)
    _forwarded_by_the_hotline(find_user(demo.people["hotline"]), units[1])
    return len(TARGETS) + 2


def demo_communes(demo: Demo) -> list[Unit]:
    """The first and the second commune, where every demo case is."""
    return [find_unit(demo.places[place], demo.edition) for place in ("first", "second")]


def _forwarded_by_the_hotline(hotline, commune) -> None:
    """A call to hotline 111 about a child in the second commune, recorded by the hotline and forwarded at once
    (Decree 56 art. 26.1): no one there has taken it up yet, so the commune's worker and leader find it waiting."""
    received = utcnow() - timedelta(minutes=40)
    details = ChildDetails(full_name="Lò Thị Mỷ", sex="female", date_of_birth=date(received.year - 9, 6, 12),
                           address_unit=commune, address_detail="Thôn 4")
    report = services.Report(source="hotline_111", received_at=received, categories=["violence"],
                             description="Người gọi 111 báo trẻ bị cha dượng đánh, đang khóc ở nhà hàng xóm.",
                             immediate_danger=True, harm_status="abused", reporter_name="Hàng xóm",
                             child_consent="not_reached", carer_consent="not_reached", data_ground="protect_life")
    services.open_case(hotline, commune, report, child_details=details)


def _kept_from_before(worker, leader, chance) -> None:
    """A 16-year-old's case taken before the under-16 rule (Law on Children art. 1), when the limit was 18: kept,
    counted apart in the statistics and listed for the province to review. Opened as cases are opened today, then
    given the birth date it was recorded with then."""
    received = utcnow() - timedelta(days=400)
    details = ChildDetails(full_name="Hà Văn Khải", sex="male", date_of_birth=date(received.year - 12, 3, 3),
                           address_unit=worker.unit, address_detail="Thôn 2",
                           carers=[{"name": "Hà Thị Mến", "relationship": "Mẹ", "age": 44, "occupation": "Làm ruộng"}])
    report = services.Report(source="police", received_at=received, categories=["exploitation"],
                             description=STORIES["exploitation"], harm_status="abused")
    case = services.open_case(worker, worker.unit, report, child_details=details)
    born = received.date() - timedelta(days=round(16.5 * 365))
    case.child.date_of_birth, case.child.birth_year = born, born.year
    db.session.commit()
    _advance(case, "monitoring", worker, leader, chance)


def _advance(case, target, worker, leader, chance) -> None:
    order = ["reported", "assessing", "planning", "in_progress", "monitoring", "closed"]
    if order.index(target) >= 1:
        answers = {key: chance.random() < 0.3 for key in ("life_in_danger", "repeated_harm", "no_safe_adult",
                                                          "neglect_signs")}
        services.assess(case, worker, answers, "Đã gặp trẻ và gia đình.", case.version)
    if order.index(target) >= 2:
        services.draft_plan(case, worker, "Trẻ được an toàn, đi học đều và được chăm sóc.", [
            ACTION("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date.today() + timedelta(days=30)),
            ACTION("Hỗ trợ học phí", "Trường tiểu học xã", date.today() + timedelta(days=60))], case.version)
        services.submit_plan(case, worker, case.version)
    if order.index(target) >= 3:
        services.approve_plan(case, leader, case.version)
        services.log(case, worker, "visit", utcnow(), "Thăm nhà: trẻ khỏe, đã đi học lại.")
    if order.index(target) >= 4:
        # Mẫu 06: the harm has passed and the abuser is kept away; the family still needs support.
        services.review(case, worker, {"harm": "low", "abuser_access": "low", "care_obstacles": "medium",
                                       "self_protection": "medium"},
                        "Trẻ an toàn; gia đình cần tiếp tục được hỗ trợ.", case.version,
                        notes={"care_obstacles": "Mẹ đi làm xa, bà ngoại chăm sóc trẻ.",
                               "self_protection": "Trẻ biết gọi 111 và tìm cô giáo khi cần."})
    if target == "closed":
        services.propose_closure(case, worker, "safe_stable", None, case.version)
        services.approve_closure(case, leader, case.version)
