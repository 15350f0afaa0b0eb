"""Dates outside 1900-2100 are refused where they come in: beyond them, date arithmetic overflows."""
import pytest

from tests.api.test_cases import INTAKE, token_for
from tests.factories import make_case


@pytest.mark.parametrize("path", ["/cases/?received_to=9999-12-31", "/cases/?received_from=0001-01-01",
                                  "/audit/?until=9999-12-31", "/audit/export.csv?until=9999-12-31",
                                  "/reports/statistics?unit=30&kind=dates&start=9999-12-25&end=9999-12-31"])
def test_a_page_given_a_date_out_of_range_answers_without_an_error(client, sign_in, make_user, path):
    sign_in(make_user("province_officer", unit="30"))
    response = client.get(path)
    assert response.status_code < 500, response.status_code


def test_a_timeline_entry_in_year_one_is_refused_next_to_its_field(client, sign_in, make_user):
    worker = sign_in(make_user("worker"))
    case = make_case(worker)
    response = client.post(f"/cases/{case.reference}/log", data={"kind": "note", "occurred_at": "0001-01-01T00:00",
                                                                  "text": "x"})
    assert response.status_code == 422 and "1900" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/audit?until=9999-12-31", "/api/v1/audit?since=0001-01-01",
                                  "/api/v1/reports/statistics.json?unit=30&from=9999-12-25&to=9999-12-31",
                                  "/api/v1/reports/statistics.csv?unit=30&from=0001-01-01&to=0001-01-31"])
def test_the_api_given_a_date_out_of_range_answers_422(client, make_user, path):
    response = client.get(path, headers=token_for(client, make_user("inspector", unit="30")))
    assert response.status_code == 422, response.status_code


def test_an_intake_received_in_year_one_answers_422(client, make_user):
    auth = token_for(client, make_user("worker"))
    response = client.post("/api/v1/cases", json={**INTAKE, "received_at": "0001-01-01T00:00:00+07:00"}, headers=auth)
    assert response.status_code == 422 and "received_at" in response.json["error"]["fields"]
