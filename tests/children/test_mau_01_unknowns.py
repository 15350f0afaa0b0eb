"""Mẫu 01 (Decree 56/2017 art. 25-26) is filled with what the reporter knows: the child's sex may be unknown, an
estimated age may stand in for the birth date or year, a description for the name. Such a child is completed
later, and the duplicate check is made again then."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.cases.models import Case
from app.children.models import Child
from app.children.services import child_problems, too_old_message
from app.deadlines.services import local_zone
from app.extensions import db
from app.orm import utcnow
from tests.api.test_cases import INTAKE as API_INTAKE
from tests.api.test_cases import token_for
from tests.cases.test_pages import INTAKE, english
from tests.factories import child_details, make_case


def today():
    return utcnow().astimezone(local_zone()).date()


UNKNOWN = {"full_name": "", "date_of_birth": None, "sex": "unknown", "description": "Bé gái khoảng 8 tuổi, áo đỏ",
           "estimated_age": 8}


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_a_child_of_unknown_sex_with_an_estimated_age_and_no_name_is_recorded(make_user):
    case = make_case(make_user("worker"), details=child_details(**UNKNOWN))
    child = case.child
    assert (child.full_name, child.sex, child.description) == ("", "unknown", "Bé gái khoảng 8 tuổi, áo đỏ")
    assert child.age_estimated and child.birth_year == case.received_at.astimezone(local_zone()).year - 8
    assert child.incomplete and child.name_shown.endswith("Bé gái khoảng 8 tuổi, áo đỏ")


def test_without_a_name_a_description_is_needed(app):
    problems = child_problems(child_details(**{**UNKNOWN, "description": ""}), today())
    assert "full_name" in problems


def test_an_estimated_age_of_16_is_refused_as_for_a_birth_date(app):
    # Law on Children 2016 art. 1: a child is under 16 on the day of the report.
    problems = child_problems(child_details(**{**UNKNOWN, "estimated_age": 16}), today())
    assert problems["estimated_age"] == [too_old_message()]


def test_an_estimated_age_is_refused_beside_a_known_year_of_birth(app):
    problems = child_problems(child_details(**{**UNKNOWN, "birth_year": 2016}), today())
    assert "estimated_age" in problems


def test_without_birth_date_year_or_age_the_child_is_refused(app):
    problems = child_problems(child_details(**{**UNKNOWN, "estimated_age": None}), today())
    assert "date_of_birth" in problems


def test_the_intake_page_takes_an_unknown_sex_an_estimated_age_and_a_description(client, worker):
    english(client)
    data = {**INTAKE, "full_name": "", "child_description": "Bé trai gầy, khoảng 6 tuổi", "sex": "unknown",
            "date_of_birth": "", "estimated_age": "6", "child_consent": "under_7",
            "received_at": utcnow().astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")}
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302
    child = db.session.scalar(sa.select(Child))
    assert child.sex == "unknown" and child.description == "Bé trai gầy, khoảng 6 tuổi" and child.age_estimated
    assert "Bé trai gầy" in client.get("/cases/").get_data(as_text=True)


def test_the_api_takes_what_the_reporter_does_not_know(client, make_user):
    body = {**API_INTAKE, "received_at": utcnow().isoformat(),
            "child": {"sex": "unknown", "description": "Trẻ khoảng 10 tuổi ở chợ", "estimated_age": 10}}
    response = client.post("/api/v1/cases", json=body, headers=token_for(client, make_user("worker")))
    assert response.status_code == 201, response.json
    child = response.json["child"]
    assert (child["full_name"], child["sex"], child["age_estimated"]) == ("", "unknown", True)


def test_completing_an_unknown_child_makes_the_duplicate_check_again(client, worker, make_user):
    english(client)
    known = make_case(worker, details=child_details(full_name="Phạm Thị Hoa", sex="female",
                                                    date_of_birth=date(2016, 5, 6)))
    unknown = make_case(worker, details=child_details(**UNKNOWN)).child
    form = {"full_name": "Phạm Thị Hoa", "sex": "female", "date_of_birth": "2016-05-06",
            "version": str(unknown.version)}
    page = client.post(f"/children/{unknown.id}/edit", data=form, follow_redirects=True).get_data(as_text=True)
    assert "This child may already be on record as Phạm Thị Hoa" in page
    db.session.refresh(unknown)
    assert not unknown.incomplete and not unknown.age_estimated and known.child.id != unknown.id


def test_correcting_a_complete_child_does_not_check_again(client, worker):
    english(client)
    make_case(worker, details=child_details(full_name="Phạm Thị Hoa", sex="female", date_of_birth=date(2016, 5, 6)))
    other = make_case(worker, details=child_details(full_name="Phạm Thị Hoà", sex="female",
                                                    date_of_birth=date(2016, 5, 6))).child
    form = {"full_name": "Phạm Thị Hoa", "sex": "female", "date_of_birth": "2016-05-06", "version": str(other.version)}
    page = client.post(f"/children/{other.id}/edit", data=form, follow_redirects=True).get_data(as_text=True)
    assert "may already be on record" not in page


def test_an_estimated_age_saved_unchanged_stays_an_estimate(client, worker):
    child = make_case(worker, details=child_details(**UNKNOWN)).child
    form = {"full_name": "", "child_description": child.description, "sex": "unknown",
            "birth_year": str(child.birth_year), "version": str(child.version)}
    assert client.post(f"/children/{child.id}/edit", data=form).status_code == 302
    db.session.refresh(child)
    assert child.age_estimated and child.description


def test_a_case_of_a_child_without_a_name_is_found_in_the_list_by_its_description(make_user):
    from app.cases import queries

    worker = make_user("worker")
    make_case(worker, details=child_details(**UNKNOWN))
    [row] = queries.my_work(worker, utcnow())
    assert row.child_name == "Bé gái khoảng 8 tuổi, áo đỏ"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_an_age_range_is_recorded_with_the_year_of_birth_of_its_youngest_age(make_user):
    # Mẫu 01 (Decree 56/2017 art. 25): "about 8 to 10"; the under-16 rule reads the youngest (Law on Children art. 1).
    case = make_case(make_user("worker"), details=child_details(**UNKNOWN, estimated_age_to=10))
    child = case.child
    assert (child.age_estimated, child.estimated_age_to) == (True, 10)
    assert child.birth_year == case.received_at.astimezone(local_zone()).year - 8


def test_an_age_range_that_may_reach_16_is_taken_when_its_youngest_is_a_child(app):
    assert child_problems(child_details(**UNKNOWN, estimated_age_to=17), today()) == {}


@pytest.mark.parametrize("start, end", [(8, 8), (8, 6), (8, 121), (None, 10)])
def test_an_age_range_runs_upwards_from_a_start(app, start, end):
    details = child_details(**{**UNKNOWN, "estimated_age": start, "estimated_age_to": end})
    assert "estimated_age_to" in child_problems(details, today())


def test_the_intake_page_takes_an_age_range(client, worker):
    data = {**INTAKE, "full_name": "", "child_description": "Bé trai khoảng 8-10 tuổi", "sex": "unknown",
            "date_of_birth": "", "estimated_age": "8", "estimated_age_to": "10"}
    assert client.post("/cases/new", data=data).status_code == 302
    assert db.session.scalar(sa.select(Child.estimated_age_to)) == 10


def test_the_api_takes_an_age_range(client, make_user):
    body = {**API_INTAKE, "child": {"sex": "unknown", "description": "Bé trai khoảng 8-10 tuổi", "estimated_age": 8,
                                    "estimated_age_to": 10}}
    response = client.post("/api/v1/cases", json=body, headers=token_for(client, make_user("worker")))
    assert response.status_code == 201 and response.json["child"]["estimated_age_to"] == 10
