"""Departments and agencies report too (the plan's section III): the province keeps their list, a round asks them,
their officers write only their department's reports, the province reviews them on its board, lists their
narratives in its consolidated report, and the sweep raises a late one to the province."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.cases.services import Invalid, NotAllowed
from app.extensions import db
from app.reporting import services
from app.reporting.models import Report, ReportEscalation
from tests.factories import make_department, pdf_text
from tests.reporting.conftest import written


@pytest.fixture
def health(units):
    return make_department("Sở Y tế tỉnh Hải Dương")


@pytest.fixture
def youth(units):
    return make_department("Tỉnh đoàn Hải Dương")


@pytest.fixture
def health_officer(make_user, health):
    return make_user("department_officer", department=health, full_name="Phạm Thị Y")


@pytest.fixture
def round_(make_round, health, youth):
    return make_round()


def department_report(round_, department) -> Report:
    return db.session.scalar(sa.select(Report).where(Report.round_id == round_.id,
                                                     Report.department_id == department.id))


def test_a_round_asks_every_active_department_of_the_province(make_round, health, youth):
    youth.active = False
    db.session.commit()
    round_ = make_round()
    assert department_report(round_, health) is not None and department_report(round_, youth) is None


def test_a_round_asks_only_the_reporters_the_officer_chose(officer, health, youth):
    day = services.utcnow().date()
    round_ = services.create_round(officer, "month_of_action", day, day, day, day, communes=False, districts=False,
                                   departments=[health.id])
    reports = list(db.session.scalars(sa.select(Report).where(Report.round_id == round_.id)))
    assert sorted(report.reporter_name for report in reports) == ["Sở Y tế tỉnh Hải Dương", "Tỉnh Hải Dương"]


def test_a_department_is_due_with_the_communes(round_, health):
    assert department_report(round_, health).due_day == round_.due_on


def test_the_department_officer_writes_and_sends_only_their_department_s_report(health_officer, round_, health,
                                                                                 youth):
    own = services.own_report(health_officer, round_)
    assert own.department_id == health.id
    services.submit(health_officer, own, written())
    with pytest.raises(NotAllowed):
        services.save_draft(health_officer, department_report(round_, youth), written())


def test_a_department_report_has_no_figures(health_officer, round_):
    report = services.submit(health_officer, services.own_report(health_officer, round_), written())
    assert report.figures_json is None and services.current_figures(health_officer, report, report.due_at) is None


def test_the_province_reviews_a_department_s_report_and_a_district_cannot(make_user, officer, health_officer,
                                                                          round_):
    report = services.submit(health_officer, services.own_report(health_officer, round_), written())
    with pytest.raises(NotAllowed):
        services.accept(make_user("supervisor", unit="295"), report)
    db.session.rollback()
    services.return_report(officer, report, "Bổ sung số trẻ em được khám sàng lọc.")
    assert report.status == "returned"
    services.submit(health_officer, report, written())
    assert services.accept(officer, report).status == "accepted"


def test_the_province_board_lists_its_departments_apart_from_its_units(officer, health_officer, round_):
    services.submit(health_officer, services.own_report(health_officer, round_), written())
    board = services.board(officer, round_, services.utcnow())
    assert [line.report.reporter_name for line in board.departments] == ["Sở Y tế tỉnh Hải Dương",
                                                                        "Tỉnh đoàn Hải Dương"]
    assert board.count("submitted", departments=True) == 1
    assert all(line.report.department_id is None for line in board.lines)


def test_a_district_board_lists_no_department(make_user, round_):
    board = services.board(make_user("supervisor", unit="295"), round_, services.utcnow())
    assert board.departments == [] and board.lines


def test_the_province_s_report_lists_the_accepted_departments_narratives_by_department(
        make_user, officer, health_officer, round_, youth):
    worker, supervisor = make_user("worker", unit="10933"), make_user("supervisor", unit="295")
    district = services.own_report(supervisor, round_)
    services.accept(supervisor, services.submit(worker, services.own_report(worker, round_), written()))
    services.accept(officer, services.submit(supervisor, district, written()))
    sent = services.submit(health_officer, services.own_report(health_officer, round_),
                           written(results="Khám sàng lọc cho 1.200 trẻ em."))
    services.accept(officer, sent)
    province = services.submit(officer, services.own_report(officer, round_), written())
    departments = [part for part in province.parts if part.get("department")]
    assert departments == [{"unit": "Sở Y tế tỉnh Hải Dương", "department": True,
                            "sections": written(results="Khám sàng lọc cho 1.200 trẻ em.")}]
    assert [part["unit"] for part in province.parts if not part.get("department")] == [district.unit.name]
    assert "Khám sàng lọc cho 1.200 trẻ em." in pdf_text(services_pdf(province, officer))


def services_pdf(report, by):
    from app.reporting.documents import render_pdf

    return render_pdf(report, by, services.utcnow())


def test_a_late_department_report_is_raised_to_the_province_once(officer, health, round_):
    report = department_report(round_, health)
    late = report.due_at + timedelta(hours=1)
    raised = services.sweep_late(late)
    escalations = list(db.session.scalars(sa.select(ReportEscalation).where(ReportEscalation.report_id == report.id)))
    assert [(e.to_unit_id, e.level) for e in escalations] == [(officer.unit_id, 1)]
    assert escalations[0].id in raised
    assert not set(services.sweep_late(late + timedelta(days=5))) & {e.id for e in escalations}
    assert report in [escalation.report for escalation in services.duties_for(officer, late).escalations]


def test_the_department_officer_s_duties_name_their_report_only(health_officer, round_, health):
    duties = services.duties_for(health_officer, department_report(round_, health).due_at)
    assert [report.department_id for report in duties.to_send] == [health.id]
    assert duties.to_review == [] and duties.escalations == []


def test_repeating_a_round_asks_the_same_departments(officer, health, youth):
    day = services.utcnow().date()
    first = services.create_round(officer, "half_year", day, day, day, day, "half", departments=[youth.id])
    following = services.repeat_round(officer, first)
    assert [report.reporter_name for report in db.session.scalars(
        sa.select(Report).where(Report.round_id == following.id, Report.department_id.isnot(None)))] == [
        "Tỉnh đoàn Hải Dương"]


def test_the_province_officer_adds_a_department_once(officer, units):
    services.add_department(officer, "  Công an   tỉnh Hải Dương ")
    with pytest.raises(Invalid) as refused:
        services.add_department(officer, "công an tỉnh hải dương")
    assert list(refused.value.fields) == ["name"]
    assert [department.name for department in services.departments_of(officer)] == ["Công an tỉnh Hải Dương"]


def test_only_the_province_officer_keeps_the_departments(make_user, units):
    with pytest.raises(NotAllowed):
        services.add_department(make_user("province_officer", unit="295"), "Phòng Y tế huyện")


def test_the_trail_tells_a_department_s_report_by_its_name(app, health_officer, round_):
    from flask_babel import force_locale

    from app.audit.narrative import narrate
    from tests.factories import last_audit_entry

    services.submit(health_officer, services.own_report(health_officer, round_), written())
    with app.test_request_context(), force_locale("en"):
        told = narrate([last_audit_entry(entity="unit_reports")])[0].sentence
        added = narrate([last_audit_entry(entity="departments", action="create")])[0].sentence
    assert "sent the report of Sở Y tế tỉnh Hải Dương for Six-monthly child-protection report" in told
    assert "Tỉnh đoàn Hải Dương to the departments and agencies that report" in added


def test_a_department_s_report_prints_under_its_own_name_without_the_committee_s(officer, health_officer, round_):
    report = services.submit(health_officer, services.own_report(health_officer, round_), written())
    text = pdf_text(services_pdf(report, officer))
    assert "SỞ Y TẾ TỈNH HẢI DƯƠNG" in text and "ỦY BAN NHÂN DÂN" not in text and "SỐ LIỆU" not in text
