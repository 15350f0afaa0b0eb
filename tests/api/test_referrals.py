"""Referrals and escalations over the API, as ../shared/API.md specifies them."""
import threading

import pytest

from app.extensions import db
from tests.api.test_cases import token_for
from tests.factories import audit_entries, make_case, make_referral


@pytest.fixture
def worker(make_user):
    return make_user("worker")


@pytest.fixture
def case(worker):
    return make_case(worker)


def test_a_referral_answers_201_with_the_contract_fields(client, worker, case):
    response = client.post(f"/api/v1/cases/{case.reference}/referrals",
                           json={"to_unit": "295", "reason": "Cần hỗ trợ", "urgent": False},
                           headers=token_for(client, worker))
    assert response.status_code == 201, response.json
    body = response.json
    assert {"id", "case", "from_unit", "to_unit", "status", "urgent", "reason", "created_at"} <= set(body)
    assert body["case"] == case.reference and body["from_unit"] == "10933" and body["to_unit"] == "295"
    assert body["status"] == "pending_approval" and body["urgent"] is False


def test_an_urgent_referral_is_sent_at_once(client, worker, case):
    response = client.post(f"/api/v1/cases/{case.reference}/referrals",
                           json={"to_unit": "30", "reason": "Nghi mua bán trẻ em", "urgent": True},
                           headers=token_for(client, worker))
    assert response.json["status"] == "sent"


def test_a_referral_to_an_unknown_unit_answers_422_and_creates_nothing(client, worker, case):
    response = client.post(f"/api/v1/cases/{case.reference}/referrals", json={"to_unit": "99999", "reason": "x"},
                           headers=token_for(client, worker))
    assert response.status_code == 422 and "to_unit" in response.json["error"]["fields"]
    assert case.referrals == []


def test_a_referral_of_a_case_out_of_scope_answers_404(client, case, make_user):
    stranger = make_user("worker", unit="10510")
    response = client.post(f"/api/v1/cases/{case.reference}/referrals", json={"to_unit": "295", "reason": "x"},
                           headers=token_for(client, stranger))
    assert response.status_code == 404


def test_approve_answers_200_and_records_who_approved(client, worker, case, make_user):
    supervisor = make_user("supervisor")
    referral = make_referral(case, worker, to="10510")
    response = client.post(f"/api/v1/referrals/{referral.id}/approve", headers=token_for(client, supervisor))
    assert response.status_code == 200 and response.json["status"] == "sent"
    assert response.json["approved_by"] == supervisor.username
    assert audit_entries(entity="referrals", entity_id=str(referral.id))[-1].actor == supervisor.username


def test_an_action_that_does_not_fit_the_state_answers_409(client, worker, case, make_user):
    referral = make_referral(case, worker, to="10510")
    response = client.post(f"/api/v1/referrals/{referral.id}/complete",
                           headers=token_for(client, make_user("supervisor")))
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"


