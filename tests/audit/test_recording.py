"""What lands in the trail, and that it lands with its change or not at all."""
import json

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.audit.recorder import AuditBypassRefused
from app.auth.models import ApiToken
from app.extensions import db
from app.users.models import User
from tests.factories import PASSWORD, audit_entries, last_audit_entry


def changes(entry):
    return json.loads(entry.changes)


def count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


def test_creating_an_account_records_every_field(make_user):
    user = make_user("worker", username="lan.nguyen")
    entry = last_audit_entry(entity="users", action="create")
    assert entry.entity_id == str(user.id)
    assert changes(entry)["username"] == [None, "lan.nguyen"]
    assert changes(entry)["role"] == [None, "worker"]
    assert entry.unit_path == user.unit.path


def test_an_update_records_only_the_changed_fields_before_and_after(client, make_user, sign_in):
    sign_in(make_user("admin"))
    worker = make_user("worker")
    client.post(f"/admin/users/{worker.id}", data={"role": "admin", "unit": "10933"})
    entry = last_audit_entry(entity="users", action="update", entity_id=str(worker.id))
    assert changes(entry)["role"] == ["worker", "admin"]
    assert "unit_id" not in changes(entry) and "username" not in changes(entry)


def test_an_entry_names_who_acted_their_role_unit_address_and_request(client, make_user, sign_in):
    admin = sign_in(make_user("admin"))
    worker = make_user("worker")
    client.post(f"/admin/users/{worker.id}/deactivate", data={"confirmed": "yes"},
                headers={"X-Request-ID": "req-0123456789"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    entry = last_audit_entry(entity="users", action="update", entity_id=str(worker.id))
    assert (entry.actor, entry.actor_id, entry.actor_role, entry.actor_unit) == \
        (admin.username, admin.id, "admin", "30")
    assert (entry.ip, entry.request_id) == ("10.1.2.3", "req-0123456789")


def test_every_response_carries_its_request_id(client, units):
    response = client.get("/auth/sign-in")
    assert len(response.headers["X-Request-ID"]) == 32


def test_a_deletion_records_the_values_it_removed(make_user):
    user = make_user("worker")
    token = ApiToken(user=user, token_hash="f" * 64, expires_at=user.created_at)
    db.session.add(token)
    db.session.commit()
    db.session.delete(token)
    db.session.commit()
    entry = last_audit_entry(entity="api_tokens", action="delete")
    assert changes(entry)["user_id"] == [user.id, None]


def test_a_row_dropped_from_its_case_is_recorded_as_deleted_under_the_case(make_user):
    from app.cases.models import CaseCategory
    from tests.factories import make_case

    case = make_case(make_user("worker"))
    case.category_rows = [CaseCategory(category="neglect")]
    db.session.commit()
    entry = last_audit_entry(entity="case_categories", action="delete")
    assert changes(entry)["category"] == ["violence", None]
    assert (entry.case_ref, entry.unit_path) == (case.reference, case.unit.path)


def test_carers_replaced_are_recorded_as_deleted(make_user):
    from app.children.models import Carer
    from tests.factories import make_case

    child = make_case(make_user("worker")).child
    child.carers = [Carer(name="Bà Hoa", relationship_to_child="Bà ngoại")]
    db.session.commit()
    child.carers = []
    db.session.commit()
    assert changes(last_audit_entry(entity="carers", action="delete"))["name"] == ["Bà Hoa", None]


def test_a_change_to_a_child_is_filed_under_the_unit_of_the_child_s_case(make_user):
    from app.cases.services import open_case
    from tests.factories import child_details, report, unit

    worker = make_user("worker", unit="10933")
    case = open_case(worker, worker.unit, report(), child_details=child_details(address_unit=unit("10966")))
    case.child.school = "Trường tiểu học Cẩm Phúc"
    db.session.commit()
    assert last_audit_entry(entity="children", action="update").unit_path == case.unit.path


def test_secrets_never_enter_the_trail(client, make_user):
    user = make_user("worker")
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]
    stored_hashes = [user.password_hash, db.session.scalar(sa.select(ApiToken.token_hash))]
    trail = " ".join(entry.changes or "" for entry in audit_entries())
    for secret in (PASSWORD, token, *stored_hashes):
        assert secret not in trail
    assert changes(last_audit_entry(entity="users", action="create"))["password_hash"] == [None, "[redacted]"]


def test_a_change_that_rolls_back_leaves_no_entry(make_user):
    user = make_user("worker")
    before = count()
    user.full_name = "Tên Khác"
    db.session.flush()
    db.session.rollback()
    assert count() == before


def test_a_commit_that_fails_leaves_no_entry(make_user):
    make_user("worker", username="lan.nguyen")
    before = count()
    existing = db.session.scalar(sa.select(User).where(User.username == "lan.nguyen"))
    db.session.add(User(username="lan.nguyen", full_name="x", password_hash="x", role="worker",
                        unit_id=existing.unit_id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert count() == before


@pytest.mark.parametrize("statement", [
    sa.update(User).values(full_name="Bulk"),
    sa.delete(ApiToken),
    sa.update(User.__table__).values(full_name="Core"),
], ids=["orm-bulk-update", "orm-bulk-delete", "core-update"])
def test_statements_that_would_skip_the_trail_are_refused(make_user, statement):
    make_user("worker", full_name="Nguyễn Văn Thử")
    with pytest.raises(AuditBypassRefused):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalar(sa.select(User.full_name)) == "Nguyễn Văn Thử"


def test_signing_in_and_out_is_recorded(client, make_user):
    user = make_user("worker")
    client.post("/auth/sign-in", data={"username": user.username, "password": PASSWORD})
    client.post("/auth/sign-out")
    assert [e.action for e in audit_entries(actor=user.username) if e.action.startswith("sign")] == \
        ["sign_in", "sign_out"]


@pytest.mark.parametrize("username, password, reason", [
    ("known", "not the password", "wrong_password"),
    ("nobody.here", "whatever it is", "unknown_user"),
])
def test_a_failed_sign_in_is_recorded_with_its_reason(client, make_user, username, password, reason):
    make_user("worker", username="known")
    client.post("/auth/sign-in", data={"username": username, "password": password})
    entry = last_audit_entry(action="sign_in_failed")
    assert (entry.actor, changes(entry)) == (username, {"reason": reason})


def test_a_lockout_is_recorded(client, make_user):
    user = make_user("worker")
    for _ in range(5):
        client.post("/auth/sign-in", data={"username": user.username, "password": "not the password"})
    entry = last_audit_entry(action="lockout")
    assert entry.entity_id == str(user.id) and entry.actor == user.username


def test_token_creation_and_revocation_are_recorded_and_attributed(client, make_user):
    user = make_user("worker")
    token = client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}).json["token"]
    client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {token}"})
    created = last_audit_entry(entity="api_tokens", action="create")
    revoked = last_audit_entry(entity="api_tokens", action="update")
    assert created.actor == revoked.actor == user.username
    assert changes(revoked)["revoked_at"][0] is None and changes(revoked)["revoked_at"][1]


def test_a_403_is_recorded(client, make_user, sign_in):
    worker = sign_in(make_user("worker"))
    client.get("/admin/users/")
    entry = last_audit_entry(action="access_denied")
    assert entry.actor == worker.username and changes(entry)["status"] == 403


def test_a_404_for_a_record_out_of_scope_is_recorded(client, make_user, sign_in):
    sign_in(make_user("admin", unit="295"))
    outside = make_user("worker", unit="10966")
    client.get(f"/admin/users/{outside.id}")
    entry = last_audit_entry(action="access_denied")
    assert (entry.entity, entry.entity_id, changes(entry)["status"]) == ("users", str(outside.id), 404)


def test_command_line_changes_are_attributed_to_the_command_line(runner, units):
    runner.invoke(args=["users", "create", "--username", "hoa", "--role", "worker", "--unit", "10933",
                        "--password-stdin"], input=PASSWORD + "\n")
    assert last_audit_entry(entity="users", action="create").actor.startswith("cli:")


def test_loading_units_records_each_unit(units):
    assert len(audit_entries(entity="units", action="create")) == 248


def test_opening_a_case_or_its_child_is_recorded_as_a_view(client, sign_in, make_user):
    from tests.api.test_cases import token_for
    from tests.factories import make_case

    worker = make_user("worker")
    case = make_case(worker)
    sign_in(worker)
    client.get(f"/cases/{case.reference}")
    client.get(f"/children/{case.child_id}")
    client.get(f"/api/v1/cases/{case.reference}", headers=token_for(client, worker))
    views = audit_entries(action="case_viewed")
    assert [(entry.actor, entry.case_ref, entry.unit_path) for entry in views] == [
        (worker.username, case.reference, case.unit.path)] * 2
    assert audit_entries(action="child_viewed")[0].entity_id == str(case.child_id)


def test_each_case_an_api_list_hands_out_is_recorded_as_a_view(client, make_user):
    from tests.api.test_cases import token_for
    from tests.factories import make_case

    worker = make_user("worker")
    cases = [make_case(worker), make_case(worker)]
    client.get("/api/v1/cases", headers=token_for(client, worker))
    assert sorted(entry.case_ref for entry in audit_entries(action="case_viewed")) == \
        sorted(case.reference for case in cases)


def test_the_case_page_shown_again_after_a_refused_step_is_recorded_as_a_view(client, sign_in, make_user):
    from tests.factories import make_case

    worker = sign_in(make_user("worker"))
    case = make_case(worker)
    client.post(f"/cases/{case.reference}/approve_closure", data={"version": case.version})
    assert [entry.case_ref for entry in audit_entries(action="case_viewed")] == [case.reference]


def test_the_child_s_edit_page_is_recorded_as_a_view(client, sign_in, make_user):
    from tests.factories import make_case

    worker = sign_in(make_user("worker"))
    child = make_case(worker).child
    client.get(f"/children/{child.id}/edit")
    assert [entry.entity_id for entry in audit_entries(action="child_viewed")] == [str(child.id)]


def test_a_child_s_unit_for_the_trail_is_looked_up_once_per_save_not_once_per_row(make_user):
    from app.children.models import Carer
    from tests.factories import make_case

    child = make_case(make_user("worker")).child
    child.carers = [Carer(name=f"Người {n}", relationship_to_child="Họ hàng") for n in range(5)]
    db.session.commit()
    lookups = []

    def count(conn, cursor, statement, *args):
        if "JOIN cases" in statement and "child_id" in statement:
            lookups.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        child.school = "Trường tiểu học"
        child.carers = [Carer(name=f"Người mới {n}", relationship_to_child="Họ hàng") for n in range(5)]
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(lookups) <= 2  # not once per row (11 here)


def test_rows_told_as_one_entry_carry_every_change_and_the_rows_left_out_keep_their_own(make_user):
    from app.audit.recorder import one_entry_each
    from app.audit.services import verify_chain

    lan, binh = make_user("worker"), make_user("worker")
    last = last_audit_entry().id
    with one_entry_each(db.session, "register_imported", lambda row: lan if row is lan else None, {"file": "a.csv"}):
        lan.full_name, lan.password_hash, binh.full_name = "Nguyễn Thị Lan", "a new hash", "Trần Văn Bình"
    db.session.commit()
    folded, own = sorted((entry for entry in audit_entries() if entry.id > last), key=lambda entry: entry.action)
    assert (folded.action, folded.entity, folded.entity_id) == ("register_imported", "users", str(lan.id))
    assert changes(folded) == {"file": "a.csv", "rows": [
        {"action": "update", "entity": "users", "entity_id": str(lan.id),
         "changes": {"full_name": [changes(audit_entries(entity="users", action="create")[0])["full_name"][1],
                                   "Nguyễn Thị Lan"], "password_hash": ["[redacted]", "[redacted]"]}}]}
    assert (own.action, own.entity_id) == ("update", str(binh.id)) and verify_chain().ok


def test_a_record_none_of_whose_rows_changed_gets_no_entry(make_user):
    from app.audit.recorder import one_entry_each

    lan = make_user("worker")
    last = last_audit_entry().id
    with one_entry_each(db.session, "register_imported", lambda row: lan):
        lan.full_name = lan.full_name
    db.session.commit()
    assert [entry for entry in audit_entries() if entry.id > last] == []


def test_rows_told_as_one_entry_take_an_action_of_their_own(make_user):
    from app.audit.recorder import one_entry_each

    with pytest.raises(ValueError), one_entry_each(db.session, "update", lambda row: row):
        pass
