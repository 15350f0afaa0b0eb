"""The trail as people read it: each entry a sentence naming who did what to which record, fields under their
labels, values in the reader's language, ids as the people, units and records they name, times local."""
import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import g
from flask_babel import force_locale

from app.audit import narrative
from app.audit.models import AuditEntry
from app.audit.narrative import narrate
from app.audit.recorder import ACTIONS, AUDITED_TABLES, act_as, actor_for, record
from app.cases import services as cases
from app.escalations import services as escalations
from app.extensions import db
from app.orm import utcnow
from app.referrals import services as referrals
from app.users import approvals
from app.users import services as users
from tests.cases.test_steps import ACTION
from tests.factories import audit_entries, last_audit_entry, load_two_levels, make_case, make_referral

APP = Path(__file__).resolve().parents[2] / "app"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@contextmanager
def acting(app, user):
    """Entries written meanwhile name `user`, as in one of their requests."""
    with app.test_request_context():
        act_as(actor_for(user))
        try:
            yield
        finally:
            g.pop("audit_actor", None)


def told(app, entry, language="en", for_history=False):
    with app.test_request_context(), force_locale(language):
        return narrate([entry], for_history=for_history)[0]


def sentence_of(app, language="en", **criteria):
    return told(app, last_audit_entry(**criteria), language).sentence


@pytest.fixture
def worker(make_user):
    return make_user("worker", full_name="Phạm Thị Hoa")


@pytest.fixture
def leader(make_user):
    return make_user("commune_leader", full_name="Nguyễn Văn Bình")


# Every table, action and kind of record has its words.

def test_every_audited_table_is_told_with_a_label_for_each_column(app):
    assert set(narrative.TABLES) == AUDITED_TABLES
    for name, table in narrative.TABLES.items():
        unlabelled = set(table.columns) - set(table.fields) - table.hidden
        assert not unlabelled, f"{name}: {sorted(unlabelled)}"


def test_every_action_recorded_anywhere_has_a_sentence(app):
    recorded = set()
    for source in APP.rglob("*.py"):
        recorded |= set(re.findall(r'record\(db\.session, "(\w+)"', source.read_text()))
    assert recorded and recorded <= set(ACTIONS)
    assert set(ACTIONS) - {"create", "update", "delete"} <= set(narrative.ACTIONS)


def test_every_kind_of_record_named_has_a_reader(app):
    kinds = {"person", "unit_code"}
    for table in narrative.TABLES.values():
        kinds |= set(table.references.values()) | ({table.subject} - {None})
    kinds |= {action.subject for action in narrative.ACTIONS.values() if action.subject}
    assert kinds <= set(narrative.REFERENCES)


# The example, and the notable changes in their own words.

def plan_approved(app, worker, leader):
    """A case assessed by `worker`, whose plan `leader` approved, each step acting as its person."""
    case = make_case(worker)
    with acting(app, worker):
        cases.assess(case, worker, {"repeated_harm": True}, None, case.version)
        cases.draft_plan(case, worker, "Trẻ an toàn tại nhà", [ACTION], case.version)
        cases.submit_plan(case, worker, case.version)
    with acting(app, leader):
        cases.approve_plan(case, leader, case.version)
    return case


def test_a_plan_approved_reads_as_who_approved_which_plan_and_when(app, worker, leader):
    case = plan_approved(app, worker, leader)
    entry = last_audit_entry(entity="plans", action="update")
    reading = told(app, entry, "vi")
    assert reading.sentence == ("Lãnh đạo UBND xã Nguyễn Văn Bình phê duyệt kế hoạch hỗ trợ của hồ sơ "
                                f"{case.reference}.")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", reading.time)
    assert reading.time == entry.at.astimezone(LOCAL).strftime("%d/%m/%Y %H:%M")
    assert reading.person == "Nguyễn Văn Bình" and reading.role == "Lãnh đạo UBND xã" and reading.unit == "Xã Cẩm Phúc"
    changes = {change.label: (change.before, change.after) for change in reading.changes}
    assert changes["Trạng thái"] == ("Đã trình", "Đã phê duyệt")
    assert changes["Người quyết định"] == ("–", "Nguyễn Văn Bình")


