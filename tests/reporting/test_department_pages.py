"""A department officer's pages: their department's reports and nothing else; the province officer's list of
departments; the round's form choosing who reports."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reporting import services
from app.reporting.models import Department, Report
from tests.factories import make_case, make_department
from tests.reporting.conftest import written


@pytest.fixture
def health(units):
    return make_department("Sở Y tế tỉnh Hải Dương")


@pytest.fixture
def police(units):
    return make_department("Công an tỉnh Hải Dương")


@pytest.fixture
def round_(make_round, health, police):
    return make_round()


def report_of(round_, department):
    return db.session.scalar(sa.select(Report).where(Report.round_id == round_.id,
                                                     Report.department_id == department.id))


def test_a_department_officer_opens_their_department_s_report(client, sign_in, make_user, health, round_):
    sign_in(make_user("department_officer", department=health))
    page = client.get(f"/reporting/{report_of(round_, health).id}").get_data(as_text=True)
    assert "Sở Y tế tỉnh Hải Dương" in page and 'name="send"' in page
    assert "15/BC-SYT" in page and "BC-UBND" not in page


def test_a_department_officer_s_home_page_lists_the_report_to_send(client, sign_in, make_user, health, make_round):
    make_round(due_in=3)
    sign_in(make_user("department_officer", department=health))
    page = client.get("/").get_data(as_text=True)
    assert "Báo cáo cần gửi" in page and "Sở Y tế tỉnh Hải Dương" in page


def test_another_department_s_report_and_a_unit_s_answer_404(client, sign_in, make_user, health, police, round_):
    worker = make_user("worker", unit="10933")
    sent = services.submit(worker, services.own_report(worker, round_), written())
    sign_in(make_user("department_officer", department=health))
    assert client.get(f"/reporting/{report_of(round_, police).id}").status_code == 404
    assert client.get(f"/reporting/{sent.id}").status_code == 404


def test_a_department_officer_sees_only_the_rounds_that_ask_their_department(client, sign_in, make_user, officer,
                                                                             health, police, round_):
    day = services.utcnow().date()
    other = services.create_round(officer, "year", day, day, day, day, departments=[police.id])
    sign_in(make_user("department_officer", department=health))
    assert client.get(f"/reporting/rounds/{round_.id}").status_code == 200
    assert client.get(f"/reporting/rounds/{other.id}").status_code == 404


def test_a_department_officer_reads_no_case_child_or_register(client, sign_in, make_user, health):
    case = make_case(make_user("worker", unit="10933"))
    sign_in(make_user("department_officer", department=health))
    for path in ("/cases/", "/register/", f"/cases/{case.reference}", "/reports/statistics", "/audit/"):
        assert client.get(path).status_code in (403, 404), path


def test_the_province_board_shows_the_departments(client, sign_in, officer, health, police, round_):
    sign_in(officer)
    page = client.get(f"/reporting/rounds/{round_.id}").get_data(as_text=True)
    assert "Sở Y tế tỉnh Hải Dương" in page and "Công an tỉnh Hải Dương" in page


def test_the_province_officer_adds_a_department_from_its_page(client, sign_in, officer):
    sign_in(officer)
    response = client.post("/reporting/departments", data={"name": "Tỉnh đoàn Hải Dương"})
    assert response.status_code == 302
    assert "Tỉnh đoàn Hải Dương" in client.get("/reporting/departments").get_data(as_text=True)


def test_an_empty_department_name_says_why_and_adds_nothing(client, sign_in, officer):
    sign_in(officer)
    response = client.post("/reporting/departments", data={"name": "  "})
    assert response.status_code == 422 and 'id="name-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Department)) == 0


def test_a_department_no_longer_asked_is_left_out_of_the_next_round(client, sign_in, officer, health, make_round):
    sign_in(officer)
    client.post(f"/reporting/departments/{health.id}/active", data={"active": "no"})
    assert report_of(make_round(), health) is None


def test_the_round_form_sets_who_reports(client, sign_in, officer, health, police):
    sign_in(officer)
    assert "Công an tỉnh Hải Dương" in client.get("/reporting/rounds/new").get_data(as_text=True)
    day = services.utcnow().date().isoformat()
    response = client.post("/reporting/rounds/new", data={
        "kind": "month_of_action", "period_start": day, "period_end": day, "due_on": day,
        "consolidation_due_on": day, "recurrence": "year", "communes": "y", "departments": [str(police.id)]})
    assert response.status_code == 302
    reports = list(db.session.scalars(sa.select(Report)))
    assert {report.unit.level for report in reports if report.department_id is None} == {"commune", "province"}
    assert [report.department_id for report in reports if report.department_id] == [police.id]


def test_the_departments_page_is_the_province_officer_s(client, sign_in, make_user, health):
    sign_in(make_user("province_officer", unit="295"))
    assert client.get("/reporting/departments").status_code == 403
