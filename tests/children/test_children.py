from datetime import date, datetime, timedelta, timezone

import pytest

from app.access import scoped_children
from app.children.services import child_problems, id_number_problems, probable_duplicates
from tests.factories import child_details, make_case, unit

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize("id_number, sex, year", [
    ("030215001234", "male", 2015),     # Hải Dương (030), 2000s male (2), 2015
    ("030315001234", "female", 2015),
    ("001099001234", "male", 1999),
])
def test_a_personal_id_that_fits_the_child_is_accepted(units, id_number, sex, year):
    assert id_number_problems(id_number, sex, year) == []


@pytest.mark.parametrize("id_number, sex, year, reason", [
    ("03021500123", "male", 2015, "12 digits"),
    ("999215001234", "male", 2015, "province"),
    ("030315001234", "male", 2015, "sex"),
    ("030214001234", "male", 2015, "year"),
    ("030615001234", "male", 2015, "0 to 5"),
])
def test_a_personal_id_that_does_not_fit_is_refused_with_the_reason(units, app, id_number, sex, year, reason):
    from flask_babel import force_locale

    with force_locale("en"):
        problems = id_number_problems(id_number, sex, year)
    assert problems and reason in " ".join(problems)


def test_a_child_needs_a_name_a_sex_and_a_birth_date_or_year(app):
    problems = child_problems(child_details(full_name=" ", sex="", date_of_birth=None), TODAY)
    assert set(problems) == {"full_name", "sex", "date_of_birth"}


def test_an_estimated_birth_year_is_enough(app):
    assert child_problems(child_details(date_of_birth=None, birth_year=2016), TODAY) == {}


def test_a_person_who_is_16_on_the_day_of_the_report_is_not_a_child_and_is_told_where_to_turn(app):
    from flask_babel import force_locale

    with force_locale("en"):
        problems = child_problems(child_details(date_of_birth=date(2010, 11, 28)), TODAY)
    message = " ".join(problems["date_of_birth"])
    assert "Law on Children 2016 art. 1" in message and "commune police" in message and "Youth Union" in message


def test_a_child_who_turns_16_the_day_after_the_report_is_taken(app):
    assert child_problems(child_details(date_of_birth=date(2010, 11, 29)), TODAY) == {}


@pytest.mark.parametrize("year, accepted", [(2010, True), (2009, False), (2027, False)])
def test_with_only_a_year_of_birth_the_child_may_have_been_under_16(app, year, accepted):
    problems = child_problems(child_details(date_of_birth=None, birth_year=year), TODAY)
    assert (problems == {}) is accepted and (accepted or "birth_year" in problems)


def test_the_age_counts_on_the_day_of_the_report_not_today(app):
    born = child_details(date_of_birth=date(2010, 6, 1))
    assert child_problems(born, TODAY, reported_on=date(2026, 5, 31)) == {}


def test_a_carer_s_age_and_occupation_are_kept_within_their_bounds(app):
    carer = {"name": "Bà Lan", "relationship": "Bà ngoại"}
    assert child_problems(child_details(carers=[{**carer, "age": 61, "occupation": "Làm ruộng"}]), TODAY) == {}
    assert "carers" in child_problems(child_details(carers=[{**carer, "age": 7}]), TODAY)
    assert "carers" in child_problems(child_details(carers=[{**carer, "occupation": "x" * 121}]), TODAY)


def test_a_carer_needs_a_name_and_relationship(app):
    problems = child_problems(child_details(carers=[{"name": "Bà Lan", "relationship": ""}]), TODAY)
    assert "carers" in problems


def test_the_same_name_without_accents_and_birth_date_is_a_probable_duplicate(make_user):
    worker = make_user("worker")
    existing = make_case(worker).child
    found, elsewhere = probable_duplicates(child_details(full_name="nguyen van an"), unit("30"),
                                           scoped_children(worker))
    assert [child.id for child in found] == [existing.id] and elsewhere == []


def test_the_same_personal_id_is_a_probable_duplicate(make_user):
    worker = make_user("worker")
    from app.cases.services import open_case
    from tests.factories import report
    existing = open_case(worker, worker.unit, report(), child_details=child_details(id_number="001215001234",
                                                                                    full_name="Trần Bình"))
    found, _ = probable_duplicates(child_details(full_name="Khác hẳn", id_number="001215001234"), unit("30"),
                                   scoped_children(worker))
    assert [child.id for child in found] == [existing.child.id]


def test_a_duplicate_out_of_scope_is_set_apart_from_those_shown(make_user):
    other_commune = make_user("worker", unit="10966")
    make_case(other_commune)
    worker = make_user("worker", unit="10933")
    found, elsewhere = probable_duplicates(child_details(), unit("30"), scoped_children(worker))
    assert found == [] and len(elsewhere) == 1


def test_a_worker_corrects_a_childs_details(client, make_user, sign_in):
    worker = sign_in(make_user("worker"))
    child = make_case(worker).child
    response = client.post(f"/children/{child.id}/edit", data={"version": child.version,
        "full_name": "Nguyễn Văn Ân", "sex": "male", "date_of_birth": "2015-04-02",
        "carers-0-name": "Bà Hoa", "carers-0-relationship": "Bà ngoại"})
    assert response.status_code == 302
    from app.extensions import db
    db.session.refresh(child)
    assert (child.full_name, child.name_folded, [c.name for c in child.carers]) == \
        ("Nguyễn Văn Ân", "nguyen van an", ["Bà Hoa"])


