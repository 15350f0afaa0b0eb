"""The review on Mẫu 06 and the closure over the API (Decree 56/2017 art. 30): the same rules as the pages."""
import pytest

from tests.api.test_cases import INTAKE, token_for
from tests.factories import GOOD_REVIEW

PLAN = {"goals": "Trẻ an toàn", "actions": [{"description": "Thăm nhà", "responsible": "Cán bộ xã",
                                            "due_date": "2030-12-31"}]}


@pytest.fixture
def worker(make_user):
    return make_user("worker")


@pytest.fixture
def auth(client, worker):
    return token_for(client, worker)


@pytest.fixture
def leader_auth(client, make_user):
    return token_for(client, make_user("commune_leader"))


class Journey:
    """A case over the API, each step made on the version the last answer gave."""

    def __init__(self, client, auth):
        self.client = client
        self.response = client.post("/api/v1/cases", json=INTAKE, headers=auth)
        self.reference = self.response.json["reference"]

    def step(self, headers, step, body=None, language="vi"):
        self.response = self.client.post(f"/api/v1/cases/{self.reference}/{step}", json=body, headers={
            **headers, "If-Match": self.response.headers["ETag"], "Accept-Language": language})
        return self.response

    def under_way(self, auth, leader_auth):
        for headers, step, body in ((auth, "assessment", {"answers": {"repeated_harm": True}}),
                                    (auth, "plan", PLAN), (auth, "plan-submission", None),
                                    (leader_auth, "plan-approval", None)):
            assert self.step(headers, step, body).status_code in (200, 201), (step, self.response.json)
        return self


def test_a_review_over_the_api_takes_mau_06_s_scores_and_notes_and_the_case_lists_it_art_30(client, auth,
                                                                                             leader_auth):
    journey = Journey(client, auth).under_way(auth, leader_auth)
    response = journey.step(auth, "review", {"scores": GOOD_REVIEW, "notes": {"harm": "Vết thương đã lành."},
                                             "note": "Trẻ ổn định."})
    assert response.status_code == 201, response.json
    [review] = response.json["reviews"]
    assert (review["criteria"], review["scores"], review["notes"]["harm"], review["note"]) == (
        "mau_06", GOOD_REVIEW, "Vết thương đã lành.", "Trẻ ổn định.")


def test_a_review_on_the_former_criteria_over_the_api_answers_422_naming_mau_06_s(client, auth, leader_auth):
    journey = Journey(client, auth).under_way(auth, leader_auth)
    response = journey.step(auth, "review", {"scores": {"safety": "low", "health": "low", "education": "low",
                                                        "family_care": "low"}}, language="en")
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert "harm" in fields and "abuser_access, care_obstacles, self_protection" in " ".join(fields["scores"])


def test_closure_over_the_api_without_a_review_answers_409_saying_what_is_missing_art_30(client, auth,
                                                                                         leader_auth):
    journey = Journey(client, auth).under_way(auth, leader_auth)
    response = journey.step(auth, "closure-proposal", {"reason": "safe_stable"})
    assert response.status_code == 409
    assert "chưa có bản rà soát, đánh giá theo các tiêu chí của Mẫu 06" in response.json["error"]["message"]


def test_closure_over_the_api_after_a_review_or_for_a_child_who_died_is_approved_by_the_leader_art_30(
        client, auth, leader_auth):
    reviewed = Journey(client, auth).under_way(auth, leader_auth)
    reviewed.step(auth, "review", {"scores": GOOD_REVIEW})
    assert reviewed.step(auth, "closure-proposal", {"reason": "safe_stable"}).status_code == 200
    assert reviewed.step(leader_auth, "closure-approval").json["status"] == "closed"
    died = Journey(client, auth).under_way(auth, leader_auth)
    etag = died.step(auth, "closure-proposal", {"reason": "died"}).headers["ETag"]
    assert client.post(f"/api/v1/cases/{died.reference}/closure-approval",
                       headers={**auth, "If-Match": etag}).status_code == 403
    closed = died.step(leader_auth, "closure-approval").json
    assert (closed["status"], closed["closure_reason"], closed["reviews"]) == ("closed", "died", [])


def test_the_openapi_document_describes_the_review_on_mau_06_s_criteria(client, units):
    document = client.get("/api/v1/openapi.json").json
    body = document["paths"]["/cases/{reference}/review"]["post"]["requestBody"]["content"]["application/json"]
    scores = body["schema"]["properties"]["scores"]
    assert sorted(scores["required"]) == sorted(GOOD_REVIEW) and "notes" in body["schema"]["properties"]
    assert "Review" in document["components"]["schemas"]
