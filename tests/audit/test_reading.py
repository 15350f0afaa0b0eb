"""Inspectors read the trail within their subtree, on pages and through the API."""
import csv
import html
import io
import re
import urllib.parse

import pytest

from app.access import Role
from app.extensions import db
from tests.factories import PASSWORD, audit_entries, last_audit_entry


@pytest.fixture
def inspector(make_user, sign_in):
    return sign_in(make_user("inspector", unit="30"))


def page_text(client, path="/audit/", **params):
    response = client.get(path, query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def english(client):
    client.post("/language", data={"locale": "en"})


def entry_link(entry):
    return f'href="/audit/{entry.id}"'


@pytest.mark.parametrize("role", [Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.ADMIN])
def test_only_inspectors_and_province_officers_read_the_trail(client, make_user, sign_in, role):
    sign_in(make_user(role))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_a_province_officer_reads_the_trail(client, make_user, sign_in):
    sign_in(make_user("province_officer"))
    assert client.get("/audit/").status_code == 200


def test_the_newest_entries_come_first(client, inspector, make_user):
    first, second = (last_audit_entry(entity="users", action="create", entity_id=str(make_user("worker").id))
                     for _ in range(2))
    text = page_text(client)
    assert text.index(entry_link(second)) < text.index(entry_link(first))


def test_a_district_inspector_sees_only_the_district(client, make_user, sign_in):
    sign_in(make_user("inspector", unit="295"))
    inside = make_user("worker", unit="10933")
    outside = make_user("worker", unit="10966")
    text = page_text(client, action="create", since="2000-01-01")
    assert entry_link(last_audit_entry(entity="users", entity_id=str(inside.id))) in text
    assert entry_link(last_audit_entry(entity="users", entity_id=str(outside.id))) not in text
    hidden = last_audit_entry(entity="users", entity_id=str(outside.id))
    assert client.get(f"/audit/{hidden.id}").status_code == 404


def test_filter_by_person(client, inspector, make_user):
    admin = make_user("admin", username="the.admin")
    client.application.test_client().post("/auth/sign-in", data={"username": "the.admin", "password": PASSWORD})
    text = page_text(client, actor="the.admin")
    assert entry_link(last_audit_entry(action="sign_in", actor=admin.username)) in text
    assert entry_link(last_audit_entry(entity="units")) not in text


def test_filter_by_action(client, inspector, make_user):
    make_user("worker")
    text = page_text(client, action="sign_in")
    assert entry_link(last_audit_entry(action="sign_in", actor=inspector.username)) in text
    assert entry_link(last_audit_entry(entity="users", action="create")) not in text


def test_filter_by_unit_takes_its_subtree(client, inspector, make_user):
    make_user("worker", unit="10933")
    text = page_text(client, unit="295", action="create")
    assert entry_link(last_audit_entry(entity="units", entity_id=str(_unit_id("10933")))) in text
    assert entry_link(last_audit_entry(entity="units", entity_id=str(_unit_id("10966")))) not in text


def _unit_id(code):
    from tests.factories import unit
    return unit(code).id


def test_filter_by_period(client, inspector, make_user):
    assert "No entries match" in page_text(client, since="2001-01-01", until="2001-12-31") or \
        "Không có" in page_text(client, since="2001-01-01", until="2001-12-31")


def test_a_period_ending_before_it_starts_is_explained(client, inspector):
    text = page_text(client, since="2024-05-01", until="2024-04-01")
    assert 'id="until-error"' in text


def test_pages_go_back_in_time(client, inspector):
    first_page = page_text(client, action="create")
    older = int(first_page.split("before=")[1].split("&")[0])
    next_page = page_text(client, action="create", before=older)
    assert entry_link(audit_entries(id=older)[0]) in first_page
    assert entry_link(audit_entries(id=older - 1)[0]) in next_page and entry_link(audit_entries(id=older)[0]) \
        not in next_page


def test_the_detail_shows_each_field_before_and_after(client, inspector, make_user):
    worker = make_user("worker", full_name="Nguyễn Văn An")
    worker.full_name = "Nguyễn Văn Bình"
    from app.extensions import db
    db.session.commit()
    entry = last_audit_entry(entity="users", action="update")
    text = page_text(client, f"/audit/{entry.id}")
    assert "Nguyễn Văn An" in text and "Nguyễn Văn Bình" in text and entry.hash in text


def test_the_csv_export_holds_the_filtered_entries(client, inspector, make_user):
    make_user("worker")
    response = client.get("/audit/export.csv", query_string={"action": "create"})
    _heading, *rows = csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff")))
    assert response.mimetype == "text/csv"
    assert sorted(int(row[7]) for row in rows) == [entry.id for entry in audit_entries(action="create")]


def test_the_list_reads_as_sentences_with_local_times(client, inspector, make_user):
    worker = make_user("worker", full_name="Trần Thị Mai")
    english(client)
    text = page_text(client, action="create")
    assert "created the account of Trần Thị Mai: Commune child-protection worker, Xã Cẩm Phúc." in text
    assert entry_link(last_audit_entry(entity="users", entity_id=str(worker.id))) in text
    assert ">users<" not in text and " users " not in text and "unit_id" not in text
    assert not re.search(r"\d{4}-\d\d-\d\dT", text)


def test_the_entry_page_tells_the_change_first_and_keeps_the_raw_values_one_click_away(client, inspector,
                                                                                     make_user):
    worker = make_user("worker", full_name="Nguyễn Văn An")
    worker.full_name = "Nguyễn Văn Bình"
    db.session.commit()
    entry = last_audit_entry(entity="users", action="update")
    english(client)
    text = page_text(client, f"/audit/{entry.id}")
    visible, raw = text.split("<details>")
    assert "changed the account of Nguyễn Văn Bình: Full name." in visible
    assert "Full name:</span>" in visible and "Nguyễn Văn An → Nguyễn Văn Bình" in visible
    assert "full_name" not in visible and entry.hash not in visible
    for value in (entry.hash, entry.prev_hash, "users", entry.entity_id, entry.actor, entry.at.isoformat(),
                  "full_name"):
        assert value in raw


def test_the_trail_s_pages_stay_small(client, inspector, make_user):
    for _number in range(30):
        make_user("worker")
    assert len(client.get("/audit/").data) < 60_000
    entry = last_audit_entry(entity="users", action="create")
    assert len(client.get(f"/audit/{entry.id}").data) < 60_000


def test_reading_and_exporting_are_recorded(client, inspector):
    client.get("/audit/", query_string={"action": "create"})
    client.get("/audit/export.csv")
    assert last_audit_entry(action="audit_view").actor == inspector.username
    assert last_audit_entry(action="audit_export").actor == inspector.username


def test_the_integrity_check_runs_from_the_page_and_its_result_stays_shown(client, inspector):
    response = client.post("/audit/verify")
    assert response.status_code == 302
    entry = last_audit_entry(action="audit_verify")
    assert entry.actor == inspector.username
    client.post("/language", data={"locale": "en"})
    assert "Last integrity check: the chain was whole" in page_text(client)
    assert f"by {inspector.full_name}." in page_text(client)


def test_the_integrity_check_keeps_the_inspector_s_filter(client, inspector):
    filters = {"action": "sign_in", "since": "2026-01-01", "actor": inspector.username}
    page = page_text(client, **filters)
    action = re.search(r'<form method="post" action="([^"]*/audit/verify[^"]*)"', page).group(1)
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(html.unescape(action)).query)) == filters
    response = client.post(html.unescape(action))
    target = urllib.parse.urlsplit(response.headers["Location"])
    assert target.path == "/audit/" and dict(urllib.parse.parse_qsl(target.query)) == filters