def test_the_wrong_person_answers_403(client, worker, case, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    response = client.post(f"/api/v1/referrals/{referral.id}/accept", headers=token_for(client, worker))
    assert response.status_code == 403


def test_decline_without_a_reason_answers_422(client, worker, case, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    response = client.post(f"/api/v1/referrals/{referral.id}/decline", json={},
                           headers=token_for(client, make_user("worker", unit="10510")))
    assert response.status_code == 422 and "reason" in response.json["error"]["fields"]


def test_a_referral_out_of_scope_answers_404(client, worker, case, make_user):
    referral = make_referral(case, worker, to="10510")
    response = client.post(f"/api/v1/referrals/{referral.id}/approve",
                           headers=token_for(client, make_user("supervisor", unit="290")))
    assert response.status_code == 404


def test_the_boxes_list_incoming_and_outgoing(client, worker, case, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    receiver = make_user("worker", unit="10510")
    incoming = client.get("/api/v1/referrals?box=in", headers=token_for(client, receiver)).json
    outgoing = client.get("/api/v1/referrals?box=out", headers=token_for(client, worker)).json
    assert [item["id"] for item in incoming["items"]] == [referral.id] and incoming["next"] is None
    assert [item["id"] for item in outgoing["items"]] == [referral.id]
    assert client.get("/api/v1/referrals?box=out&status=accepted",
                      headers=token_for(client, worker)).json["items"] == []


def test_an_unknown_box_answers_422(client, worker):
    assert client.get("/api/v1/referrals?box=all", headers=token_for(client, worker)).status_code == 422


def test_a_case_lists_its_escalations(client, worker, case):
    auth = token_for(client, worker)
    created = client.post(f"/api/v1/cases/{case.reference}/escalations", json={"reason": "Trẻ bị đe doạ"},
                          headers=auth)
    assert created.status_code == 201 and created.json["to_unit"] == "295" and created.json["automatic"] is False
    escalations = client.get(f"/api/v1/cases/{case.reference}", headers=auth).json["escalations"]
    assert [e["id"] for e in escalations] == [created.json["id"]]
    assert set(escalations[0]) >= {"id", "to_unit", "reason", "automatic", "raised_at", "acknowledged_at",
                                   "acknowledged_by"}


def test_acknowledging_twice_answers_409(client, worker, case, make_user):
    number = client.post(f"/api/v1/cases/{case.reference}/escalations", json={"reason": "Lý do"},
                         headers=token_for(client, worker)).json["id"]
    auth = token_for(client, make_user("supervisor"))
    first = client.post(f"/api/v1/escalations/{number}/acknowledge", headers=auth)
    assert first.status_code == 200 and first.json["acknowledged_by"]
    assert client.post(f"/api/v1/escalations/{number}/acknowledge", headers=auth).status_code == 409


def test_open_escalations_are_listed_for_the_unit_raised_to(client, worker, case, make_user):
    client.post(f"/api/v1/cases/{case.reference}/escalations", json={"reason": "Lý do"},
                headers=token_for(client, worker))
    supervisor = token_for(client, make_user("supervisor"))
    assert len(client.get("/api/v1/escalations?open=true", headers=supervisor).json["items"]) == 1
    assert client.get("/api/v1/escalations?open=true",
                      headers=token_for(client, make_user("supervisor", unit="288"))).json["items"] == []


@pytest.mark.postgresql_only
def test_of_eight_simultaneous_approvals_exactly_one_succeeds(app, worker, case, make_user):
    number = make_referral(case, worker, to="10510").id
    supervisors = [make_user("supervisor") for _ in range(8)]
    tokens = [token_for(app.test_client(), supervisor) for supervisor in supervisors]
    start = threading.Barrier(len(tokens))
    statuses = []

    def approve(auth):
        client = app.test_client()
        start.wait()
        statuses.append(client.post(f"/api/v1/referrals/{number}/approve", headers=auth).status_code)

    threads = [threading.Thread(target=approve, args=(auth,)) for auth in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    db.session.expire_all()
    updates = audit_entries(entity="referrals", entity_id=str(number), action="update")
    assert len(updates) == 1


def test_an_id_too_large_for_the_database_answers_404_or_422(client, worker, case):
    auth = token_for(client, worker)
    huge = 10**20
    assert client.get(f"/api/v1/referrals/{huge}", headers=auth).status_code == 404
    assert client.post(f"/api/v1/escalations/{huge}/acknowledge", headers=auth).status_code == 404
    response = client.post(f"/api/v1/cases/{case.reference}/referrals",
                           json={"provider": huge, "reason": "x"}, headers=auth)
    assert response.status_code == 422 and "provider" in response.json["error"]["fields"]


def test_draft_must_be_true_or_false(client, worker, case):
    response = client.post(f"/api/v1/cases/{case.reference}/referrals",
                           json={"to_unit": "295", "reason": "x", "draft": "yes"}, headers=token_for(client, worker))
    assert response.status_code == 422 and case.referrals == []


def test_a_refused_action_is_recorded_in_the_audit_trail(client, worker, case):
    from tests.factories import last_audit_entry

    referral = make_referral(case, worker, to="10510", urgent=True)
    assert client.post(f"/api/v1/referrals/{referral.id}/accept", headers=token_for(client, worker)).status_code == 403
    entry = last_audit_entry(action="access_denied")
    assert entry.actor == worker.username and f"/referrals/{referral.id}/accept" in entry.changes
