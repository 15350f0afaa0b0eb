"""Care facilities (issue 19, point 6): the register, children placed there, inspections, corrections and their
deadlines, scope in both structures, the trail."""
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask import g
from flask_babel import force_locale

from app.access import may_manage_facility, scoped_facilities
from app.audit.narrative import narrate
from app.audit.recorder import act_as, actor_for
from app.cases.services import NotAllowed, WrongState
from app.escalations import services as escalations
from app.extensions import db
from app.facilities import services
from app.facilities.models import Correction, CorrectionEscalation, Facility
from app.notifications.services import count_for, notices_for
from tests.factories import (ALL_MET, audit_entries, inspect, isolate, last_audit_entry, load_two_levels, make_case,
                             make_facility, make_user, unit)


@pytest.fixture
def officer(make_user):
    return make_user("province_officer", full_name="Trần Thị Lan")


@pytest.fixture
def inspector(make_user):
    return make_user("inspector", full_name="Phạm Văn Hùng")


@pytest.fixture
def today(app):
    return services.today()


def ids(user):
    return set(db.session.scalars(scoped_facilities(user).with_only_columns(Facility.id)))


# The register

def test_an_inspector_registers_a_facility_with_its_licence_and_capacity(inspector):
    facility = make_facility(inspector)
    assert (facility.unit.code, facility.capacity, facility.licence_number) == ("10933", 40, "12/GP-SLĐTBXH")
    assert facility.licence_expires_on == date(2027, 3, 1)


@pytest.mark.parametrize("details, field", [
    ({"name": " "}, "name"), ({"capacity": 0}, "capacity"), ({"kind": "prison"}, "kind"),
    ({"licence_expires_on": date(2021, 1, 1)}, "licence_expires_on"), ({"licence_number": None}, "licence_number")])
def test_a_facility_with_bad_details_is_refused_and_nothing_is_saved(inspector, details, field):
    with pytest.raises(services.FacilityRefused) as refusal:
        make_facility(inspector, **details)
    assert field in refusal.value.fields
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Facility)) == 0


def test_a_facility_stands_in_a_commune(inspector):
    with pytest.raises(services.FacilityRefused) as refusal:
        make_facility(inspector, unit_code="295")
    assert "unit" in refusal.value.fields


def test_a_commune_worker_does_not_register_facilities(make_user):
    with pytest.raises(NotAllowed):
        make_facility(make_user("worker"))


# Scope: 2024 with districts

def test_everyone_who_works_with_children_reads_the_province_s_facilities(inspector, make_user):
    facility = make_facility(inspector, unit_code="10507")
    for role in ("worker", "commune_leader", "supervisor", "province_officer", "inspector"):
        assert facility.id in ids(make_user(role))
    assert ids(make_user("admin")) == set()
    assert ids(make_user("intake")) == set()


def test_a_district_inspector_manages_the_facilities_of_its_communes_only(inspector, make_user):
    here, elsewhere = make_facility(inspector), make_facility(inspector, unit_code="10507", name="Chùa Phúc Lâm")
    district = make_user("inspector", unit="295")
    assert may_manage_facility(district, here) and not may_manage_facility(district, elsewhere)
    with pytest.raises(NotAllowed):
        services.plan_inspection(district, elsewhere, date(2026, 1, 5), "Đoàn huyện")


def test_a_province_officer_manages_every_facility_of_the_province(officer, inspector):
    assert may_manage_facility(officer, make_facility(inspector, unit_code="10507"))


def test_a_supervisor_reads_but_does_not_inspect(inspector, make_user):
    facility = make_facility(inspector)
    supervisor = make_user("supervisor")
    assert facility.id in ids(supervisor) and not may_manage_facility(supervisor, facility)


# Scope: 2025 without districts

def test_without_districts_the_province_s_inspector_manages_and_its_communes_read(app, monkeypatch, units):
    other_province = make_user("inspector", unit="30")
    load_two_levels()
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    inspector = make_user("inspector", unit="31")
    facility = make_facility(inspector, unit_code="10966", edition="2025")
    worker = make_user("worker", unit="10933")
    assert may_manage_facility(inspector, facility)
    assert facility.id in ids(worker) and not may_manage_facility(worker, facility)
    assert facility.id not in ids(other_province)


