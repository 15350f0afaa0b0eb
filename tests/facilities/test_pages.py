"""The facilities' pages: who sees and does what, bad input answered without a change, the trail, the statistics'
section and its exports, "Việc chờ bạn"."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.facilities import services
from app.facilities.models import Correction, Inspection
from tests.factories import audit_entries, inspect, make_case, make_facility


@pytest.fixture
def inspector(make_user):
    return make_user("inspector", full_name="Phạm Văn Hùng")


@pytest.fixture
def today(app):
    return services.today()


def vietnamese(client):
    client.post("/language", data={"locale": "vi"})


def record_form(**overrides):
    data = {f"checklist-{key}": "met" for key in ("licence", "capacity", "staff", "premises", "records", "admission",
                                                   "care_plan", "protection", "schooling_health")}
    data.update(overrides)
    return data


def test_the_register_lists_the_province_s_facilities_in_vietnamese(client, sign_in, inspector, make_user):
    make_facility(inspector, name="Mái ấm chùa Phúc Lâm")
    sign_in(make_user("worker"))
    vietnamese(client)
    page = client.get("/facilities/").text
    assert "Cơ sở chăm sóc trẻ em" in page and "Mái ấm chùa Phúc Lâm" in page
    assert "Thêm cơ sở" not in page


def test_an_inspector_registers_a_facility_from_the_form(client, sign_in, inspector):
    sign_in(inspector)
    response = client.post("/facilities/new", data={
        "unit": "10933", "kind": "shelter", "name": "Nhà tạm lánh Hoa Sen", "address": "Thôn 2", "capacity": "12"})
    assert response.status_code == 302
    assert audit_entries(entity="facilities", action="create")


def test_a_facility_form_with_bad_input_says_why_and_saves_nothing(client, sign_in, inspector):
    sign_in(inspector)
    vietnamese(client)
    response = client.post("/facilities/new", data={"unit": "10933", "kind": "shelter", "name": "Nhà tạm lánh",
                                                     "address": "Thôn 2", "capacity": "12",
                                                     "licence_issued_on": "2024-01-01"})
    assert response.status_code == 422 and "Ghi số giấy phép." in response.text
    assert not audit_entries(entity="facilities")


def test_a_worker_may_not_plan_an_inspection(client, sign_in, inspector, make_user, today):
    facility = make_facility(inspector)
    sign_in(make_user("worker"))
    response = client.post(f"/facilities/{facility.id}/inspections", data={"inspected_on": today.isoformat(),
                                                                            "team": "Đoàn"})
    assert response.status_code == 403


def test_a_facility_of_another_province_answers_404(client, sign_in, inspector, app, monkeypatch):
    from tests.factories import load_two_levels, make_user

    facility = make_facility(inspector)
    load_two_levels()
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    sign_in(make_user("inspector", unit="31"))
    assert client.get(f"/facilities/{facility.id}").status_code == 404


def test_an_inspector_plans_and_records_an_inspection_with_a_correction(client, sign_in, inspector, today):
    facility = make_facility(inspector)
    sign_in(inspector)
    response = client.post(f"/facilities/{facility.id}/inspections",
                           data={"inspected_on": today.isoformat(), "team": "Đoàn kiểm tra Sở"})
    inspection = db.session.scalar(sa.select(Inspection))
    assert response.headers["Location"].endswith(f"/facilities/inspections/{inspection.id}")
    form = client.get(f"/facilities/inspections/{inspection.id}")
    assert form.status_code == 200 and 'name="checklist-staff"' in form.text
    due = (today + timedelta(days=30)).isoformat()
    response = client.post(f"/facilities/inspections/{inspection.id}", data=record_form(**{
        "checklist-staff": "not_met", "violations": "Thiếu nhân viên chăm sóc", "version": "1",
        "corrections-0-what": "Tuyển thêm 2 nhân viên", "corrections-0-due_on": due}))
    assert response.status_code == 302
    [correction] = db.session.scalars(sa.select(Correction))
    assert correction.description == "Tuyển thêm 2 nhân viên"
    page = client.get(f"/facilities/{facility.id}").text
    assert "Tuyển thêm 2 nhân viên" in page


def test_a_record_without_every_checklist_item_is_refused_and_nothing_changes(client, sign_in, inspector, today):
    facility = make_facility(inspector)
    inspection = services.plan_inspection(inspector, facility, today, "Đoàn")
    sign_in(inspector)
    vietnamese(client)
    data = record_form(version="1")
    del data["checklist-staff"]
    response = client.post(f"/facilities/inspections/{inspection.id}", data=data)
    assert response.status_code == 422
    db.session.refresh(inspection)
    assert not inspection.is_recorded


def test_a_facility_page_read_is_in_the_trail_with_its_sentence(client, sign_in, inspector):
    facility = make_facility(inspector, name="Mái ấm chùa Phúc Lâm")
    sign_in(inspector)
    client.get(f"/facilities/{facility.id}")
    assert audit_entries(action="facility_viewed", entity_id=str(facility.id))
    vietnamese(client)
    trail = client.get("/audit/").text
    assert "đã xem thông tin cơ sở Mái ấm chùa Phúc Lâm" in trail


def test_an_overdue_correction_is_on_the_inspector_s_waiting_page(client, sign_in, inspector, today):
    facility = make_facility(inspector)
    inspect(facility, inspector, today - timedelta(days=20), premises="not_met", violations="Bếp",
            corrections=[("Sửa bếp ăn", today - timedelta(days=2))])
    sign_in(inspector)
    vietnamese(client)
    page = client.get("/notifications/").text
    assert "Yêu cầu khắc phục của cơ sở đã quá hạn" in page and "Sửa bếp ăn" in page


def test_the_statistics_and_their_exports_count_the_facilities_inspections(client, sign_in, inspector, today):
    facility = make_facility(inspector)
    inspect(facility, inspector, today - timedelta(days=3), premises="not_met", violations="Bếp",
            corrections=[("Sửa bếp ăn", today + timedelta(days=20))])
    sign_in(inspector)
    arguments = f"unit=30&from={(today - timedelta(days=30)).isoformat()}&to={today.isoformat()}"
    figures = client.get(f"/reports/statistics.json?{arguments}").json["figures"]["facilities"]
    assert {row["key"]: row["values"]["number"] for row in figures["rows"]} == {
        "facilities": 1, "inspections": 1, "violations": 1, "corrections": 1, "corrections_done": 0,
        "corrections_overdue": 0}
    assert "facilities,inspections,number,1" in client.get(f"/reports/statistics.csv?{arguments}").text


def test_a_child_is_recorded_at_a_facility_by_the_case_reference(client, sign_in, inspector, make_user, today):
    worker = make_user("worker")
    case = make_case(worker)
    facility = make_facility(inspector)
    sign_in(worker)
    response = client.post(f"/facilities/{facility.id}/placements", data={
        "case": case.reference, "kind": "alternative_care", "since": today.isoformat()})
    assert response.status_code == 302
    assert case.child.name_shown in client.get(f"/facilities/{facility.id}").text
