"""Intake under the Law on Children and Decree 56 (issue 15, points 5, 7 and 9): a child is under 16 on the day of
the report; Mẫu 01's fields (abused or at risk, the harm foreseen, the carers' age and occupation, the reporter's
contact); consent to keeping the data, with the legal ground when it was not given."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.cases import services
from app.cases.models import Case
from app.deadlines.services import local_zone
from app.extensions import db
from app.orm import utcnow
from tests.api.test_cases import INTAKE as API_INTAKE
from tests.api.test_cases import token_for
from tests.factories import case_kept_from_before, child_details, make_case, pdf_text
from tests.cases.test_pages import INTAKE, english

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ xã", date(2030, 1, 1))


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def born_years_before_today(years: int, days_after: int = 0) -> date:
    today = utcnow().astimezone(local_zone()).date()
    return today.replace(year=today.year - years) + timedelta(days=days_after)


def in_progress(case, worker, leader):
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    return case


# Law on Children 2016 art. 1: a child is a person under 16 on the day of the report.

def test_intake_refuses_a_person_of_16_and_names_other_services(client, worker):
    english(client)
    data = {**INTAKE, "date_of_birth": born_years_before_today(16).isoformat(), "received_at": ""}
    data["received_at"] = utcnow().astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    assert "Law on Children 2016 art. 1" in page and "commune police" in page and "social work centre" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_intake_takes_a_child_the_day_before_their_16th_birthday(make_user):
    born = born_years_before_today(16, days_after=1)
    case = make_case(make_user("worker"), details=child_details(date_of_birth=born))
    assert case.status == "reported"


def test_the_api_refuses_a_person_of_16_with_422_under_child(client, make_user):
    body = {**API_INTAKE, "received_at": utcnow().isoformat(),
            "child": {**API_INTAKE["child"], "date_of_birth": born_years_before_today(17).isoformat()}}
    response = client.post("/api/v1/cases", json=body, headers=token_for(client, make_user("worker")))
    assert response.status_code == 422
    assert "Luật Trẻ em 2016" in " ".join(response.json["error"]["fields"]["child"])


def test_the_closure_reason_turned_16_is_offered_only_once_the_child_has_turned_16(client, worker, make_user):
    leader = make_user("commune_leader")
    young = in_progress(make_case(worker), worker, leader)
    older = in_progress(case_kept_from_before(worker, years=17), worker, leader)
    assert 'value="turned_16"' not in client.get(f"/cases/{young.reference}").text
    assert 'value="turned_16"' in client.get(f"/cases/{older.reference}").text
    with pytest.raises(services.Invalid) as refusal:
        services.propose_closure(young, worker, "turned_16", None, young.version)
    assert "reason" in refusal.value.fields
    services.propose_closure(older, worker, "turned_16", None, older.version)
    assert older.closure_reason == "turned_16"


# Decree 56/2017 art. 25.1 and Mẫu 01.

def test_intake_records_whether_the_child_is_abused_or_at_risk_and_the_harm_foreseen(client, worker):
    client.post("/cases/new", data={**INTAKE, "harm_status": "at_risk",
                                    "harm_foreseen": "Trẻ có thể bỏ học và bị bóc lột sức lao động."})
    case = db.session.scalar(sa.select(Case))
    assert (case.harm_status, case.harm_foreseen) == ("at_risk", "Trẻ có thể bỏ học và bị bóc lột sức lao động.")
    page = client.get(f"/cases/{case.reference}").text
    assert "Có nguy cơ bị xâm hại" in page and "Trẻ có thể bỏ học" in page


def test_the_intake_page_asks_abused_or_at_risk_and_both_consents(client, worker):
    data = {key: value for key, value in INTAKE.items()
            if key not in ("harm_status", "child_consent", "carer_consent")}
    response = client.post("/cases/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert all(f'id="{name}-error"' in page for name in ("harm_status", "child_consent", "carer_consent"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_intake_records_the_carers_age_and_occupation(client, worker):
    client.post("/cases/new", data={**INTAKE, "carers-0-name": "Lê Văn Tâm", "carers-0-relationship": "Bố",
                                    "carers-0-age": "41", "carers-0-occupation": "Thợ xây"})
    carer = db.session.scalar(sa.select(Case)).child.carers[0]
    assert (carer.name, carer.age, carer.occupation) == ("Lê Văn Tâm", 41, "Thợ xây")
    assert "41 tuổi · Thợ xây" in client.get(f"/children/{carer.child_id}").text


def test_a_carer_age_out_of_bounds_is_refused_on_the_page(client, worker):
    response = client.post("/cases/new", data={**INTAKE, "carers-0-name": "Lê Văn Tâm",
                                               "carers-0-relationship": "Bố", "carers-0-age": "400"})
    assert response.status_code == 200 and 'id="carers-0-age-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_the_reporter_s_contact_shows_only_where_the_reporter_agreed_to_be_named(client, worker):
    named = make_case(worker, reporter_name="Chị Hoa", reporter_contact="0912 345 678", reporter_may_be_named=True)
    unnamed = make_case(worker, details=child_details(full_name="Trần Thị Bé"), reporter_name="Anh Ba",
                        reporter_contact="0987 654 321")
    assert "0912 345 678" in client.get(f"/cases/{named.reference}").text
    page = client.get(f"/cases/{unnamed.reference}").text
    assert "0987 654 321" not in page and "Anh Ba" not in page


# Consent to keeping the data: Law on Children 2016 arts. 6.11 and 21; Personal Data Protection Law 2025.

def test_a_child_of_7_or_more_is_asked_for_consent_too(make_user):
    with pytest.raises(services.Invalid) as refusal:
        make_case(make_user("worker"), details=child_details(date_of_birth=born_years_before_today(7)),
                  child_consent="under_7", carer_consent="agreed")
    assert set(refusal.value.fields) == {"child_consent"}


def test_a_child_under_7_need_not_be_asked(make_user):
    case = make_case(make_user("worker"), details=child_details(date_of_birth=born_years_before_today(7, days_after=1)),
                     child_consent="under_7", carer_consent="agreed")
    assert (case.child_consent, case.carer_consent, case.data_ground) == ("under_7", "agreed", None)


@pytest.mark.parametrize("child, carer", [("refused", "agreed"), ("agreed", "refused"), ("agreed", "not_reached"),
                                         ("not_reached", "agreed")])
def test_without_consent_the_data_is_kept_only_on_a_legal_ground(make_user, child, carer):
    worker = make_user("worker")
    with pytest.raises(services.Invalid) as refusal:
        make_case(worker, child_consent=child, carer_consent=carer)
    assert set(refusal.value.fields) == {"data_ground"}
    case = make_case(worker, child_consent=child, carer_consent=carer, data_ground="protect_life")
    assert case.data_ground == "protect_life"


def test_a_legal_ground_is_refused_when_everyone_asked_agreed(make_user):
    with pytest.raises(services.Invalid) as refusal:
        make_case(make_user("worker"), child_consent="agreed", carer_consent="agreed", data_ground="legal_duty")
    assert set(refusal.value.fields) == {"data_ground"}


def test_the_intake_page_records_consent_and_its_legal_ground(client, worker):
    client.post("/cases/new", data={**INTAKE, "carer_consent": "refused", "data_ground": "legal_duty"})
    case = db.session.scalar(sa.select(Case))
    assert (case.child_consent, case.carer_consent, case.data_ground) == ("agreed", "refused", "legal_duty")
    page = client.get(f"/cases/{case.reference}").text
    assert "Người chăm sóc không đồng ý" in page and "Thực hiện nhiệm vụ theo luật định" in page


# The API: the same fields in and out, and a body without them still accepted (API.md: extend, never break).

def test_the_api_takes_and_gives_mau_01_s_fields_and_the_consent(client, make_user):
    body = {**API_INTAKE, "harm_status": "abused", "harm_foreseen": "Tổn thương tâm lý kéo dài.",
            "reporter_name": "Cô giáo chủ nhiệm", "reporter_contact": "0912 000 111", "reporter_may_be_named": True,
            "child_consent": "refused", "carer_consent": "agreed", "data_ground": "protect_life",
            "child": {**API_INTAKE["child"], "carers": [{"name": "Nguyễn Thị Hạnh", "relationship": "Mẹ",
                                                          "age": 38, "occupation": "Công nhân"}]}}
    response = client.post("/api/v1/cases", json=body, headers=token_for(client, make_user("worker")))
    assert response.status_code == 201, response.json
    case = response.json
    assert (case["harm_status"], case["harm_foreseen"]) == ("abused", "Tổn thương tâm lý kéo dài.")
    assert case["reporter"] == {"name": "Cô giáo chủ nhiệm", "contact": "0912 000 111"}
    assert case["consent"] == {"child": "refused", "carer": "agreed", "legal_ground": "protect_life"}
    assert case["child"]["carers"] == [{"name": "Nguyễn Thị Hạnh", "relationship": "Mẹ", "phone": None, "age": 38,
                                        "occupation": "Công nhân"}]


def test_an_api_intake_without_the_new_fields_is_still_accepted(client, make_user):
    response = client.post("/api/v1/cases", json=API_INTAKE, headers=token_for(client, make_user("worker")))
    assert response.status_code == 201
    assert response.json["harm_status"] is None and response.json["reporter"] is None
    assert response.json["consent"] == {"child": None, "carer": None, "legal_ground": None}


@pytest.mark.parametrize("field, value", [("harm_status", "hurt"), ("child_consent", ["agreed"]),
                                          ("data_ground", 5), ("harm_foreseen", "x" * 20001)])
def test_the_api_refuses_unknown_or_mistyped_mau_01_values_with_422(client, make_user, field, value):
    response = client.post("/api/v1/cases", json={**API_INTAKE, field: value},
                           headers=token_for(client, make_user("worker")))
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_a_correction_over_the_api_records_abused_or_at_risk(client, make_user):
    worker = make_user("worker")
    case = make_case(worker)
    response = client.patch(f"/api/v1/cases/{case.reference}", json={"harm_status": "abused"},
                            headers={**token_for(client, worker), "If-Match": f'"{case.version}"'})
    assert response.status_code == 200 and response.json["harm_status"] == "abused"


# The case file and the trail.

def test_the_case_file_prints_mau_01_s_fields_and_the_consent(client, worker):
    client.post("/cases/new", data={**INTAKE, "harm_foreseen": "Trẻ có thể bị suy dinh dưỡng.",
                                    "carers-0-name": "Lê Văn Tâm", "carers-0-relationship": "Bố",
                                    "carers-0-age": "41", "carers-0-occupation": "Thợ xây"})
    case = db.session.scalar(sa.select(Case))
    text = " ".join(pdf_text(client.get(f"/cases/{case.reference}/file.pdf").data).split())  # cells wrap lines
    for words in ("Bị xâm hại", "Trẻ có thể bị suy dinh dưỡng.", "41 tuổi", "Thợ xây", "Trẻ đồng ý",
                  "Người chăm sóc đồng ý"):
        assert words in text, words


def test_the_trail_tells_a_correction_of_abused_or_at_risk_in_words(client, worker):
    from app.audit.narrative import narrate
    from tests.factories import audit_entries

    case = make_case(worker, harm_status="at_risk")
    services.edit_case(case, worker, {"harm_status": "abused"}, case.version)
    entry = audit_entries(entity="cases", action="update")[-1]
    sentence = narrate([entry])[0].sentence
    assert "Bị xâm hại hay có nguy cơ" in sentence and "Bị xâm hại" in sentence