# Children placed there

def test_a_worker_records_a_child_placed_in_alternative_care_by_a_case(inspector, make_user, today):
    worker = make_user("worker")
    case = make_case(worker)
    facility = make_facility(inspector)
    placement = services.place_child(worker, facility, case.child, "alternative_care", today, case)
    shown, living = services.current_placements(worker, facility)
    assert shown == [placement] and living == 1


def test_an_isolation_placement_names_the_case_s_isolation(inspector, make_user, today):
    worker, leader = make_user("worker"), make_user("commune_leader")
    case = make_case(worker)
    measure = isolate(case, worker, leader, today, today + timedelta(days=10))
    facility = make_facility(inspector)
    with pytest.raises(services.FacilityRefused):
        services.place_child(worker, facility, case.child, "isolation", today, case)
    db.session.rollback()
    placement = services.place_child(worker, facility, case.child, "isolation", today, case, measure)
    assert placement.measure_id == measure.id


def test_a_child_is_not_placed_twice_at_once(inspector, make_user, today):
    worker = make_user("worker")
    case = make_case(worker)
    facility = make_facility(inspector)
    services.place_child(worker, facility, case.child, "alternative_care", today, case)
    with pytest.raises(services.FacilityRefused):
        services.place_child(worker, facility, case.child, "alternative_care", today, case)


def test_a_double_submit_records_one_open_stay_and_says_why_the_second_is_refused(inspector, make_user, today,
                                                                                   monkeypatch):
    worker = make_user("worker")
    case = make_case(worker)
    facility = make_facility(inspector)
    services.place_child(worker, facility, case.child, "alternative_care", today, case)
    # The second request checked before the first had recorded its stay.
    monkeypatch.setattr(services, "_living_at", lambda child, facility: False)
    with pytest.raises(services.FacilityRefused) as refusal:
        services.place_child(worker, facility, case.child, "alternative_care", today, case)
    assert "child" in refusal.value.fields
    assert services.current_placements(worker, facility)[1] == 1

def test_a_child_outside_the_reader_s_area_is_counted_not_named(inspector, make_user, today):
    worker = make_user("worker")
    case = make_case(worker)
    facility = make_facility(inspector)
    services.place_child(worker, facility, case.child, "alternative_care", today, case)
    other_commune = make_user("worker", unit="10966")
    assert services.current_placements(other_commune, facility) == ([], 1)


def test_a_stay_ends_on_a_day_not_before_it_began(inspector, make_user, today):
    worker = make_user("worker")
    case = make_case(worker)
    placement = services.place_child(worker, make_facility(inspector), case.child, "alternative_care",
                                     today - timedelta(days=3), case)
    with pytest.raises(services.FacilityRefused):
        services.end_placement(worker, placement, today - timedelta(days=5))
    db.session.rollback()
    services.end_placement(worker, placement, today)
    assert services.current_placements(worker, placement.facility)[1] == 0


def test_an_inspector_reads_a_child_s_stay_but_neither_records_nor_ends_it(inspector, make_user, today):
    worker = make_user("worker")
    case = make_case(worker)
    facility = make_facility(inspector)
    with pytest.raises(NotAllowed):
        services.place_child(inspector, facility, case.child, "alternative_care", today, case)
    db.session.rollback()
    placement = services.place_child(worker, facility, case.child, "alternative_care", today, case)
    with pytest.raises(NotAllowed):
        services.end_placement(inspector, placement, today)
    db.session.rollback()
    assert services.current_placements(inspector, facility) == ([placement], 1)


# Inspections and corrections

def test_an_inspection_records_findings_violations_and_corrections(inspector, today):
    facility = make_facility(inspector)
    inspection = inspect(facility, inspector, today - timedelta(days=2), staff="not_met", records="not_met",
                         violations="Thiếu 2 nhân viên chăm sóc; hồ sơ trẻ không đầy đủ.",
                         corrections=[("Bổ sung nhân viên chăm sóc", today + timedelta(days=30))])
    assert inspection.violation_count == 2
    assert [c.description for c in services.open_corrections(facility)] == ["Bổ sung nhân viên chăm sóc"]


