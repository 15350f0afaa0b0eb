"""Attempts that the inspectors must be able to find in the trail (issue 14, item 9)."""
import json

from app.audit.services import AuditFilter, filtered
from app.extensions import db
from tests.factories import audit_entries, make_case, make_referral


def _found_by(inspector, **filters):
    return list(db.session.scalars(filtered(inspector, AuditFilter(**filters))))


def test_a_sign_in_with_an_unknown_username_is_filed_under_the_top_unit_for_its_inspectors(client, make_user):
    inspector = make_user("inspector", unit="30")
    client.post("/auth/sign-in", data={"username": "nobody.here", "password": "whatever it is"})
    [entry] = audit_entries(action="sign_in_failed")
    assert entry.unit_path == "2024/30/" and entry.actor == "nobody.here"
    assert entry in _found_by(inspector, action="sign_in_failed")


def test_the_configured_top_unit_takes_the_unknown_usernames(app, client, units):
    app.config["TOP_UNIT"] = "295"
    try:
        client.post("/auth/sign-in", data={"username": "nobody.here", "password": "whatever it is"})
    finally:
        app.config["TOP_UNIT"] = None
    assert audit_entries(action="sign_in_failed")[0].unit_path == "2024/30/295/"


def test_the_typed_name_is_kept_without_control_characters_and_cut_to_the_column(client, units):
    typed = "ad\u202emin\r\nforged entry\t" + "x" * 200
    client.post("/api/v1/tokens", json={"username": typed, "password": "whatever it is"})
    [entry] = audit_entries(action="sign_in_failed")
    assert entry.actor == ("adminforged entry" + "x" * 200)[:80]


def test_a_refused_case_is_filed_under_the_case_for_its_inspectors_as_well(client, make_user, sign_in):
    worker = make_user("worker", unit="10933")
    case = make_case(worker)
    district_inspector = make_user("inspector", unit="295")
    outsider = sign_in(make_user("worker", unit="10966"))
    assert client.get(f"/cases/{case.reference}").status_code == 404
    entries = audit_entries(action="access_denied")
    assert {entry.unit_path for entry in entries} == {"2024/30/296/10966/", "2024/30/295/10933/"}
    [seen] = _found_by(district_inspector, case=case.reference, action="access_denied")
    assert (seen.actor, seen.entity_id, json.loads(seen.changes)["status"]) == (outsider.username,
                                                                                case.reference, 404)


def test_the_person_refused_learns_nothing_of_the_case_from_the_trail(client, make_user, sign_in):
    """An inspector of another district is refused the case: their own trail shows their attempt exactly as it
    shows one at a reference that does not exist."""
    case = make_case(make_user("worker", unit="10933"))
    inspector = sign_in(make_user("inspector", unit="296"))
    client.get(f"/cases/{case.reference}")
    client.get("/cases/HD-10933-2000-9999")
    seen = _found_by(inspector, action="access_denied")
    assert len(seen) == 2 and all(entry.case_ref is None for entry in seen)
    assert _found_by(inspector, case=case.reference) == []


def test_a_refused_referral_is_filed_under_its_case(client, make_user, sign_in):
    worker = make_user("worker", unit="10933")
    case = make_case(worker)
    referral = make_referral(case, worker)
    sign_in(make_user("worker", unit="10966"))
    assert client.get(f"/referrals/{referral.id}").status_code == 404
    assert [entry.case_ref for entry in audit_entries(action="access_denied")] == [None, case.reference]


def test_a_refusal_naming_no_case_is_filed_once(client, make_user, sign_in):
    sign_in(make_user("worker", unit="10966"))
    client.get("/cases/HD-10933-2000-9999")
    client.get("/referrals/99999")
    assert [entry.case_ref for entry in audit_entries(action="access_denied")] == [None, None]