def test_a_review_on_mau_06_reads_each_answer_in_plain_words_and_a_closure_its_reason(app, worker, leader):
    case = plan_approved(app, worker, leader)
    with acting(app, worker):
        cases.review(case, worker, {"harm": "medium", "abuser_access": "low", "care_obstacles": "high",
                                    "self_protection": "high"}, None, case.version,
                     notes={"harm": "Vết thương đã lành."})
        cases.propose_closure(case, worker, "died", None, case.version)
    with acting(app, leader):
        cases.approve_closure(case, leader, case.version)
    reading = told(app, last_audit_entry(entity="reviews", action="create"), "vi")
    assert reading.sentence == (
        f"Cán bộ bảo vệ trẻ em cấp xã Phạm Thị Hoa rà soát, đánh giá tình trạng của trẻ em trong hồ sơ "
        f"{case.reference} theo các tiêu chí của Mẫu 06: Tổn hại hoặc nguy cơ tổn hại đối với trẻ em có còn không?: "
        "Giảm; Đối tượng xâm hại còn khả năng tiếp cận trẻ em không?: Không hoặc rất ít; Trở ngại trong môi trường "
        "chăm sóc đối với việc bảo đảm an toàn cho trẻ em: Nhiều; Khả năng tự bảo vệ, phục hồi của trẻ em: Tốt.")
    changes = {change.label: change.after for change in reading.changes}
    assert changes["Ghi chú về: Tổn hại hoặc nguy cơ tổn hại đối với trẻ em có còn không?"] == "Vết thương đã lành."
    assert told(app, last_audit_entry(entity="case_steps", action="create"), "vi").sentence == (
        f"Lãnh đạo UBND xã Nguyễn Văn Bình thực hiện bước “Phê duyệt đóng hồ sơ” của hồ sơ {case.reference}: "
        "Trẻ đã tử vong.")


def test_a_plan_submitted_and_returned(app, worker, leader):
    case = make_case(worker)
    with acting(app, worker):
        cases.assess(case, worker, {}, None, case.version)
        cases.draft_plan(case, worker, "Mục tiêu", [ACTION], case.version)
        cases.submit_plan(case, worker, case.version)
    assert sentence_of(app, entity="plans", action="update") == (
        f"Phạm Thị Hoa (Commune child-protection worker) submitted the support plan of case {case.reference} "
        "for approval.")
    with acting(app, leader):
        cases.return_plan(case, leader, "Thiếu mục tiêu về học tập.", case.version)
    assert sentence_of(app, entity="plans", action="update") == (
        f"Nguyễn Văn Bình (Commune leader) returned the support plan of case {case.reference}: "
        "Thiếu mục tiêu về học tập.")


def test_a_case_moving_status_names_both_statuses(app, worker):
    case = make_case(worker)
    with acting(app, worker):
        cases.assess(case, worker, {"sexual_abuse": True}, None, case.version)
    sentences = [told(app, entry).sentence for entry in _entries(entity="cases", action="update")]
    assert f"Phạm Thị Hoa (Commune child-protection worker) moved case {case.reference} from “Reported” to " \
           "“Assessing”." in sentences
    assert sentence_of(app, entity="assessments") == (
        f"Phạm Thị Hoa (Commune child-protection worker) recorded the initial assessment of case {case.reference}: "
        "risk High.")


def test_a_change_without_words_of_its_own_names_the_fields_changed(app, worker):
    case = make_case(worker)
    with acting(app, worker):
        cases.edit_case(case, worker, {"description": "Trẻ bị bỏ đói.", "place": "Thôn Đông"}, case.version)
    assert sentence_of(app, entity="cases", action="update") == (
        f"Phạm Thị Hoa (Commune child-protection worker) changed the report of case {case.reference}: "
        "Description, Place.")


def test_a_referral_sent_approved_accepted_and_declined(app, worker, make_user):
    case = make_case(worker)
    supervisor = make_user("supervisor", full_name="Lê Minh Tuấn")
    receiver = make_user("worker", unit="10966", full_name="Trần Thị Mai")
    with acting(app, worker):
        referral = make_referral(case, worker, to="10966")
    number = referral.id
    assert sentence_of(app, entity="referrals", action="create") == (
        f"Phạm Thị Hoa (Commune child-protection worker) referred case {case.reference} to Xã Tân Việt "
        f"(referral {number}); it waits for approval.")
    with acting(app, supervisor):
        referrals.act(referral, supervisor, "approve")
    assert sentence_of(app, entity="referrals", action="update") == (
        f"Lê Minh Tuấn (District supervisor) approved referral {number} of case {case.reference} to Xã Tân Việt.")
    with acting(app, receiver):
        referrals.act(referral, receiver, "decline", "Gia đình không ở xã này.")
    assert sentence_of(app, entity="referrals", action="update") == (
        f"Trần Thị Mai (Commune child-protection worker) declined referral {number} of case {case.reference}: "
        "Gia đình không ở xã này.")
    second = make_referral(case, worker, to="10966")
    with acting(app, supervisor):
        referrals.act(second, supervisor, "approve")
    with acting(app, receiver):
        referrals.act(second, receiver, "accept")
    assert sentence_of(app, entity="referrals", action="update", entity_id=str(second.id)) == (
        f"Trần Thị Mai (Commune child-protection worker) accepted referral {second.id} of case {case.reference}.")


