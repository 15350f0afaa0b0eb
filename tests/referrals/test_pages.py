"""The referral, escalation and notification pages: thin views over the services."""
import re


from app.extensions import db
from app.referrals.models import Provider, Referral
from tests.factories import make_referral

REFERRAL = {"to_unit": "10510", "reason": "Gia đình chuyển đến phường Bình Hàn.", "consent": "child_and_carer"}


def badge(html: str) -> int:
    return int(re.search(r'class="badge[^"]*"[^>]*>(\d+)<', html).group(1))


def test_a_worker_refers_a_case_from_its_page(client, sign_in, worker, case):
    sign_in(worker)
    assert "Chuyển tuyến hồ sơ này" in client.get(f"/cases/{case.reference}").text
    response = client.post(f"/cases/{case.reference}/refer", data=REFERRAL)
    assert response.status_code == 302
    referral = db.session.scalar(db.select(Referral))
    assert referral.status == "pending_approval" and response.location.endswith(f"/referrals/{referral.id}")


def test_a_referral_without_consent_is_refused_and_nothing_is_created(client, sign_in, worker, case):
    sign_in(worker)
    response = client.post(f"/cases/{case.reference}/refer", data={**REFERRAL, "consent": ""})
    assert response.status_code == 422 and db.session.scalar(db.select(Referral)) is None


def test_a_referral_kept_as_a_draft_is_not_sent(client, sign_in, worker, case):
    sign_in(worker)
    client.post(f"/cases/{case.reference}/refer", data={**REFERRAL, "draft": "1"})
    assert db.session.scalar(db.select(Referral)).status == "draft"


def test_the_supervisor_sees_the_referral_waiting_and_approves_it(client, sign_in, worker, case, make_user):
    referral = make_referral(case, worker, to="10510")
    sign_in(make_user("supervisor"))
    page = client.get("/referrals/?box=approval").text
    assert f"/referrals/{referral.id}" in page and badge(page) == 1
    assert client.post(f"/referrals/{referral.id}/approve", data={}).status_code == 302
    db.session.refresh(referral)
    assert referral.status == "sent"


