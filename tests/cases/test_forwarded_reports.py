"""Reports received anywhere and forwarded at once to the commune where it happened (Decree 56/2017 art. 26.1:
hotline 111, the police and the labour or health offices at every level receive reports and pass them to the
commune): the intake role, supervisors and province officers record a report for a commune of their subtree."""
import pytest
import sqlalchemy as sa

from app.access import may_approve, reads_cases, scoped_cases, scoped_forwarded
from app.cases import services
from app.cases.models import Case
from app.extensions import db
from app.notifications.services import notices_for
from app.orm import utcnow
from app.users.models import AccessGrant
from app.users.services import create_account
from tests.api.test_cases import INTAKE as API_INTAKE
from tests.api.test_cases import token_for
from tests.cases.test_pages import INTAKE, english
from tests.factories import make_case, unit

TAN_VIET = "10966"  # Xã Tân Việt, Huyện Bình Giang (Hải Dương 2024)
BINH_GIANG = "296"


def intake_form(**overrides):
    data = {**INTAKE, "unit": TAN_VIET, "received_at": utcnow().strftime("%Y-%m-%dT%H:%M")}
    data.update(overrides)
    return data


@pytest.fixture
def hotline(make_user, sign_in):
    return sign_in(make_user("intake", unit="30"))


def test_the_intake_role_records_a_report_and_the_case_belongs_to_the_named_commune(client, hotline):
    english(client)
    response = client.post("/cases/new", data=intake_form())
    assert response.status_code == 302 and response.location.endswith("/cases/received#content")
    case = db.session.scalar(sa.select(Case))
    assert case.unit.code == TAN_VIET and case.created_by_id == hotline.id and case.status == "reported"
    assert case.assigned_worker_id is None


def test_the_intake_page_offers_every_commune_of_a_province_intake_account(client, hotline):
    page = client.get("/cases/new").get_data(as_text=True)
    assert page.count(f'value="{TAN_VIET}"') == 2 and page.count('value="10825"') == 2
    assert 'value="295"' not in page  # a district: the case goes to a commune