def test_an_escalation_raised_and_acknowledged(app, worker, make_user):
    case = make_case(worker)
    supervisor = make_user("supervisor", full_name="Lê Minh Tuấn")
    with acting(app, worker):
        escalation = escalations.raise_by_hand(case, worker, "Gia đình đe doạ cán bộ.")
    assert sentence_of(app, entity="escalations", action="create") == (
        f"Phạm Thị Hoa (Commune child-protection worker) raised case {case.reference} to Huyện Cẩm Giàng: "
        "Gia đình đe doạ cán bộ.")
    with acting(app, supervisor):
        escalations.acknowledge(escalation, supervisor)
    assert sentence_of(app, entity="escalations", action="update") == (
        f"Lê Minh Tuấn (District supervisor) acknowledged escalation {escalation.id} of case {case.reference}.")


def test_a_supervisor_at_a_province_without_districts_is_named_province_supervisor(app, monkeypatch, make_user):
    load_two_levels()
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    worker = make_user("worker", unit="10933", full_name="Phạm Thị Hoa")
    supervisor = make_user("supervisor", unit="31", full_name="Lê Minh Tuấn")
    escalation = escalations.raise_by_hand(make_case(worker), worker, "Gia đình đe doạ cán bộ.")
    with acting(app, supervisor):
        escalations.acknowledge(escalation, supervisor)
    assert sentence_of(app, entity="escalations", action="update").startswith("Lê Minh Tuấn (Province supervisor)")
    assert sentence_of(app, "vi", entity="escalations", action="update").startswith(
        "Cán bộ giám sát cấp tỉnh Lê Minh Tuấn")


def test_the_sweep_s_escalation_gives_its_reason_in_the_reader_s_language(app, worker):
    case = make_case(worker, received_at=utcnow() - timedelta(days=7))
    with force_locale("vi"):
        escalations.sweep()
    assert sentence_of(app, entity="escalations", action="create") == (
        f"The deadline sweep raised case {case.reference} to Huyện Cẩm Giàng: Deadline missed: Initial assessment "
        f"(local standard) (case {case.reference}).")


def test_an_account_of_a_supervisor_at_a_province_without_districts_names_the_province_supervisor(app, monkeypatch,
                                                                                                   make_user):
    load_two_levels()
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    admin = make_user("admin", unit="31", full_name="Đỗ Quản Trị")
    with acting(app, admin):
        account = users.create_account(username="tuan", full_name="Lê Minh Tuấn", role="supervisor", unit_code="31",
                                       email=None, by=admin).user
    assert sentence_of(app, entity="users", action="create", entity_id=str(account.id)) == (
        "Đỗ Quản Trị (System administrator) created the account of Lê Minh Tuấn: Province supervisor, "
        "Thành phố Hải Phòng.")
    assert sentence_of(app, entity="access_grants", action="create") == (
        "Đỗ Quản Trị (System administrator) asked that Lê Minh Tuấn read cases as Province supervisor in Thành phố "
        "Hải Phòng (a new account); a second person must approve it.")