def test_every_checklist_item_needs_a_result(inspector, today):
    facility = make_facility(inspector)
    inspection = services.plan_inspection(inspector, facility, today, "Đoàn kiểm tra")
    findings = dict(ALL_MET)
    del findings["staff"]
    with pytest.raises(services.FacilityRefused) as refusal:
        services.record_inspection(inspector, inspection, findings, None, [])
    assert "findings" in refusal.value.fields


def test_an_item_not_met_needs_the_violations_described(inspector, today):
    facility = make_facility(inspector)
    inspection = services.plan_inspection(inspector, facility, today, "Đoàn kiểm tra")
    with pytest.raises(services.FacilityRefused) as refusal:
        services.record_inspection(inspector, inspection, {**ALL_MET, "premises": "not_met"}, " ", [])
    assert "violations" in refusal.value.fields


def test_a_correction_s_deadline_comes_after_the_inspection(inspector, today):
    facility = make_facility(inspector)
    with pytest.raises(services.FacilityRefused) as refusal:
        inspect(facility, inspector, today, corrections=[("Sửa bếp", today)])
    assert "corrections" in refusal.value.fields
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Correction)) == 0


def test_an_inspection_is_not_recorded_before_its_day(inspector, today):
    facility = make_facility(inspector)
    inspection = services.plan_inspection(inspector, facility, today + timedelta(days=7), "Đoàn kiểm tra")
    with pytest.raises(services.FacilityRefused):
        services.record_inspection(inspector, inspection, ALL_MET, None, [])


def test_a_follow_up_visit_closes_the_corrections_it_finds_done(inspector, today):
    facility = make_facility(inspector)
    first = inspect(facility, inspector, today - timedelta(days=20), premises="not_met", violations="Bếp xuống cấp",
                    corrections=[("Sửa bếp", today - timedelta(days=5))])
    [correction] = first.corrections
    inspect(facility, inspector, today, follows_up=first, resolved=[correction.id])
    assert correction.done_on == today and services.open_corrections(facility) == []


# Deadlines: "Việc chờ bạn" and the sweep

def overdue_correction(inspector, today, unit_code="10933"):
    facility = make_facility(inspector, unit_code=unit_code)
    inspection = inspect(facility, inspector, today - timedelta(days=20), premises="not_met", violations="Bếp",
                         corrections=[("Sửa bếp", today - timedelta(days=1))])
    return inspection.corrections[0]


def now():
    return datetime.combine(services.today(), time(12), tzinfo=services.local_zone())


def test_an_overdue_correction_waits_for_the_inspecting_unit(inspector, officer, make_user, today):
    correction = overdue_correction(inspector, today)
    assert notices_for(inspector, now()).corrections == [correction]
    assert notices_for(officer, now()).corrections == [correction]
    assert count_for(inspector, now()) >= 1
    assert notices_for(make_user("worker"), now()).corrections == []


def test_a_correction_not_yet_due_waits_for_nobody(inspector, today):
    facility = make_facility(inspector)
    inspect(facility, inspector, today, premises="not_met", violations="Bếp",
            corrections=[("Sửa bếp", today + timedelta(days=10))])
    assert notices_for(inspector, now()).corrections == []


def raised(correction):
    return list(db.session.scalars(sa.select(CorrectionEscalation).where(
        CorrectionEscalation.correction_id == correction.id).order_by(CorrectionEscalation.level)))


def test_the_sweep_raises_an_overdue_correction_once_to_the_unit_above(make_user, today):
    district = make_user("inspector", unit="295")
    correction = overdue_correction(district, today)
    first, second = escalations.sweep(now()), escalations.sweep(now())
    [escalation] = raised(correction)
    assert first.corrections == [escalation.id] and second.corrections == []
    assert (escalation.from_unit.code, escalation.to_unit.code, escalation.level) == ("295", "30", 1)
    assert correction.raised_to.code == "30"


def test_a_correction_raised_at_the_province_stays_there(inspector, today):
    correction = overdue_correction(inspector, today)
    escalations.sweep(now())
    [escalation] = raised(correction)
    assert escalation.to_unit.code == escalation.from_unit.code == "30"


