"""The demo's report rounds: the Month of Action for Children of this year, which most communes sent late or not at
all, and the current half-year's round with a report in each state."""
from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa

from app.deadlines.services import local_zone
from app.demo.editions import Demo
from app.extensions import db
from app.orm import utcnow
from app.reporting import figures, services
from app.reporting.models import SECTIONS, Department, Report, ReportRound
from app.units.models import Unit
from app.units.services import find_unit
from app.users.services import find_user

TEXTS = {"results": "Đã tổ chức 4 buổi truyền thông về phòng, chống xâm hại trẻ em tại các thôn; thăm 12 gia đình "
                    "có trẻ em có hoàn cảnh đặc biệt.",
         "activities": "Lễ phát động Tháng hành động vì trẻ em tại nhà văn hóa xã; tặng quà trẻ em khó khăn.",
         "children_reached": "Khoảng 350 trẻ em tham gia; 25 trẻ em có hoàn cảnh khó khăn được tặng quà.",
         "funds": "Huy động 15.000.000 đồng từ các nhà hảo tâm; đã chi 12.500.000 đồng cho quà tặng.",
         "difficulties": "Cán bộ kiêm nhiệm nhiều việc; kinh phí truyền thông hạn chế.",
         "proposals": "Đề nghị huyện tổ chức tập huấn kỹ năng cho cộng tác viên thôn."}


def _written(kind: str) -> dict:
    return {key: TEXTS[key] for key in SECTIONS[kind]}


# The health department's draft, and what the other departments sent.
HEALTH_RESULTS = ("Tổ chức khám sàng lọc, tư vấn dinh dưỡng cho 1.200 trẻ em tại 12 trường mầm non; hướng dẫn các trạm "
                  "y tế xã phát hiện, báo cáo trẻ em bị xâm hại.")
DEPARTMENT_TEXTS = {
    "results": "Phối hợp tổ chức 6 buổi truyền thông về phòng, chống xâm hại trẻ em cho hội viên, đoàn viên và phụ "
               "huynh; tiếp nhận, chuyển cho xã nơi xảy ra 3 thông tin về trẻ em cần bảo vệ.",
    "difficulties": "Kinh phí cho công tác bảo vệ trẻ em của ngành còn hạn chế.",
    "proposals": "Đề nghị Sở Lao động – Thương binh và Xã hội tổ chức tập huấn kỹ năng cho cán bộ đầu mối của ngành."}


def seed_departments(demo: Demo) -> dict[str, Department]:
    """The province's departments and agencies that report, by name; made once."""
    province = find_unit(demo.places["province"], demo.edition)
    kept = {department.name: department for department in db.session.scalars(
        sa.select(Department).where(Department.province_id == province.id))}
    for name in demo.departments:
        if name not in kept:
            kept[name] = Department(province_id=province.id, name=name, active=True, created_at=utcnow())
            db.session.add(kept[name])
    db.session.commit()
    return kept


def seed_reporting(demo: Demo) -> int:
    """Create the demo rounds unless the province has some already; return how many were made."""
    province = find_unit(demo.places["province"], demo.edition)
    if db.session.scalar(sa.select(sa.exists().where(ReportRound.province_id == province.id))):
        return 0
    officer, supervisor = find_user(demo.people["officer"]), find_user(demo.people["supervisor"])
    first, second = find_user(demo.people["first_worker"]), find_user(demo.people["second_worker"])
    today = utcnow().astimezone(local_zone()).date()
    june = services.create_round(officer, "month_of_action", date(today.year, 6, 1), date(today.year, 6, 30),
                                 date(today.year, 7, 5), date(today.year, 7, 15), "year")
    # Tân Việt sent its Month of Action report; Cẩm Phúc, like most communes, has not sent it yet: late.
    services.submit(second, services.own_report(second, june), _written(june.kind))

    half = 1 if today.month <= 6 else 2
    start = date(today.year, 1 if half == 1 else 7, 1)
    end = date(today.year, 6, 30) if half == 1 else date(today.year, 12, 31)
    current = services.create_round(officer, "half_year", start, end, today + timedelta(days=3),
                                    today + timedelta(days=10), "half")
    services.save_draft(first, services.own_report(first, current), {"results": TEXTS["results"]})
    services.submit(second, services.own_report(second, current), _written(current.kind), number="08/BC-UBND")
    _others_below(demo, current, supervisor)
    _departments_report(demo, current, officer)
    return 2


def _departments_report(demo: Demo, round_: ReportRound, officer) -> None:
    """The health department's officer has a draft; the police sent theirs, accepted; the education department's
    waits for review (as if sent by people without a demo account)."""
    writer = next((find_user(username) for username in demo.department_of), None)
    if writer is not None:
        services.save_draft(writer, services.own_report(writer, round_), {"results": HEALTH_RESULTS})
    others = [report for report in db.session.scalars(
        sa.select(Report).join(Department, Department.id == Report.department_id)
        .where(Report.round_id == round_.id).order_by(Department.name))
        if writer is None or report.department_id != writer.department_id][:2]
    now = utcnow()
    for report, status in zip(others, ("accepted", "submitted"), strict=False):
        report.sections_json = json.dumps({key: DEPARTMENT_TEXTS.get(key, TEXTS[key]) for key in SECTIONS[round_.kind]},
                                          ensure_ascii=False)
        report.status, report.submitted_at = status, now - timedelta(days=1)
        if status == "accepted":
            report.reviewed_at, report.reviewed_by_id = now, officer.id
    db.session.commit()


def _others_below(demo: Demo, round_: ReportRound, supervisor) -> None:
    """Three more communes under the supervisor: one report waiting for review, one accepted, one returned (as if
    their workers, who have no demo account, had sent them)."""
    above = find_unit(demo.places["above"], demo.edition)
    skip = {demo.places["first"], demo.places["second"]}
    reports = [report for report in db.session.scalars(
        sa.select(Report).join(Unit, Unit.id == Report.unit_id)
        .where(Report.round_id == round_.id, Unit.parent_id == above.id, Unit.level == "commune")
        .order_by(Unit.path)) if report.unit.code not in skip][:3]
    now = utcnow()
    for report, status in zip(reports, ("submitted", "accepted", "returned"), strict=False):
        taken = figures.snapshot(supervisor, report.unit, round_.period_start, round_.period_end, now)
        report.sections_json = json.dumps(_written(round_.kind), ensure_ascii=False)
        report.figures_json = json.dumps(taken, ensure_ascii=False)
        report.status, report.submitted_at = status, now - timedelta(days=1)
        if status != "submitted":
            report.reviewed_at, report.reviewed_by_id = now, supervisor.id
        if status == "returned":
            report.return_reason = "Đề nghị bổ sung số trẻ em được hỗ trợ trong kỳ."
    db.session.commit()
