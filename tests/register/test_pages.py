"""The register's pages: the list with the reviews due first, the child's register page, adding, the situation, a
review, leaving a group; scope and the trail."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.audit.narrative import narrate
from app.children.models import Child
from app.deadlines.services import local_zone
from app.extensions import db
from app.orm import utcnow
from app.register.models import RegisterEntry, RegisterGroup
from tests.factories import audit_entries, make_case, register_child

NEW_CHILD = {"full_name": "Đỗ Thị Hoa", "sex": "female", "date_of_birth": "2017-03-04", "group": "orphaned",
             "sub_case": "both_died", "since": "2026-01-05", "living_place": "with_relatives",
             "lives_with": "Ông bà nội"}


def today():
    return utcnow().astimezone(local_zone()).date()


def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def test_a_worker_adds_a_child_the_commune_knows_without_a_case(client, worker):
    response = client.post("/register/new", data=NEW_CHILD)
    entry = db.session.scalar(sa.select(RegisterEntry))
    assert response.status_code == 302 and response.headers["Location"] == f"/register/{entry.child_id}"
    assert (entry.child.full_name, entry.child.address_unit, entry.unit) == ("Đỗ Thị Hoa", worker.unit, worker.unit)
    assert [(group.group_key, group.sub_case) for group in entry.groups] == [("orphaned", "both_died")]


def test_adding_a_child_with_what_is_missing_explains_and_saves_nothing(client, worker):
    response = client.post("/register/new", data={**NEW_CHILD, "group": "", "living_place": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="group-error"' in page and 'id="living_place-error"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Child)) == 0


def test_a_probable_duplicate_is_offered_before_a_new_child_is_added(client, worker):
    existing = make_case(worker)
    data = {**NEW_CHILD, "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "2015-04-02"}
    page = client.post("/register/new", data=data).get_data(as_text=True)
    assert f"/register/{existing.child_id}" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 0
    client.post("/register/new", data={**data, "confirmed_new": "y"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 1


def test_a_child_with_a_case_is_added_from_their_page_with_their_groups_prefilled(client, worker):
    from tests.factories import child_details

    case = make_case(worker, details=child_details(special_circumstances=["disabled"]))
    page = client.get(f"/register/{case.child_id}/add").get_data(as_text=True)
    assert '<option selected value="disabled">' in page
    client.post(f"/register/{case.child_id}/add", data={**NEW_CHILD, "group": "disabled", "sub_case": "severe"})
    entry = db.session.scalar(sa.select(RegisterEntry))
    assert entry.child_id == case.child_id


def test_the_child_s_page_shows_the_register_entry_and_the_cases(client, worker):
    case = make_case(worker)
    register_child(worker, child=case.child, group="harmed_by_violence")
    english(client)
    page = client.get(f"/children/{case.child_id}").get_data(as_text=True)
    assert "Seriously harmed by violence" in page and "Decree 56/2017 art. 11" in page and case.reference in page


def test_the_page_of_a_registered_child_without_a_case_opens_and_offers_to_open_one(client, worker):
    entry = register_child(worker)
    page = client.get(f"/children/{entry.child_id}").get_data(as_text=True)
    assert f"/cases/new?child={entry.child_id}" in page


def test_opening_a_case_for_a_registered_child_starts_from_the_register(client, worker):
    entry = register_child(worker)
    page = client.get(f"/cases/new?child={entry.child_id}").get_data(as_text=True)
    assert 'id="known-child"' in page and 'value="Nguyễn Văn An"' in page
    data = {"full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "2015-04-02", "source": "school",
            "received_at": "2026-11-28T08:30", "categories": ["neglect"], "description": "Trẻ bỏ học nhiều ngày.",
            "harm_status": "at_risk", "child_consent": "agreed", "carer_consent": "agreed",
            "child_choice": str(entry.child_id)}
    assert client.post("/cases/new", data=data).status_code == 302
    from app.cases.models import Case
    assert [case.child_id for case in db.session.scalars(sa.select(Case))] == [entry.child_id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Child)) == 1


def listed(page: str) -> list[int]:
    """The children in the list's rows, in order."""
    import re

    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [int(number) for number in re.findall(r'href="/register/(\d+)"', body)]