def test_a_district_intake_account_may_name_only_a_commune_of_its_district(client, make_user, sign_in):
    english(client)
    sign_in(make_user("intake", unit=BINH_GIANG))
    page = client.get("/cases/new").get_data(as_text=True)
    # Both communes are offered as where the child lives; only Bình Giang's as where the case goes.
    assert page.count(f'value="{TAN_VIET}"') == 2 and page.count('value="10825"') == 1
    client.post("/cases/new", data=intake_form(unit="10825"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_the_intake_page_asks_for_the_commune(client, hotline):
    english(client)
    page = client.post("/cases/new", data=intake_form(unit="")).get_data(as_text=True)
    assert "Choose the commune where it happened." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_a_supervisor_records_a_report_for_a_commune_of_the_district(client, make_user, sign_in):
    supervisor = sign_in(make_user("supervisor", unit=BINH_GIANG))
    response = client.post("/cases/new", data=intake_form())
    case = db.session.scalar(sa.select(Case))
    assert response.status_code == 302 and case.unit.code == TAN_VIET and case.created_by_id == supervisor.id


def test_a_province_officer_records_a_report_over_the_api(client, make_user):
    response = client.post("/api/v1/cases", json={**API_INTAKE, "unit": TAN_VIET},
                           headers=token_for(client, make_user("province_officer")))
    assert response.status_code == 201 and response.json["unit"] == TAN_VIET


def test_the_intake_role_records_a_report_over_the_api_for_a_commune_of_its_subtree_only(client, make_user):
    headers = token_for(client, make_user("intake", unit=BINH_GIANG))
    assert client.post("/api/v1/cases", json={**API_INTAKE, "unit": TAN_VIET}, headers=headers).status_code == 201
    refused = client.post("/api/v1/cases", json={**API_INTAKE, "unit": "10825"}, headers=headers)
    assert refused.status_code == 422 and "unit" in refused.json["error"]["fields"]


def test_an_inspector_still_records_no_report(client, make_user):
    response = client.post("/api/v1/cases", json=API_INTAKE, headers=token_for(client, make_user("inspector")))
    assert response.status_code == 403


def test_the_commune_worker_and_leader_see_a_forwarded_report_at_once_waiting_for_them(make_user):
    hotline = make_user("intake")
    worker, leader = make_user("worker", unit=TAN_VIET), make_user("commune_leader", unit=TAN_VIET)
    case = make_case(hotline, unit=unit(TAN_VIET), immediate_danger=True)
    for person in (worker, leader):
        assert case.id in [deadline.case_id for deadline in notices_for(person, utcnow()).deadlines]
        assert db.session.scalar(scoped_cases(person).where(Case.id == case.id)) is case


def test_a_worker_of_another_commune_does_not_see_a_forwarded_report(make_user):
    case = make_case(make_user("intake"), unit=unit(TAN_VIET), immediate_danger=True)
    elsewhere = make_user("worker", unit="10933")
    assert case.id not in [deadline.case_id for deadline in notices_for(elsewhere, utcnow()).deadlines]


def test_once_a_worker_is_assigned_only_that_worker_has_the_deadline_waiting(make_user):
    case = make_case(make_user("intake"), unit=unit(TAN_VIET), immediate_danger=True)
    assigned, other = make_user("worker", unit=TAN_VIET), make_user("worker", unit=TAN_VIET)
    services.edit_case(case, make_user("commune_leader", unit=TAN_VIET), {"assigned_worker": assigned.username},
                       case.version)
    assert case.id in [deadline.case_id for deadline in notices_for(assigned, utcnow()).deadlines]
    assert case.id not in [deadline.case_id for deadline in notices_for(other, utcnow()).deadlines]


def test_the_intake_account_reads_no_case_but_its_own_reports(make_user):
    hotline = make_user("intake")
    own = make_case(hotline, unit=unit(TAN_VIET))
    make_case(make_user("worker", unit=TAN_VIET))
    assert db.session.scalars(scoped_cases(hotline)).all() == []
    assert db.session.scalars(scoped_forwarded(hotline)).all() == [own]


def test_the_intake_account_sees_its_report_until_the_commune_takes_it_up_by_assigning_a_worker(client, hotline,
                                                                                                make_user):
    english(client)
    client.post("/cases/new", data=intake_form(description="Trẻ bị bỏ đói ở chợ."))
    page = client.get("/cases/received").get_data(as_text=True)
    assert "Trẻ bị bỏ đói ở chợ." in page and "waiting to be taken up" in page
    case = db.session.scalar(sa.select(Case))
    worker = make_user("worker", unit=TAN_VIET)
    services.edit_case(case, make_user("commune_leader", unit=TAN_VIET), {"assigned_worker": worker.username},
                       case.version)
    page = client.get("/cases/received").get_data(as_text=True)
    assert "Taken up by the commune" in page and "Trẻ bị bỏ đói ở chợ." not in page and "Lê Thị Mai" not in page
    assert case.reference in page


def test_the_initial_assessment_takes_the_report_up_too(client, hotline, make_user):
    english(client)
    client.post("/cases/new", data=intake_form(description="Trẻ bị bỏ đói ở chợ."))
    case = db.session.scalar(sa.select(Case))
    services.assess(case, make_user("commune_leader", unit=TAN_VIET), {}, None, case.version)
    page = client.get("/cases/received").get_data(as_text=True)
    assert "Taken up by the commune" in page and "Trẻ bị bỏ đói ở chợ." not in page


def test_the_intake_account_cannot_open_a_case_page(client, hotline, make_user):
    case = make_case(hotline, unit=unit(TAN_VIET))
    assert client.get(f"/cases/{case.reference}").status_code == 403
    assert client.get("/cases/").status_code == 403


def test_the_received_list_is_only_for_those_who_forward_reports(client, make_user, sign_in):
    sign_in(make_user("worker"))
    assert client.get("/cases/received").status_code == 403


def test_an_intake_account_needs_a_second_person_s_approval(make_user):
    admin = make_user("admin")
    issued = create_account(username="hotline.test", full_name="Bùi Thị Thu", role="intake", unit_code="30",
                            email=None, by=admin)
    assert reads_cases("intake") and isinstance(issued.grant, AccessGrant) and issued.user.awaiting_approval
    assert not may_approve(admin, issued.grant) and may_approve(make_user("province_officer"), issued.grant)


def test_an_admin_creates_an_intake_account_at_the_province_on_the_accounts_page(client, make_user, sign_in):
    """Hotline 111 sits at the province (Decree 56/2017 art. 26.1); the account waits for a second person."""
    from app.users.services import find_user

    sign_in(make_user("admin"))
    client.post("/admin/users/new", data={"username": "hotline.test", "full_name": "Bùi Thị Thu", "role": "intake",
                                          "unit": "30"})
    created = find_user("hotline.test")
    assert created.role == "intake" and created.unit.code == "30" and created.awaiting_approval
