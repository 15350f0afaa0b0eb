"""A few hundred made-up children for the demo communes' registers (issue 18): Vietnamese names, births under 16,
mostly Kinh with some ethnic minorities, every group of Law on Children art. 10 and children at risk, allowances and
services, reviews done, due, overdue and long overdue, some given to the village collaborator. Drawn from a seeded
random generator: the same children each time the demo is loaded."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.register.groups import SUB_CASES
from app.register.services import months_after

SURNAMES = [("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 5), ("Phan", 3), ("Đặng", 3),
            ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2), ("Ngô", 2), ("Dương", 2), ("Đinh", 2), ("Lý", 1), ("Mạc", 1),
            ("Trịnh", 1), ("Đào", 1), ("Cao", 1), ("Lương", 1)]
MIDDLE = {"male": ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Gia", "Thành", "Tuấn", "Công"],
          "female": ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Khánh", "Phương", "Bảo", "Mai"]}
GIVEN = {"male": ["An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Huy", "Hùng", "Khang",
                  "Khoa", "Khôi", "Kiên", "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn",
                  "Tài", "Thắng", "Thịnh", "Toàn", "Trung", "Tú", "Việt", "Vinh"],
         "female": ["Anh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Huyền", "Hương",
                    "Lan", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên",
                    "Tâm", "Thảo", "Trang", "Trâm", "Uyên", "Vân", "Vy", "Yến"]}
ADULTS = {"male": ["Lựu", "Thành", "Hòa", "Tâm", "Chiến", "Khải", "Lộc"],
          "female": ["Lựu", "Nụ", "Hiền", "Xuân", "Tươi", "Mận", "Gấm"]}
# Hải Dương and Hải Phòng are almost all Kinh; the minorities living there, as the 2019 census counts them.
ETHNICITIES = [("Kinh", 92), ("Tày", 2), ("Mường", 2), ("Nùng", 1), ("Hoa", 1), ("Sán Dìu", 1), ("Dao", 1)]
# How often each group is met in a commune: children at risk, disabled and poor children with serious illness
# are many; children addicted to drugs or trafficked, few. Each group appears at least once.
GROUP_WEIGHTS = {"at_risk": 26, "disabled": 18, "seriously_ill_poor": 9, "orphaned": 7, "without_support": 6,
                 "harmed_by_violence": 6, "dropped_out_to_work": 5, "abandoned": 4, "migrant_without_carer": 3,
                 "hiv": 3, "in_conflict_with_law": 3, "exploited": 3, "sexually_abused": 3, "drug_addicted": 1,
                 "trafficked": 1}
PLACES = {"orphaned": ["with_relatives", "with_relatives", "foster_family", "facility"],
          "abandoned": ["foster_family", "with_relatives", "facility"],
          "without_support": ["with_relatives", "with_relatives", "foster_family"],
          "migrant_without_carer": ["on_own", "other", "with_relatives"]}
OTHER_PLACES = ["with_parents", "with_parents", "with_one_parent", "with_one_parent", "with_relatives"]
RELATIVES = [("Bà nội", "female"), ("Bà ngoại", "female"), ("Ông nội", "male"), ("Ông ngoại", "male"),
             ("Bác", "male"), ("Cô", "female"), ("Chú", "male"), ("Dì", "female")]
ONE_PARENT = ["Mẹ, bố đi làm ăn xa", "Mẹ, bố mẹ đã ly hôn", "Bố, mẹ đi xuất khẩu lao động", "Mẹ, bố đã mất",
              "Bố, mẹ bỏ đi không liên lạc"]
# Decree 20/2021 art. 6 (orphans and children without support, HIV, poor) and art. 20 (disability): the monthly
# allowance is the standard (360.000 đồng; 500.000 from 1 July 2024, Decree 76/2024) times a coefficient.
STANDARD_CHANGED_ON, STANDARDS = date(2024, 7, 1), (360_000, 500_000)
ALLOWED_GROUPS = {"orphaned", "abandoned", "without_support", "hiv"}
SERVICES = {
    "disabled": "Phục hồi chức năng tại Trạm Y tế xã",
    "harmed_by_violence": "Tư vấn tâm lý tại Trung tâm Công tác xã hội tỉnh",
    "sexually_abused": "Trị liệu tâm lý và trợ giúp pháp lý",
    "dropped_out_to_work": "Hỗ trợ học phí, đưa trẻ trở lại trường",
    "seriously_ill_poor": "Hỗ trợ chi phí điều trị, thẻ bảo hiểm y tế hộ nghèo",
    "in_conflict_with_law": "Giáo dục tại xã phường, thị trấn; tư vấn gia đình",
    "drug_addicted": "Cai nghiện tại gia đình, tư vấn tại Trạm Y tế xã",
    "at_risk": "Tư vấn, giám sát gia đình tại nhà",
    "exploited": "Hỗ trợ học nghề và trở lại trường",
    "trafficked": "Hỗ trợ tái hòa nhập cộng đồng, tư vấn tâm lý",
    "migrant_without_carer": "Hỗ trợ làm giấy tờ, tìm người thân",
}
FINDINGS = ["Trẻ sống ổn định, đi học đều, sức khỏe bình thường.",
            "Gia đình vẫn khó khăn; trẻ đã nhận trợ cấp đủ các tháng.",
            "Trẻ tiến bộ ở trường; người chăm sóc cần thêm hỗ trợ về kinh tế.",
            "Đã thăm nhà, trao đổi với người chăm sóc và giáo viên chủ nhiệm; không có dấu hiệu nguy cơ mới.",
            "Sức khỏe trẻ có cải thiện sau đợt điều trị; tiếp tục theo dõi.",
            "Người chăm sóc đã lớn tuổi; đề nghị xã xem xét hỗ trợ thêm.",
            "Trẻ nghỉ học hai tuần do ốm, nay đã đi học lại."]
DEGREES = {"especially_severe": "đặc biệt nặng", "severe": "nặng", "mild": "nhẹ"}
# Each child's review: long overdue (raised by the deadline sweep), overdue, due within the week, or later.
REVIEW_STATES = [("long_overdue", 5), ("overdue", 9), ("due_soon", 6), ("later", 80)]


@dataclass
class MadeUp:
    full_name: str
    sex: str
    born: date
    ethnicity: str
    village: str
    groups: list[tuple[str, str | None, date]]  # group, sub-case, since
    registered_on: date
    living_place: str
    lives_with: str
    school: str | None
    health_insurance: str | None
    disability_certificate: str | None
    supports: list[tuple[str, str, date, int | None]]  # kind, description, from, đồng a month
    reviews: list[date]  # the reviews done, each on the day it was due
    next_review_on: date


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _weight in pairs], [weight for _value, weight in pairs])[0]


def _person(rng: random.Random, sex: str, surname: str | None = None) -> str:
    return f"{surname or _weighted(rng, SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _school(age: int, commune: str, group: str) -> str | None:
    if age < 3 or group == "dropped_out_to_work":
        return None
    return f"Trường {'Mầm non' if age < 6 else 'Tiểu học' if age < 11 else 'THCS'} {commune}"


def _lives_with(rng: random.Random, place: str, surname: str) -> str:
    if place == "with_parents":
        return "Bố mẹ"
    if place == "with_one_parent":
        return rng.choice(ONE_PARENT)
    if place == "with_relatives":
        relative, sex = rng.choice(RELATIVES)
        return f"{relative} {surname if 'nội' in relative else _weighted(rng, SURNAMES)} " \
               f"{'Thị' if sex == 'female' else 'Văn'} {rng.choice(ADULTS[sex])}"
    if place == "foster_family":
        return f"Gia đình ông {_person(rng, 'male')} nhận chăm sóc thay thế"
    if place == "facility":
        return "Trung tâm Bảo trợ xã hội tỉnh"
    if place == "on_own":
        return "Ở trọ một mình, làm thuê tại chợ"
    return "Nhà chùa trong xã"


def _allowance(group: str, sub_case: str | None, age: int, started_on: date) -> int | None:
    standard = STANDARDS[started_on >= STANDARD_CHANGED_ON]
    if group in ALLOWED_GROUPS:
        return int(standard * (2.5 if age < 4 else 1.5))
    if group == "disabled" and sub_case in ("especially_severe", "severe"):
        return int(standard * (2.5 if sub_case == "especially_severe" else 2.0))
    return None


def _review_dates(rng: random.Random, today: date, born: date) -> tuple[date, list[date], date]:
    """The registration, the reviews done and the next review due, for a state drawn from REVIEW_STATES: the next
    review falls on the day the state asks, and the earlier ones every six months back to the registration."""
    state = _weighted(rng, REVIEW_STATES)
    next_on = today + timedelta(days={"long_overdue": -rng.randint(35, 120), "overdue": -rng.randint(1, 28),
                                      "due_soon": rng.randint(0, 7), "later": rng.randint(8, 175)}[state])
    periods = rng.randint(1, 5)
    while periods > 1 and months_after(next_on, -6 * periods) < born + timedelta(days=30):
        periods -= 1
    registered_on = max(months_after(next_on, -6 * periods), born + timedelta(days=30))
    reviews = [months_after(registered_on, 6 * number) for number in range(1, periods)]
    return registered_on, reviews, next_on


def made_up_children(seed: int, count: int, commune: str, province_code: str, today: date) -> list[MadeUp]:
    """`count` children of the commune named `commune` (its name without "Xã"), every group among them."""
    rng = random.Random(seed)
    keys = list(GROUP_WEIGHTS)
    # Every group once, then as often as it is met.
    firsts = keys + rng.choices(keys, [GROUP_WEIGHTS[key] for key in keys], k=max(count - len(keys), 0))
    rng.shuffle(firsts)
    children = []
    for group in firsts[:count]:
        sex = rng.choice(("male", "female"))
        surname = _weighted(rng, SURNAMES)
        age = rng.randint(0, 15) if group not in ("dropped_out_to_work", "in_conflict_with_law", "drug_addicted",
                                                    "exploited") else rng.randint(12, 15)
        born = today - timedelta(days=365 * age + rng.randint(0, 364))
        registered_on, reviews, next_on = _review_dates(rng, today, born)
        sub_case = rng.choice(list(SUB_CASES[group])) if group in SUB_CASES and rng.random() < 0.9 else None
        since = max(born, registered_on - timedelta(days=rng.randint(0, 400)))
        groups = [(group, sub_case, since)]
        # Some children are in two groups: a disabled child of a poor household, an orphan at risk.
        if rng.random() < 0.12:
            second = rng.choice([key for key in ("disabled", "seriously_ill_poor", "at_risk", "dropped_out_to_work")
                                 if key != group])
            groups.append((second, None, registered_on))
        place = rng.choice(PLACES.get(group, OTHER_PLACES))
        supports = []
        amount = _allowance(group, sub_case, age, registered_on)
        if amount:
            supports.append(("cash_allowance", "Trợ cấp xã hội hằng tháng, chi trả tại UBND xã", registered_on, amount))
        if group in SERVICES and rng.random() < 0.6:
            supports.append(("service", SERVICES[group], registered_on + timedelta(days=rng.randint(0, 30)), None))
        if place == "foster_family":
            supports.append(("alternative_care", "Chăm sóc thay thế tại gia đình nhận chăm sóc, theo quyết định của "
                                                 "UBND xã", registered_on, None))
        number = rng.randint(10**9, 10**10 - 1)
        children.append(MadeUp(
            full_name=f"{surname} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}", sex=sex, born=born,
            ethnicity=_weighted(rng, ETHNICITIES), village=f"Thôn {rng.randint(1, 9)}", groups=groups,
            registered_on=registered_on, living_place=place, lives_with=_lives_with(rng, place, surname),
            school=_school(age, commune, group),
            health_insurance=f"TE1{province_code}{number}" if rng.random() < 0.88 else None,
            disability_certificate=(f"Số {rng.randint(10, 999)}/GXNKT, {DEGREES.get(sub_case, 'nặng')}"
                                    if group == "disabled" else None),
            supports=supports, reviews=reviews, next_review_on=next_on))
    return children