def test_accounts_created_asked_for_approved_moved_and_deactivated(app, make_user):
    admin = make_user("admin", full_name="Đỗ Quản Trị")
    officer = make_user("province_officer", full_name="Lê Văn Duyệt")
    with acting(app, admin):
        account = users.create_account(username="mai", full_name="Trần Thị Mai", role="worker", unit_code="10933",
                                       email=None, by=admin).user
    assert sentence_of(app, entity="users", action="create", entity_id=str(account.id)) == (
        "Đỗ Quản Trị (System administrator) created the account of Trần Thị Mai: Commune child-protection worker, "
        "Xã Cẩm Phúc.")
    assert sentence_of(app, entity="access_grants", action="create") == (
        "Đỗ Quản Trị (System administrator) asked that Trần Thị Mai read cases as Commune child-protection worker "
        "in Xã Cẩm Phúc (a new account); a second person must approve it.")
    with acting(app, officer):
        approvals.approve(approvals.open_grant(account), officer)
    assert sentence_of(app, entity="access_grants", action="update") == (
        "Lê Văn Duyệt (Province officer) approved that Trần Thị Mai read cases as Commune child-protection worker "
        "in Xã Cẩm Phúc.")
    with acting(app, admin):
        users.change_role_and_unit(account, role="commune_leader", unit_code="10933", by=admin)
    with acting(app, officer):
        approvals.approve(approvals.open_grant(account), officer)
    assert sentence_of(app, entity="users", action="update", entity_id=str(account.id)) == (
        "Lê Văn Duyệt (Province officer) gave Trần Thị Mai the role Commune leader.")
    with acting(app, admin):
        users.set_active(account, False, by=admin)
    assert sentence_of(app, entity="users", action="update", entity_id=str(account.id)) == (
        "Đỗ Quản Trị (System administrator) deactivated the account of Trần Thị Mai.")


# Values, ids and times.

def test_ids_read_as_the_people_units_and_children_they_name(app, worker, make_user):
    other = make_user("worker", full_name="Vũ Thị Lan")
    case = make_case(worker)
    with acting(app, worker):
        cases.edit_case(case, worker, {"assigned_worker": other.username}, case.version)
    reading = told(app, last_audit_entry(entity="cases", action="update"))
    assert reading.sentence == (f"Phạm Thị Hoa (Commune child-protection worker) assigned case {case.reference} "
                                "to Vũ Thị Lan.")
    created = told(app, last_audit_entry(entity="cases", action="create"))
    shown = {change.label: change.after for change in created.changes}
    assert shown["Unit"] == "Xã Cẩm Phúc" and shown["Child"] == "Nguyễn Văn An" and shown["Status"] == "Reported"
    assert shown["Received at"] == case.received_at.astimezone(LOCAL).strftime("%d/%m/%Y %H:%M")
    assert "Physical or emotional violence" in told(app, last_audit_entry(entity="case_categories")).sentence


def test_no_field_name_table_name_id_or_utc_time_is_read(app, worker, leader):
    case = make_case(worker)
    with acting(app, worker):
        cases.assess(case, worker, {"repeated_harm": True}, None, case.version)
        cases.draft_plan(case, worker, "Mục tiêu", [ACTION], case.version)
    for entry in _entries():
        reading = told(app, entry)
        text = " ".join([reading.sentence, reading.changes_text(), reading.person, reading.role, reading.unit])
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # a column or table name
        assert not re.search(r"\d{4}-\d\d-\d\d", text), text  # an ISO date or time


def test_the_reporter_s_identity_is_withheld_from_the_history_only(app, worker):
    make_case(worker, reporter_name="Đỗ Văn Báo", reporter_contact="0912 345 678")
    entry = last_audit_entry(entity="cases", action="create")
    assert "Đỗ Văn Báo" not in told(app, entry, for_history=True).changes_text()
    assert "Đỗ Văn Báo" in told(app, entry).changes_text()


def test_secrets_read_as_changed_without_their_value(app, make_user):
    admin, account = make_user("admin"), make_user("worker", full_name="Trần Thị Mai")
    with acting(app, admin):
        users.reset_access(account, by=admin)
    [entry] = [entry for entry in audit_entries(entity="users", action="update") if "password_hash" in entry.changes]
    reading = told(app, entry)
    assert "issued an activation code for the account of Trần Thị Mai" in reading.sentence
    assert "Password: (secret) → (secret)" in reading.changes_text()
    assert "Activation code: – → (secret)" in reading.changes_text()


@pytest.mark.postgresql_only
def test_a_change_made_outside_the_application_names_the_database_account(app, worker):
    from tests.audit.test_postgresql import outside

    case = make_case(worker)
    outside("UPDATE cases SET place = 'Thôn Tây', received_at = received_at - interval '1 hour' WHERE id = :id",
            id=case.id)
    entry = last_audit_entry(entity="cases", action="update")
    reading = told(app, entry)
    assert reading.sentence == (f"The database account {entry.actor[3:]}, outside the application changed the "
                                f"report of case {case.reference}: Received at, Place.")
    received = reading.changes[0]
    assert received.label == "Received at"
    assert received.before == case.received_at.astimezone(LOCAL).strftime("%d/%m/%Y %H:%M")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", received.after)


# Entries that are not row changes.