def test_the_list_puts_the_reviews_due_first_and_says_how_many(client, worker):
    later = register_child(worker, today=today())
    overdue = register_child(worker, today=today() - timedelta(days=200))
    response = client.get("/register/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="reviews-due"' in page and "/register/?due=y" in page
    assert listed(page) == [overdue.child_id, later.child_id]
    assert listed(client.get("/register/?due=y").get_data(as_text=True)) == [overdue.child_id]


def test_the_list_counts_the_reviews_due_up_to_a_cap_then_says_more_than(client, worker, monkeypatch):
    from app.register import services

    monkeypatch.setattr(services, "DUE_COUNT_CAP", 2)
    for _ in range(2):
        register_child(worker, today=today() - timedelta(days=200))
    assert "2 trẻ đến hạn rà soát" in client.get("/register/").get_data(as_text=True)
    register_child(worker, today=today() - timedelta(days=200))
    english(client)
    assert "More than 2 children are due for a review" in client.get("/register/").get_data(as_text=True)


def test_the_list_filters_by_group(client, worker):
    orphan = register_child(worker, group="orphaned")
    from app.children.services import new_child
    from tests.factories import child_details
    other = register_child(worker, child=new_child(child_details(full_name="Trần Văn Bình")), group="at_risk")
    assert listed(client.get("/register/?group=at_risk").get_data(as_text=True)) == [other.child_id]
    assert listed(client.get("/register/?group=orphaned").get_data(as_text=True)) == [orphan.child_id]


def test_a_review_recorded_on_the_page_sets_the_next_review(client, worker):
    entry = register_child(worker, today=today() - timedelta(days=200))
    day = today()
    response = client.post(f"/register/{entry.child_id}/review",
                           data={"reviewed_on": day.isoformat(), "notes": "Trẻ khỏe, đi học đều."})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.last_reviewed_on == day and entry.next_review_on > day


def test_a_review_without_what_it_found_is_refused_on_the_page(client, worker):
    entry = register_child(worker)
    response = client.post(f"/register/{entry.child_id}/review", data={"reviewed_on": today().isoformat()})
    assert response.status_code == 422 and 'id="notes-error"' in response.get_data(as_text=True)


def test_leaving_a_group_on_the_page_keeps_it_with_its_reason(client, worker):
    entry = register_child(worker, since=date(2025, 1, 1))
    group_id = entry.groups[0].id
    response = client.post(f"/register/{entry.child_id}/leave", data={
        "membership": str(group_id), "left_on": today().isoformat(), "reason": "Được nhận làm con nuôi."})
    assert response.status_code == 302
    db.session.expire_all()
    group = db.session.get(RegisterGroup, group_id)
    assert group.left_reason == "Được nhận làm con nuôi."
    english(client)
    page = client.get(f"/register/{entry.child_id}").get_data(as_text=True)
    assert "Groups the child has left" in page and "Được nhận làm con nuôi." in page


def test_support_and_a_group_are_recorded_on_the_page(client, worker):
    entry = register_child(worker)
    client.post(f"/register/{entry.child_id}/supports", data={
        "kind": "cash_allowance", "description": "Trợ cấp xã hội hằng tháng", "monthly_amount": "900000",
        "started_on": today().isoformat()})
    client.post(f"/register/{entry.child_id}/groups", data={"group": "at_risk", "sub_case": "trafficking",
                                                            "since": today().isoformat()})
    db.session.refresh(entry)
    assert [support.monthly_amount for support in entry.supports] == [900_000]
    assert sorted(group.group_key for group in entry.current_groups) == ["at_risk", "orphaned"]


def test_the_situation_is_changed_on_its_page(client, worker):
    entry = register_child(worker)
    response = client.post(f"/register/{entry.child_id}/situation", data={
        "living_place": "foster_family", "lives_with": "Gia đình bà Lan", "version": str(entry.version)})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert (entry.living_place, entry.lives_with) == ("foster_family", "Gia đình bà Lan")


def test_a_supervisor_reads_the_register_of_the_district_but_changes_nothing(client, make_user, sign_in):
    entry = register_child(make_user("worker"))
    sign_in(make_user("supervisor"))
    assert client.get(f"/register/{entry.child_id}").status_code == 200
    assert client.get("/register/").status_code == 200
    response = client.post(f"/register/{entry.child_id}/review", data={"reviewed_on": today().isoformat(),
                                                                      "notes": "x"})
    assert response.status_code == 403


def test_another_commune_s_register_entry_answers_404_and_the_refusal_is_recorded(client, make_user, sign_in):
    entry = register_child(make_user("worker", unit="10966"))
    sign_in(make_user("worker"))
    assert client.get(f"/register/{entry.child_id}").status_code == 404
    assert client.get(f"/children/{entry.child_id}").status_code == 404
    assert client.post(f"/register/{entry.child_id}/review", data={}).status_code == 404
    assert audit_entries(action="access_denied", entity="children", entity_id=str(entry.child_id))


def test_the_admin_sees_no_register(client, make_user, sign_in):
    entry = register_child(make_user("worker"))
    sign_in(make_user("admin"))
    assert client.get("/register/").status_code == 403
    assert client.get(f"/register/{entry.child_id}").status_code == 403


def test_every_view_of_a_register_entry_is_in_the_trail(client, worker):
    entry = register_child(worker)
    client.get(f"/register/{entry.child_id}")
    client.get(f"/children/{entry.child_id}")
    client.get(f"/register/{entry.child_id}/situation")
    viewed = audit_entries(action="register_viewed", entity="register_entries", entity_id=str(entry.id))
    assert len(viewed) == 3 and all(view.unit_path == entry.unit.path for view in viewed)


def test_the_trail_tells_register_changes_in_sentences(app, make_user):
    from flask_babel import force_locale

    worker = make_user("worker", full_name="Phạm Thu Hà")
    entry = register_child(worker, since=date(2025, 1, 1), today=date(2026, 11, 28))
    from app.register import services
    services.leave_group(entry, entry.groups[0].id, date(2026, 11, 20), "Được nhận làm con nuôi.",
                         date(2026, 11, 28))
    services.record_review(worker, entry, date(2026, 11, 28), "Ổn định.", None, date(2026, 11, 28))
    services.add_support(entry, services.Support("service", "Tư vấn tâm lý", date(2026, 11, 1)), date(2026, 11, 28))
    from app.audit.models import AuditEntry
    entries = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity.like("register_%"))
                                      .order_by(AuditEntry.id)))
    with force_locale("en"):
        told = [item.sentence for item in narrate(entries)]
    assert any("put the child Nguyễn Văn An on the commune's register" in sentence for sentence in told)
    assert any("in the group “Orphaned of both parents” since 01/01/2025" in sentence for sentence in told)
    assert any("left the group “Orphaned of both parents” on 20/11/2026: Được nhận làm con nuôi." in sentence
               for sentence in told)
    assert any("recorded a review of the child Nguyễn Văn An on 28/11/2026; the next is due on 28/05/2027" in sentence
               for sentence in told)
    assert any("recorded support the child Nguyễn Văn An receives: Service" in sentence for sentence in told)


