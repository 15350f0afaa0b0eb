"""Two care facilities (issue 19, point 6), each inspected once: the provincial centre with a correction still open
and past its deadline, the pagoda's home with everything met; a demo child in alternative care at the centre."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.cases.models import Case, CaseCategory
from app.demo.editions import Demo
from app.extensions import db
from app.facilities import services
from app.facilities.checklist import CHECKLIST
from app.facilities.models import Facility
from app.units.services import find_unit
from app.users.models import User
from app.users.services import find_user

TEAM = "Đoàn kiểm tra liên ngành: bà Vũ Thị Mai (trưởng đoàn), ông Đỗ Quang Huy, bà Lê Thị Nga (Y tế)"


def seed_facilities(demo: Demo) -> int:
    """Register and inspect the demo facilities unless the province has some already; return how many."""
    province = find_unit(demo.places["province"], demo.edition)
    communes = [find_unit(demo.places[place], demo.edition) for place in ("first", "second")]
    if db.session.scalar(sa.select(sa.exists().where(Facility.unit_id.in_([unit.id for unit in communes])))):
        return 0
    inspector = db.session.scalar(sa.select(User).where(User.role == "inspector", User.unit_id == province.id,
                                                        User.username.in_([a[0] for a in demo.accounts])))
    today = services.today()
    centre = services.register_facility(inspector, communes[1], services.Details(
        kind="social_assistance_centre", name=f"Trung tâm Bảo trợ xã hội {province.name.split(' ', 1)[-1]}",
        address="Đường Nguyễn Lương Bằng", capacity=60, licence_number="05/GP-SLĐTBXH",
        licence_issuer="Sở Lao động - Thương binh và Xã hội", licence_issued_on=date(2021, 6, 1),
        licence_expires_on=date(2026, 6, 1)))
    pagoda = services.register_facility(inspector, communes[0], services.Details(
        kind="pagoda_charity", name="Mái ấm chùa Phúc Lâm", address="Thôn Nghĩa Phú", capacity=15,
        licence_number="12/GCN-UBND", licence_issuer="Ủy ban nhân dân huyện", licence_issued_on=date(2023, 2, 10)))
    first = services.plan_inspection(inspector, centre, today - timedelta(days=45), TEAM)
    services.record_inspection(
        inspector, first, {**dict.fromkeys(CHECKLIST, "met"), "licence": "not_met", "staff": "not_met"},
        "Giấy phép hoạt động đã hết hạn; thiếu 3 nhân viên chăm sóc so với số trẻ đang nuôi dưỡng.",
        [services.NewCorrection("Làm thủ tục cấp lại giấy phép hoạt động", today - timedelta(days=5)),
         services.NewCorrection("Tuyển đủ nhân viên chăm sóc, báo cáo bằng văn bản", today + timedelta(days=30))])
    second = services.plan_inspection(inspector, pagoda, today - timedelta(days=20), TEAM)
    services.record_inspection(inspector, second, dict.fromkeys(CHECKLIST, "met"), None, [])
    services.plan_inspection(inspector, pagoda, today + timedelta(days=60), TEAM)
    _place_a_child(demo, centre, today)
    return 2


def _place_a_child(demo: Demo, facility: Facility, today: date) -> None:
    """The abandoned child of the first commune's demo case, in alternative care at the centre."""
    commune = find_unit(demo.places["first"], demo.edition)
    case = db.session.scalar(sa.select(Case).join(CaseCategory, CaseCategory.case_id == Case.id).where(
        Case.unit_id == commune.id, CaseCategory.category == "abandonment").order_by(Case.id).limit(1))
    if case is not None:
        services.place_child(find_user(demo.people["first_worker"]), facility, case.child, "alternative_care",
                             today - timedelta(days=30), case)