def test_a_raised_correction_waits_for_the_officers_of_the_unit_raised_to(make_user, today):
    district = make_user("inspector", unit="295")
    correction = overdue_correction(district, today)
    escalations.sweep(now())
    [escalation] = raised(correction)
    officer, inspector = make_user("province_officer", unit="30"), make_user("inspector", unit="30")
    assert notices_for(officer, now()).correction_escalations == [escalation]
    assert count_for(officer, now()) >= 1
    assert notices_for(inspector, now()).correction_escalations == []
    # The inspecting unit keeps it in its own list, overdue.
    assert notices_for(district, now()).corrections == [correction]


def test_a_correction_raised_to_the_officer_s_own_unit_waits_once_until_acknowledged(officer, inspector, today):
    correction = overdue_correction(inspector, today)
    escalations.sweep(now())
    [escalation] = raised(correction)
    notices = notices_for(officer, now())
    assert (notices.corrections, notices.correction_escalations) == ([], [escalation])
    assert notices_for(inspector, now()).corrections == [correction]
    services.acknowledge(officer, escalation, now())
    assert notices_for(officer, now()).corrections == [correction]


def test_a_correction_not_yet_past_its_deadline_is_not_raised(inspector, today):
    facility = make_facility(inspector)
    inspect(facility, inspector, today, premises="not_met", violations="Bếp",
            corrections=[("Sửa bếp", today + timedelta(days=10))])
    assert escalations.sweep(now()).corrections == []


def test_an_unacknowledged_raised_correction_rises_a_level_after_a_working_day(make_user, today):
    district = make_user("inspector", unit="295")
    correction = overdue_correction(district, today)
    # Inspected by the commune's own team, so that there are two levels above it.
    correction.inspection.unit_id = unit("10933").id
    db.session.commit()
    escalations.sweep(now())
    assert escalations.sweep(now() + timedelta(hours=2)).corrections == []
    later = now() + timedelta(days=4)
    [higher] = escalations.sweep(later).corrections
    assert escalations.sweep(later).corrections == []
    first, second = raised(correction)
    assert (first.to_unit.code, second.from_unit.code, second.to_unit.code) == ("295", "295", "30")
    assert (second.level, second.previous_id, second.id) == (2, first.id, higher)


def test_an_acknowledged_raised_correction_rises_no_higher_and_leaves_the_list(make_user, today):
    district = make_user("inspector", unit="295")
    correction = overdue_correction(district, today)
    correction.inspection.unit_id = unit("10933").id
    db.session.commit()
    escalations.sweep(now())
    [escalation] = raised(correction)
    officer = make_user("province_officer", unit="295", full_name="Lê Văn Tâm")
    services.acknowledge(officer, escalation, now())
    assert escalation.acknowledged_by == officer
    assert notices_for(officer, now()).correction_escalations == []
    assert escalations.sweep(now() + timedelta(days=4)).corrections == []
    with pytest.raises(WrongState):
        services.acknowledge(officer, escalation, now())


def test_only_an_officer_of_the_unit_raised_to_acknowledges(inspector, make_user, today):
    correction = overdue_correction(inspector, today)
    escalations.sweep(now())
    [escalation] = raised(correction)
    for stranger in (inspector, make_user("province_officer", unit="295")):
        with pytest.raises(NotAllowed):
            services.acknowledge(stranger, escalation, now())
    assert escalation.acknowledged_at is None


def test_a_correction_found_done_closes_its_escalation(officer, inspector, today):
    correction = overdue_correction(inspector, today)
    escalations.sweep(now())
    [escalation] = raised(correction)
    inspect(correction.inspection.facility, inspector, today, follows_up=correction.inspection,
            resolved=[correction.id])
    assert notices_for(officer, now()).correction_escalations == []
    assert correction.raised_to is None
    with pytest.raises(WrongState):
        services.acknowledge(officer, escalation, now())


def test_acknowledging_a_raised_correction_from_the_waiting_list(client, sign_in, officer, inspector, today):
    correction = overdue_correction(inspector, today)
    escalations.sweep(now())
    [escalation] = raised(correction)
    sign_in(officer)
    page = client.get("/notifications/").get_data(as_text=True)
    assert f"/facilities/escalations/{escalation.id}/acknowledge" in page
    response = client.post(f"/facilities/escalations/{escalation.id}/acknowledge")
    assert response.status_code == 302
    db.session.expire_all()
    assert escalation.acknowledged_by_id == officer.id
    # Asked again, or of one that does not exist: a message or a 404, never a 500.
    assert client.post(f"/facilities/escalations/{escalation.id}/acknowledge").status_code == 302
    assert client.post("/facilities/escalations/999999/acknowledge").status_code == 404