def test_a_correction_that_does_not_fit_is_refused_next_to_its_field(client, make_user, sign_in):
    worker = sign_in(make_user("worker"))
    child = make_case(worker).child
    response = client.post(f"/children/{child.id}/edit", data={"version": child.version,
        "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "2015-04-02", "id_number": "123"})
    assert response.status_code == 422 and 'id="id_number-error"' in response.get_data(as_text=True)


def test_a_child_who_has_turned_16_since_their_report_can_still_be_corrected(client, make_user, sign_in):
    worker = sign_in(make_user("worker"))
    reported = datetime.now(timezone.utc) - timedelta(days=730)
    born = date(reported.year - 15, reported.month, min(reported.day, 28))  # 15 at the report, 17 today
    child = make_case(worker, received_at=reported).child
    response = client.post(f"/children/{child.id}/edit", data={"version": child.version,
        "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": born.isoformat()})
    assert response.status_code == 302


def test_a_child_whose_commune_left_the_list_in_force_can_still_be_corrected(app, client, make_user, sign_in,
                                                                            monkeypatch):
    worker = sign_in(make_user("worker"))
    child = make_case(worker).child
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    response = client.post(f"/children/{child.id}/edit", data={"version": child.version,
        "full_name": "Nguyễn Văn Ân", "sex": "male", "date_of_birth": "2015-04-02"})
    assert response.status_code == 302


def test_a_correction_made_on_details_someone_else_changed_is_refused_and_keeps_the_input(client, make_user,
                                                                                          sign_in):
    from app.children.services import update_child
    from app.extensions import db

    worker = sign_in(make_user("worker"))
    child = make_case(worker).child
    opened = child.version
    update_child(child, child_details(school="Trường Cẩm Phúc"), TODAY, child.version)
    client.post("/language", data={"locale": "en"})
    response = client.post(f"/children/{child.id}/edit", data={
        "version": opened, "full_name": "Nguyễn Văn Ân", "sex": "male", "date_of_birth": "2015-04-02"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Someone else corrected" in page and "Nguyễn Văn Ân" in page
    db.session.refresh(child)
    assert (child.full_name, child.school) == ("Nguyễn Văn An", "Trường Cẩm Phúc")


def test_a_correction_without_a_version_is_refused(client, make_user, sign_in):
    worker = sign_in(make_user("worker"))
    child = make_case(worker).child
    response = client.post(f"/children/{child.id}/edit", data={
        "full_name": "Nguyễn Văn Ân", "sex": "male", "date_of_birth": "2015-04-02"})
    assert response.status_code == 409


def test_an_inspector_cannot_correct_a_child(client, make_user, sign_in):
    worker = make_user("worker")
    child = make_case(worker).child
    sign_in(make_user("inspector"))
    assert client.get(f"/children/{child.id}/edit").status_code == 403


def test_a_record_of_a_17_year_old_kept_from_before_the_under_16_rule_can_still_be_corrected(client, make_user,
                                                                                              sign_in):
    from app.extensions import db
    from tests.factories import case_kept_from_before

    worker = sign_in(make_user("worker"))
    child = case_kept_from_before(worker, years=17).child
    response = client.post(f"/children/{child.id}/edit", data={"version": child.version,
        "full_name": "Nguyễn Văn Ân", "sex": "male", "date_of_birth": child.date_of_birth.isoformat()})
    db.session.refresh(child)
    assert response.status_code == 302 and child.full_name == "Nguyễn Văn Ân"


def test_a_new_case_for_a_person_on_record_who_has_turned_16_is_refused(make_user):
    from app.cases.services import Invalid
    worker = make_user("worker")
    child = make_case(worker).child
    child.date_of_birth, child.birth_year = date(2010, 1, 1), 2010
    with pytest.raises(Invalid) as refusal:
        make_case(worker, child=child)
    assert "child_id" in refusal.value.fields


def test_a_child_born_after_the_report_is_refused(app):
    problems = child_problems(child_details(date_of_birth=date(2026, 6, 2)), TODAY, reported_on=date(2026, 6, 1))
    assert "date_of_birth" in problems


@pytest.mark.postgresql_only
def test_two_people_correcting_the_same_child_at_once_exactly_one_wins(app, make_user):
    import threading

    from app.children.models import Child
    from app.children.services import ChildChanged, update_child
    from app.extensions import db

    child = make_case(make_user("worker")).child
    child_id, seen = child.id, child.version
    outcomes = []
    start = threading.Barrier(2)

    def correct(school):
        with app.app_context():
            target = db.session.get(Child, child_id)
            start.wait()
            try:
                update_child(target, child_details(school=school), TODAY, seen)
                outcomes.append("saved")
            except ChildChanged:
                outcomes.append("stale")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=correct, args=(school,)) for school in ("Trường A", "Trường B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