def test_the_receiving_worker_opens_the_case_only_after_accepting(client, sign_in, worker, case, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    sign_in(make_user("worker", unit="10510"))
    assert client.get(f"/cases/{case.reference}").status_code == 404
    assert client.get(f"/referrals/{referral.id}").status_code == 200
    client.post(f"/referrals/{referral.id}/accept", data={})
    assert client.get(f"/cases/{case.reference}").status_code == 200


def test_declining_without_a_reason_shows_the_refusal(client, sign_in, worker, case, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    sign_in(make_user("worker", unit="10510"))
    response = client.post(f"/referrals/{referral.id}/decline", data={"reason": ""})
    assert response.status_code == 422
    db.session.refresh(referral)
    assert referral.status == "sent"


def test_an_action_this_person_may_not_take_answers_403(client, sign_in, worker, case):
    referral = make_referral(case, worker, to="10510", urgent=True)
    sign_in(worker)
    assert client.post(f"/referrals/{referral.id}/accept", data={}).status_code == 403


def test_a_referral_out_of_scope_answers_404(client, sign_in, worker, case, make_user):
    referral = make_referral(case, worker, to="10510")
    sign_in(make_user("worker", unit="10966"))
    assert client.get(f"/referrals/{referral.id}").status_code == 404


def test_the_notifications_list_what_waits(client, sign_in, worker, case, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    sign_in(make_user("worker", unit="10510"))
    page = client.get("/notifications/").text
    assert f"/referrals/{referral.id}" in page and badge(page) == 1


def test_a_worker_escalates_from_the_case_page_and_the_supervisor_acknowledges(client, sign_in, worker, case,
                                                                             make_user):
    sign_in(worker)
    client.post(f"/cases/{case.reference}/escalate", data={"reason": "Gia đình không hợp tác."})
    client.post("/auth/sign-out")
    supervisor = make_user("supervisor")
    sign_in(supervisor)
    page = client.get("/escalations/").text
    assert case.reference in page and "Gia đình không hợp tác." in page
    number = case.escalations[0].id
    assert client.post(f"/escalations/{number}/acknowledge", data={"note": "Đã nhận"}).status_code == 302
    db.session.refresh(case.escalations[0])
    assert case.escalations[0].acknowledged_by_id == supervisor.id


def test_escalating_without_a_reason_changes_nothing_and_says_why_beside_the_open_form(client, sign_in, worker,
                                                                                      case):
    sign_in(worker)
    client.post("/language", data={"locale": "en"})
    response = client.post(f"/cases/{case.reference}/escalate", data={"reason": "  "})
    assert response.status_code == 422
    form = re.search(r'<details class="step-block" open><summary>Escalate.*?</details>', response.text, re.S)
    assert form and "Say why the case is escalated." in form.group(0) and 'action="' in form.group(0)
    assert f'/cases/{case.reference}/escalate#escalate"' in form.group(0)
    db.session.refresh(case)
    assert case.escalations == []


def test_escalating_says_what_happened_at_the_top_of_the_case_page(client, sign_in, worker, case):
    sign_in(worker)
    client.post("/language", data={"locale": "en"})
    response = client.post(f"/cases/{case.reference}/escalate", data={"reason": "Gia đình không hợp tác."})
    assert response.status_code == 302 and response.location.endswith(f"/cases/{case.reference}#content")
    assert "escalated to Huyện Cẩm Giàng" in client.get(response.location).text


def test_a_province_officer_keeps_the_provider_register(client, sign_in, make_user):
    sign_in(make_user("province_officer"))
    response = client.post("/providers/", data={"unit": "295", "kind": "police", "name": "Công an huyện Cẩm Giàng"})
    assert response.status_code == 302
    provider = db.session.scalar(db.select(Provider))
    assert provider.unit.code == "295"
    client.post(f"/providers/{provider.id}/deactivate", data={})
    db.session.refresh(provider)
    assert not provider.active


def test_a_worker_cannot_keep_the_provider_register(client, sign_in, worker):
    sign_in(worker)
    assert client.get("/providers/").status_code == 403


def test_the_supervisor_home_lists_the_referral_waiting_for_approval(client, sign_in, worker, case, make_user):
    referral = make_referral(case, worker, to="10510")
    sign_in(make_user("supervisor"))
    assert f"/referrals/{referral.id}" in client.get("/").text


def test_the_inspector_home_lists_open_escalations_read_only(client, sign_in, worker, case, make_user):
    from app.escalations.services import raise_by_hand

    raise_by_hand(case, worker, "Gia đình không hợp tác.")
    sign_in(make_user("inspector"))
    page = client.get("/").text
    assert "Gia đình không hợp tác." in page and "/acknowledge" not in page


REFERRAL_PATHS = ("/referrals/", "/escalations/", "/api/v1/referrals/", "/api/v1/escalations/")


def referral_routes(app):
    """Every route that names a referral or an escalation by number, pages and API alike (other areas name their
    own records by number too)."""
    for rule in app.url_map.iter_rules():
        if "number" in rule.arguments and rule.rule.startswith(REFERRAL_PATHS):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_route_that_names_a_referral_or_an_escalation_answers_404_out_of_scope(app, worker, case, make_user):
    from flask import url_for

    from app.escalations.services import raise_by_hand
    from app.referrals.workflow import ACTIONS

    referral = make_referral(case, worker, to="10510")
    escalation = raise_by_hand(case, worker, "Lý do")
    outsider = make_user("worker", unit="10966")
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": outsider.username, "password": "correct horse battery"})
    token = client.post("/api/v1/tokens", json={"username": outsider.username,
                                                "password": "correct horse battery"}).json["token"]
    checked = set()
    for rule, method in referral_routes(app):
        number = escalation.id if "escalation" in rule.endpoint else referral.id
        for action in (ACTIONS if "action" in rule.arguments else [None]):
            with app.test_request_context():
                path = url_for(rule.endpoint, number=number, **({"action": action} if action else {}))
            api = path.startswith("/api/")
            response = client.open(path, method=method, json={} if api else None,
                                   headers={"Authorization": f"Bearer {token}"} if api else {})
            assert response.status_code == 404, (method, path, response.status_code)
            checked.add((method, path))
    # referral page, its actions, API get and actions; escalation acknowledgement, page and API
    assert len(checked) == 2 + 2 * len(ACTIONS) + 2
    db.session.refresh(referral)
    assert referral.status == "pending_approval"


def test_the_badge_is_counted_again_after_a_minute_or_after_the_persons_own_action(client, sign_in, worker, case,
                                                                                   make_user):
    sign_in(make_user("supervisor"))
    assert badge(client.get("/").text) == 0
    make_referral(case, worker, to="10510")
    assert badge(client.get("/").text) == 0, "kept for a minute"
    with client.session_transaction() as session:
        user_id, count, at = session["badge"]
        session["badge"] = (user_id, count, at - 61)
    assert badge(client.get("/escalations/").text) == 1
    make_referral(case, worker, to="10966")
    client.post("/language", data={"locale": "vi"})
    assert badge(client.get("/escalations/").text) == 2


def test_a_refused_referral_action_is_explained_beside_the_actions(client, sign_in, worker, case, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    sign_in(make_user("worker", unit="10510"))
    client.post("/language", data={"locale": "en"})
    response = client.post(f"/referrals/{referral.id}/decline", data={"reason": ""})
    actions = response.text[response.text.index('id="actions"'):response.text.index("</section>")]
    assert 'class="flash flash--error step-failure"' in actions and "Give the reason." in actions
    assert 'action="/referrals/%d/decline#referral-decline"' % referral.id in actions