def test_bad_filters_in_the_export_change_nothing_and_say_why(client, inspector):
    response = client.get("/audit/export.csv", query_string={"since": "not a date"})
    assert response.status_code == 302


def api_token(client, user):
    return client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]


def test_the_api_lists_entries_with_the_contract_fields(client, make_user):
    inspector = make_user("inspector")
    token = api_token(client, inspector)
    body = client.get("/api/v1/audit", query_string={"action": "create", "limit": 5},
                      headers={"Authorization": f"Bearer {token}"}).json
    assert len(body["items"]) == 5 and body["next"]
    assert set(body["items"][0]) >= {"id", "at", "actor", "role", "unit", "action", "entity", "entity_id", "case",
                                     "changes", "ip", "hash", "prev_hash"}
    assert body["items"][0]["id"] > body["items"][1]["id"]


def test_the_api_follows_its_next_link(client, make_user):
    token = api_token(client, make_user("inspector"))
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get("/api/v1/audit", query_string={"limit": 2}, headers=headers).json
    second = client.get(first["next"], headers=headers).json
    assert second["items"][0]["id"] < first["items"][-1]["id"]


def test_the_api_filters_by_actor_and_period(client, make_user):
    inspector = make_user("inspector")
    token = api_token(client, inspector)
    body = client.get("/api/v1/audit", query_string={"actor": inspector.username, "since": "2000-01-01",
                                                     "until": "2099-12-31"},
                      headers={"Authorization": f"Bearer {token}"}).json
    assert body["items"] and {item["actor"] for item in body["items"]} == {inspector.username}


@pytest.mark.parametrize("params", [{"since": "yesterday"}, {"limit": "500"}, {"before": "²"}])
def test_the_api_explains_bad_filters_with_422(client, make_user, params):
    token = api_token(client, make_user("inspector"))
    response = client.get("/api/v1/audit", query_string=params, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and set(response.json["error"]["fields"]) == set(params)


def test_the_api_refuses_the_trail_to_a_worker_with_403(client, make_user):
    token = api_token(client, make_user("worker"))
    assert client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_the_api_verifies_the_chain(client, make_user):
    token = api_token(client, make_user("inspector"))
    body = client.get("/api/v1/audit/verify", headers={"Authorization": f"Bearer {token}"}).json
    assert body["ok"] is True and body["first_broken"] is None and body["entries"] > 0


def test_the_api_answers_404_for_an_entry_out_of_scope(client, make_user):
    token = api_token(client, make_user("inspector", unit="295"))
    outside = make_user("worker", unit="10966")
    entry = last_audit_entry(entity="users", entity_id=str(outside.id))
    response = client.get(f"/api/v1/audit/{entry.id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