def test_correcting_a_registered_child_s_details_leaves_the_groups_to_the_register(client, worker):
    entry = register_child(worker, group="disabled")
    english(client)
    page = client.get(f"/children/{entry.child_id}/edit").get_data(as_text=True)
    assert "their special circumstances are the register" in page
    response = client.post(f"/children/{entry.child_id}/edit", data={
        "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "2015-04-02",
        "special_circumstances": ["hiv"], "version": str(entry.child.version)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Child, entry.child_id).special_circumstances == ["disabled"]


def test_a_province_officer_narrows_the_province_s_register_to_one_commune(client, make_user, sign_in):
    from app.children.services import new_child
    from tests.factories import child_details

    here = register_child(make_user("worker"))
    there = register_child(make_user("worker", unit="10966"), child=new_child(child_details(full_name="Trần Văn Bình")))
    sign_in(make_user("province_officer"))
    assert sorted(listed(client.get("/register/").get_data(as_text=True))) == sorted([here.child_id, there.child_id])
    assert listed(client.get("/register/?unit=10966").get_data(as_text=True)) == [there.child_id]


def test_a_child_registered_by_someone_else_meanwhile_is_refused_not_a_server_error(client, worker, monkeypatch):
    """Two people register the same child at once: both pass the check; the database refuses the second."""
    from app.register import services

    case = make_case(worker)
    checked = services._situation_problems

    def meanwhile(situation, problems):
        checked(situation, problems)
        db.session.add(RegisterEntry(child_id=case.child_id, unit_id=worker.unit_id, registered_on=date.today(),
                                     next_review_on=date.today()))
        db.session.flush()

    monkeypatch.setattr(services, "_situation_problems", meanwhile)
    response = client.post(f"/register/{case.child_id}/add", data=NEW_CHILD)
    assert response.status_code == 422 and "Trẻ đã có trong danh sách." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 0