# Statistics

def test_the_statistics_count_inspections_violations_and_corrections(inspector, today):
    facility = make_facility(inspector)
    first = inspect(facility, inspector, today - timedelta(days=20), premises="not_met", staff="not_met",
                    violations="Bếp; nhân viên", corrections=[("Sửa bếp", today - timedelta(days=1)),
                                                              ("Tuyển nhân viên", today + timedelta(days=30))])
    inspect(facility, inspector, today, follows_up=first, resolved=[first.corrections[1].id])
    figures = services.figures(inspector, unit("30"), today - timedelta(days=60), today)
    assert (figures.facilities, figures.inspections, figures.violations) == (1, 2, 2)
    assert (figures.corrections, figures.corrections_done, figures.corrections_overdue) == (2, 1, 1)


def test_the_statistics_of_a_unit_outside_the_reader_s_scope_are_empty(inspector, make_user, today):
    make_facility(inspector, unit_code="10507")
    district = make_user("inspector", unit="295")
    assert services.figures(district, unit("288"), today - timedelta(days=60), today).facilities == 0


# The trail

def test_every_change_is_in_the_trail_under_the_facility_s_unit(inspector, today):
    facility = make_facility(inspector)
    inspect(facility, inspector, today, premises="not_met", violations="Bếp",
            corrections=[("Sửa bếp", today + timedelta(days=5))])
    tables = {entry.entity for entry in audit_entries(action="create")}
    assert {"facilities", "facility_inspections", "facility_corrections"} <= tables
    assert all(entry.unit_path == facility.unit.path
               for entry in audit_entries(entity="facility_corrections"))


def test_a_facility_viewed_is_in_the_trail(inspector):
    facility = make_facility(inspector)
    services.record_views([facility])
    [entry] = audit_entries(action="facility_viewed")
    assert entry.entity_id == str(facility.id)


# History sentences

def sentence(app, **criteria):
    with app.test_request_context(), force_locale("vi"):
        return narrate([last_audit_entry(**criteria)])[0].sentence


@contextmanager
def acting(app, user):
    """Entries written meanwhile name `user`, as in one of their requests."""
    with app.test_request_context():
        act_as(actor_for(user))
        try:
            yield
        finally:
            g.pop("audit_actor", None)


def test_the_trail_tells_an_inspection_and_its_correction_in_vietnamese_sentences(app, inspector, today):
    with acting(app, inspector):
        facility = make_facility(inspector, name="Mái ấm chùa Phúc Lâm")
        inspect(facility, inspector, today, premises="not_met", violations="Bếp",
                corrections=[("Sửa bếp ăn", today + timedelta(days=5))])
    assert "đã đưa cơ sở chăm sóc Mái ấm chùa Phúc Lâm vào danh sách quản lý" in sentence(
        app, entity="facilities", action="create")
    assert "đã ghi kết quả kiểm tra cơ sở Mái ấm chùa Phúc Lâm" in sentence(
        app, entity="facility_inspections", action="update")
    assert "đã yêu cầu cơ sở Mái ấm chùa Phúc Lâm khắc phục trước ngày" in sentence(
        app, entity="facility_corrections", action="create")


def test_the_trail_tells_a_raised_correction_and_its_acknowledgement_in_vietnamese_sentences(app, officer, inspector,
                                                                                              today):
    correction = overdue_correction(inspector, today)
    correction.inspection.facility.name = "Mái ấm chùa Phúc Lâm"
    db.session.commit()
    escalations.sweep(now())
    assert ("Một yêu cầu khắc phục của cơ sở Mái ấm chùa Phúc Lâm đã quá hạn mà chưa được xác nhận hoàn thành; hệ "
            "thống rà soát thời hạn đã chuyển lên") in sentence(app, entity="facility_correction_escalations",
                                                                 action="create")
    [escalation] = raised(correction)
    with acting(app, officer):
        services.acknowledge(officer, escalation, now())
    assert "đã nhận xử lý việc cơ sở Mái ấm chùa Phúc Lâm chưa khắc phục đúng hạn" in sentence(
        app, entity="facility_correction_escalations", action="update")
