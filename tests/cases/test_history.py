"""The history tab: the changes to a case and its parts, for whoever may read the case."""
import html
import re
from zoneinfo import ZoneInfo

from app.audit.recorder import record
from app.cases import queries
from app.extensions import db
from tests.factories import audit_entries, last_audit_entry, make_case


def english(client):
    client.post("/language", data={"locale": "en"})


def assess(client, case):
    response = client.post(f"/cases/{case.reference}/assess",
                           data={"version": case.version, "answers": ["sexual_abuse"]})
    assert response.status_code == 302


def test_a_worker_sees_the_changes_to_their_case_newest_first(client, make_user, sign_in):
    worker = sign_in(make_user("worker", full_name="Phạm Thị Hoa"))
    case = make_case(worker)
    assess(client, case)
    english(client)
    page = html.unescape(client.get(f"/cases/{case.reference}/history").get_data(as_text=True))
    who = "Phạm Thị Hoa (Commune child-protection worker)"
    moved = f"{who} moved case {case.reference} from “Reported” to “Assessing”."
    assert page.index(moved) < page.index(f"recorded a report and opened case {case.reference}.")
    assert f"{who} recorded the initial assessment of case {case.reference}: risk High." in page
    assert "Status:</span> Reported → Assessing" in page and "Risk:</span> – → High" in page


def test_a_step_s_bookkeeping_alone_is_left_to_the_full_trail(client, make_user, sign_in):
    from app.cases import services
    from tests.cases.test_steps import ACTION

    worker = sign_in(make_user("worker"))
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Mục tiêu", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)  # stamps the case's time and version, nothing else
    english(client)
    page = client.get(f"/cases/{case.reference}/history").get_data(as_text=True)
    assert "submitted the support plan" in page and f"updated case {case.reference}" not in page


def test_the_history_reads_in_vietnamese_with_local_times(client, make_user, sign_in):
    worker = sign_in(make_user("worker", full_name="Phạm Thị Hoa"))
    case = make_case(worker)
    assess(client, case)
    page = html.unescape(client.get(f"/cases/{case.reference}/history").get_data(as_text=True))
    entry = last_audit_entry(entity="assessments")
    local = entry.at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")
    assert (f'<p class="hint">{local}</p>\n        <p><strong>Cán bộ bảo vệ trẻ em cấp xã Phạm Thị Hoa ghi nhận '
            f"đánh giá ban đầu của hồ sơ {case.reference}: mức độ nguy cơ Cao.</strong>") in page
    assert not re.search(r"\d{4}-\d\d-\d\d", page)


def test_a_supervisor_above_reads_the_history_too(client, make_user, sign_in):
    case = make_case(make_user("worker"))
    sign_in(make_user("supervisor", unit="295"))
    english(client)
    assert f"opened case {case.reference}." in client.get(f"/cases/{case.reference}/history").get_data(as_text=True)


def test_views_exports_and_refusals_are_not_in_the_history(client, make_user, sign_in):
    worker = sign_in(make_user("worker"))
    case = make_case(worker)
    for action in ("case_view", "case_export", "access_denied"):
        record(db.session, action, entity="cases", entity_id=case.id, case_ref=case.reference)
    db.session.commit()
    rows, _older = queries.history(worker, case.reference)
    assert rows and {row.AuditEntry.action for row in rows} <= {"create", "update"}
    english(client)
    page = client.get(f"/cases/{case.reference}/history").get_data(as_text=True)
    assert "case_view" not in page and "case_export" not in page and "Access refused" not in page


def test_the_reporter_s_identity_is_not_shown(client, make_user, sign_in):
    worker = sign_in(make_user("worker"))
    case = make_case(worker, reporter_name="Đỗ Văn Báo", reporter_contact="0912 345 678")
    page = client.get(f"/cases/{case.reference}/history").get_data(as_text=True)
    assert "Đỗ Văn Báo" not in page and "0912 345 678" not in page


def test_the_history_pages_by_the_newest_entry_id(make_user):
    worker = make_user("worker")
    case = make_case(worker)
    everything, _none = queries.history(worker, case.reference)
    first, older = queries.history(worker, case.reference, limit=2)
    second, _older = queries.history(worker, case.reference, before=older, limit=100)
    ids = [row.AuditEntry.id for row in everything]
    assert ids == sorted(ids, reverse=True) and len(ids) > 2
    assert [row.AuditEntry.id for row in first + second] == ids


def test_a_case_out_of_scope_answers_404(client, make_user, sign_in):
    case = make_case(make_user("worker", unit="10966"))
    sign_in(make_user("worker", unit="10933"))
    assert client.get(f"/cases/{case.reference}/history").status_code == 404
    # Filed under the person refused, and under the case for its inspectors (tests/auth/test_attempts_in_the_trail.py)
    assert len(audit_entries(action="access_denied", entity_id=case.reference)) == 2


def test_an_administrator_cannot_read_the_history(client, make_user, sign_in):
    case = make_case(make_user("worker"))
    admin = sign_in(make_user("admin"))
    assert client.get(f"/cases/{case.reference}/history").status_code == 403
    assert queries.history(admin, case.reference) == ([], None)


def test_parts_added_to_a_case_are_recorded_with_its_reference_and_unit(make_user):
    from app.cases import services

    worker = make_user("worker")
    case = make_case(worker)
    services.assess(case, worker, {"repeated_harm": True}, None, case.version)
    for part in ("case_categories", "case_deadlines", "assessments"):
        created = audit_entries(action="create", entity=part)
        assert created and {(entry.case_ref, entry.unit_path) for entry in created} == {
            (case.reference, case.unit.path)}, part


def test_the_sweep_s_reason_reads_in_the_reader_s_language(client, make_user, sign_in):
    from datetime import timedelta

    from flask_babel import force_locale

    from app.escalations import services
    from app.orm import utcnow

    worker = sign_in(make_user("worker"))
    case = make_case(worker, received_at=utcnow() - timedelta(days=7))
    with force_locale("vi"):
        services.sweep()
    english(client)
    page = client.get(f"/cases/{case.reference}/history").get_data(as_text=True)
    assert f"Deadline missed: Initial assessment (local standard) (case {case.reference})." in page
    assert "Quá hạn" not in page


def test_every_field_the_history_shows_has_a_name(client, make_user, sign_in):
    from datetime import timedelta

    from app.cases import services
    from app.orm import utcnow
    from tests.cases.test_steps import ACTION
    from tests.factories import isolate

    worker = sign_in(make_user("worker", full_name="Phạm Thị Hoa"))
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Mục tiêu", [ACTION], case.version)
    today = utcnow().date()
    leader = make_user("commune_leader")
    isolate(case, worker, leader, today, today + timedelta(days=3))
    services.end_isolation(case, leader, today, "Trẻ về nhà", case.version)
    english(client)
    page = html.unescape(client.get(f"/cases/{case.reference}/history").get_data(as_text=True))
    assert f"Phạm Thị Hoa was recorded as an author of the support plan of case {case.reference}." in page
    assert "Drafted by:</span> Phạm Thị Hoa" in page
    assert "Isolation ended on:</span>" in page and "What followed for the child:</span> – → Trẻ về nhà" in page
    assert f"recorded the end of the temporary isolation of case {case.reference} on " in page
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", page.split("<main", 1)[1])  # no column or table name