def test_sign_ins_sign_outs_and_refusals_read_as_sentences(app, client, sign_in, worker):
    sign_in(worker)
    case = make_case(worker)
    client.get(f"/cases/{case.reference}")
    client.get("/cases/HD-10933-2000-9999")
    client.get("/audit/")
    client.post("/auth/sign-out")
    client.post("/auth/sign-in", data={"username": worker.username, "password": "wrong"})
    client.post("/auth/sign-in", data={"username": "nobody", "password": "wrong"})
    who = "Phạm Thị Hoa (Commune child-protection worker)"
    assert sentence_of(app, action="sign_in") == f"{who} signed in."
    assert sentence_of(app, action="case_viewed") == f"{who} viewed case {case.reference}."
    refusals = [told(app, entry).sentence for entry in _entries(action="access_denied")]
    assert f"{who} asked for case HD-10933-2000-9999, which is outside their reach; it was refused." in refusals
    assert f"{who} was refused /audit/: their role may not use it." in refusals
    assert sentence_of(app, action="sign_out") == f"{who} signed out."
    failures = [told(app, entry).sentence for entry in _entries(action="sign_in_failed")]
    assert failures == ["A sign-in as Phạm Thị Hoa failed: wrong password.",
                        "A sign-in as nobody failed: no account has this username."]


def test_a_lockout_names_the_account_and_its_local_end(app, client, worker):
    for _attempt in range(5):
        client.post("/auth/sign-in", data={"username": worker.username, "password": "wrong"})
    reading = told(app, last_audit_entry(action="lockout"))
    assert re.fullmatch(r"The account of Phạm Thị Hoa was locked until \d\d/\d\d/\d{4} \d\d:\d\d after too many "
                        r"wrong passwords\.", reading.sentence)


def test_reading_and_checking_the_trail_read_as_sentences(app, client, sign_in, make_user):
    sign_in(make_user("inspector", full_name="Đặng Thanh Tra"))
    client.get("/audit/", query_string={"action": "sign_in", "since": "2026-01-02"})
    client.post("/audit/verify")
    who = "Đặng Thanh Tra (Inspector)"
    view = told(app, last_audit_entry(action="audit_view"))
    assert view.sentence == f"{who} read the audit trail."
    assert view.changes_text() == "From: 02/01/2026; Action: Signed in"
    assert re.fullmatch(rf"{re.escape(who)} checked the audit chain: whole, \d+ entries\.",
                        sentence_of(app, action="audit_verify"))


def test_a_statistics_export_names_the_unit_the_period_and_the_format(app, client, sign_in, make_user):
    sign_in(make_user("province_officer", full_name="Lê Văn Tỉnh"))
    client.get("/reports/statistics.xlsx", query_string={"unit": "295", "from": "2026-01-01", "to": "2026-03-31"})
    entry = last_audit_entry(action="statistics_export")
    english, vietnamese = told(app, entry), told(app, entry, "vi")
    assert english.sentence == ("Lê Văn Tỉnh (Province officer) exported the statistics of Huyện Cẩm Giàng from "
                                "01/01/2026 to 31/03/2026 as XLSX.")
    assert english.changes_text() == "Format: XLSX; From: 01/01/2026; To: 31/03/2026"
    assert vietnamese.sentence == ("Cán bộ cấp tỉnh Lê Văn Tỉnh xuất số liệu thống kê của Huyện Cẩm Giàng từ ngày "
                                   "01/01/2026 đến ngày 31/03/2026 ra tệp XLSX.")


def test_an_entry_of_an_action_nobody_described_still_reads(app, worker):
    record(db.session, "something_new", changes={"what": "x"})
    db.session.commit()
    sentence = told(app, last_audit_entry(action="something_new")).sentence
    assert sentence.startswith("The command line (") and sentence.endswith("): something_new.")


# Reading what a page names.

def test_a_page_of_entries_reads_what_they_name_in_one_query_per_kind(app, make_user):
    people = [make_user("worker", full_name=f"Người {number}") for number in range(20)]
    for person in people:
        with acting(app, person):
            make_case(person)
    entries = _entries()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with app.test_request_context(), force_locale("en"):
            readings = narrate(entries)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(readings) == len(entries) > 100
    assert len(statements) <= len(narrative.REFERENCES)
    assert {reading.person for reading in readings} >= {person.full_name for person in people}


def _entries(**criteria):
    query = sa.select(AuditEntry).filter_by(**criteria).order_by(AuditEntry.id)
    return list(db.session.scalars(query))
