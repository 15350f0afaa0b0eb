"""Access to cases that an administrator gives waits for a second person's approval (issue 14, item 6)."""
import json
import re

import pytest
import sqlalchemy as sa

from app.audit.services import AuditFilter, filtered
from app.extensions import db
from app.notifications.services import count_for, notices_for
from app.orm import utcnow
from app.users import approvals
from app.users.models import AccessGrant
from app.users.services import find_user
from tests.factories import PASSWORD, audit_entries

CODE = re.compile(r'id="activation-code">([A-Z2-9-]{19})<')
NEW_PASSWORD = "sông Hồng chảy về biển"


@pytest.fixture
def admin(make_user, sign_in):
    """The administrator at work, of district Cẩm Giàng."""
    return sign_in(make_user("admin", unit="295", username="admin.camgiang"))


def create(client, role="province_officer", unit="30", username="hoa.pham"):
    page = client.post("/admin/users/new", data={"username": username, "full_name": "Phạm Thị Hoa", "role": role,
                                                 "unit": unit}).get_data(as_text=True)
    return CODE.search(page).group(1)


def activate(app, code, username="hoa.pham"):
    app.test_client().post("/auth/activate", data={"username": username, "code": code, "new_password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})


def sign_in(app, username="hoa.pham", password=NEW_PASSWORD):
    return app.test_client().post("/auth/sign-in", data={"username": username, "password": password})


def decide(app, approver, grant, decision="approve"):
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": approver.username, "password": PASSWORD})
    return client.post(f"/admin/users/approvals/{grant.id}/{decision}")


def the_grant(username="hoa.pham"):
    return approvals.open_grant(find_user(username))


@pytest.fixture
def province_admin(make_user):
    return make_user("admin", unit="30", username="admin.haiduong")


def test_an_admin_alone_cannot_give_an_account_that_reads_cases(app, make_user):
    """The scenario of the issue: an admin creates a province officer, chooses its password, and reads every
    case. Now the admin chooses no password, and the account cannot sign in until someone else approves."""
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": make_user("admin", unit="30").username, "password": PASSWORD})
    code = client.post("/admin/users/new", data={"username": "hoa.pham", "full_name": "Phạm Thị Hoa",
                                                 "role": "province_officer", "unit": "30"}).get_data(as_text=True)
    activate(app, CODE.search(code).group(1))
    refused = sign_in(app)
    assert refused.status_code == 200 and "/auth/sign-in" not in refused.headers.get("Location", "")
    token = app.test_client().post("/api/v1/tokens", json={"username": "hoa.pham", "password": NEW_PASSWORD})
    assert token.status_code == 403 and token.json["error"]["code"] == "approval_pending"
    assert client.post(f"/admin/users/approvals/{the_grant().id}/approve").status_code == 404


def test_a_second_admin_of_a_higher_unit_approves_and_the_account_signs_in(app, client, admin, province_admin):
    activate(app, create(client, role="worker", unit="10933"))
    assert decide(app, province_admin, the_grant()).status_code == 302
    assert sign_in(app).status_code == 302
    assert find_user("hoa.pham").awaiting_approval is False


def test_another_admin_of_the_same_unit_may_approve(app, client, admin, make_user):
    colleague = make_user("admin", unit="295")
    create(client, role="worker", unit="10933")
    assert decide(app, colleague, the_grant()).status_code == 302
    assert the_grant() is None


def test_an_admin_of_a_lower_unit_may_not_approve_a_request_from_above(app, make_user, province_admin):
    commune_admin = make_user("admin", unit="10933")
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": province_admin.username, "password": PASSWORD})
    create(client, role="worker", unit="10933")
    assert decide(app, commune_admin, the_grant()).status_code == 404
    assert the_grant() is not None


def test_the_province_officer_may_approve_but_an_inspector_may_not(app, client, admin, make_user):
    create(client, role="worker", unit="10933")
    assert decide(app, make_user("inspector", unit="30"), the_grant()).status_code == 403
    assert decide(app, make_user("province_officer", unit="30"), the_grant()).status_code == 302
    assert the_grant() is None


def test_a_province_officer_of_a_district_may_not_approve(app, client, admin, make_user):
    create(client, role="worker", unit="10933")
    assert decide(app, make_user("province_officer", unit="295"), the_grant()).status_code == 404


def test_an_account_never_approves_its_own_access(app, make_user, province_admin):
    """A province officer, who may approve others' access, is moved: the move waits for someone else."""
    officer = make_user("province_officer", unit="30")
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": province_admin.username, "password": PASSWORD})
    client.post(f"/admin/users/{officer.id}", data={"role": "province_officer", "unit": "295"})
    assert approvals.open_grant(officer) is not None
    assert decide(app, officer, approvals.open_grant(officer)).status_code == 404


def test_a_refused_request_grants_nothing(app, client, admin, province_admin):
    activate(app, create(client, role="worker", unit="10933"))
    decide(app, province_admin, the_grant(), "refuse")
    assert sign_in(app).status_code == 200 and find_user("hoa.pham").awaiting_approval is True


def test_an_account_that_reads_no_case_needs_no_approval(app, client, admin):
    activate(app, create(client, role="admin", unit="10933"))
    assert the_grant() is None and sign_in(app).status_code == 302


def test_a_moved_account_keeps_its_place_until_the_move_is_approved(app, client, admin, make_user, province_admin):
    worker = make_user("worker", unit="10933")
    client.post(f"/admin/users/{worker.id}", data={"role": "commune_leader", "unit": "10933"})
    db.session.refresh(worker)
    assert (worker.role, worker.unit.code) == ("worker", "10933")
    assert sign_in(app, worker.username, PASSWORD).status_code == 302
    decide(app, province_admin, approvals.open_grant(worker))
    db.session.refresh(worker)
    assert worker.role == "commune_leader"


def test_a_move_to_a_role_that_reads_no_case_takes_effect_at_once(client, admin, make_user):
    worker = make_user("worker", unit="10933")
    client.post(f"/admin/users/{worker.id}", data={"role": "admin", "unit": "10933"})
    db.session.refresh(worker)
    assert worker.role == "admin" and approvals.open_grant(worker) is None


def test_a_reset_of_an_account_that_reads_cases_waits_for_approval(app, client, admin, make_user, province_admin):
    worker = make_user("worker", unit="10933")
    page = client.post(f"/admin/users/{worker.id}/password", data={"confirmed": "yes"}).get_data(as_text=True)
    activate(app, CODE.search(page).group(1), username=worker.username)
    assert sign_in(app, worker.username).status_code == 200
    decide(app, province_admin, approvals.open_grant(worker))
    assert sign_in(app, worker.username).status_code == 302


def test_a_newer_request_withdraws_the_older(client, admin, make_user):
    worker = make_user("worker", unit="10933")
    client.post(f"/admin/users/{worker.id}", data={"role": "commune_leader", "unit": "10933"})
    client.post(f"/admin/users/{worker.id}", data={"role": "worker", "unit": "10894"})
    decisions = db.session.scalars(sa.select(AccessGrant.decision).order_by(AccessGrant.id)).all()
    assert decisions == ["withdrawn", None]


def test_deactivating_the_account_withdraws_its_request(client, admin):
    create(client, role="worker", unit="10933")
    user = find_user("hoa.pham")
    client.post(f"/admin/users/{user.id}/deactivate", data={"confirmed": "yes"})
    assert approvals.open_grant(user) is None


def test_a_request_decided_meanwhile_is_not_decided_twice(app, client, admin, province_admin, make_user):
    create(client, role="worker", unit="10933")
    grant = the_grant()
    decide(app, province_admin, grant, "refuse")
    decide(app, make_user("province_officer", unit="30"), grant, "approve")
    db.session.refresh(grant)
    assert grant.decision == "refused" and find_user("hoa.pham").awaiting_approval is True


def test_the_approvers_are_told_what_waits_for_them(client, admin, province_admin, make_user):
    create(client, role="worker", unit="10933")
    officer = make_user("province_officer", unit="30")
    for approver in (province_admin, officer):
        assert [grant.user.username for grant in notices_for(approver, utcnow()).grants] == ["hoa.pham"]
        assert count_for(approver, utcnow()) == 1
    assert notices_for(admin, utcnow()).grants == []


def test_the_approval_page_lists_the_request_and_the_menu_leads_to_it(app, client, admin, province_admin):
    create(client, role="worker", unit="10933")
    approver = app.test_client()
    approver.post("/auth/sign-in", data={"username": province_admin.username, "password": PASSWORD})
    home = approver.get("/").get_data(as_text=True)
    assert 'href="/notifications/"' in home
    assert "Phạm Thị Hoa" in approver.get("/notifications/").get_data(as_text=True)
    page = approver.get("/admin/users/approvals").get_data(as_text=True)
    assert f'action="/admin/users/approvals/{the_grant().id}/approve"' in page


def test_the_inspector_sees_each_request_and_approval_in_the_trail(app, client, admin, province_admin, make_user):
    inspector = make_user("inspector", unit="295")
    create(client, role="worker", unit="10933")
    decide(app, province_admin, the_grant(username="hoa.pham") or approvals.open_grant(find_user("hoa.pham")))
    entries = list(db.session.scalars(filtered(inspector, AuditFilter()).where(
        sa.text("entity = 'access_grants'")).order_by(sa.text("id"))))
    assert [(entry.action, entry.actor) for entry in entries] == [("create", "admin.camgiang"),
                                                                   ("update", "admin.haiduong")]
    assert json.loads(entries[1].changes)["decision"] == [None, "approved"]
    assert all(entry.unit_path == "2024/30/295/10933/" for entry in entries)
    assert audit_entries(entity="users", action="update")
