"""The case's story: every step, referral, escalation and note in order, each with who and when."""
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from app.cases import services
from app.cases.models import CaseStep
from app.cases.story import case_story
from app.escalations.services import acknowledge, raise_by_hand
from app.extensions import db
from app.orm import utcnow
from app.referrals.services import act
from tests.factories import isolate, make_case, make_referral, record_review

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))


@pytest.fixture
def people(make_user):
    return {"worker": make_user("worker", full_name="Nguyễn Thị Lan"),
            "leader": make_user("commune_leader", full_name="Trần Văn Hùng"),
            "supervisor": make_user("supervisor", full_name="Lê Văn Giám")}


def told(case):
    with force_locale("en"):
        return [(item.who, item.what, item.words) for item in case_story(case)]


def test_every_step_of_a_case_is_told_in_order_with_who_took_it(people):
    worker, leader, supervisor = people["worker"], people["leader"], people["supervisor"]
    case = make_case(worker, immediate_danger=True, received_at=utcnow() - timedelta(hours=2))
    isolate(case, worker, leader, date.today(), date.today() + timedelta(days=5))
    services.assess(case, worker, {"repeated_harm": True}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.return_plan(case, leader, "Thiếu hỗ trợ tâm lý.", case.version)
    services.draft_plan(case, worker, "Trẻ an toàn, được hỗ trợ tâm lý", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    services.end_isolation(case, leader, date.today(), "Trẻ về nhà với mẹ.", case.version)
    services.log(case, worker, "visit", utcnow(), "Thăm nhà: trẻ đã đi học lại.")
    referral = make_referral(case, worker, to="295")
    act(referral, supervisor, "approve")
    act(referral, supervisor, "accept")
    escalation = raise_by_hand(case, worker, "Gia đình không hợp tác.")
    acknowledge(escalation, supervisor, "Đã nhận.")
    record_review(case, worker)
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    services.approve_closure(case, leader, case.version)

    assert told(case) == [
        ("Nguyễn Thị Lan", "Report received (Hotline 111) and the case opened.", None),
        ("Nguyễn Thị Lan", "Temporary isolation proposed to a commune leader.", None),
        ("Trần Văn Hùng", "Temporary isolation decided (Mẫu 07).", None),
        ("Nguyễn Thị Lan", "Initial assessment; risk: Medium.", None),
        ("Nguyễn Thị Lan", "Support plan drafted.", None),
        ("Nguyễn Thị Lan", "Support plan submitted for approval.", None),
        ("Trần Văn Hùng", "Support plan returned.", "Thiếu hỗ trợ tâm lý."),
        ("Nguyễn Thị Lan", "Support plan drafted.", None),
        ("Nguyễn Thị Lan", "Support plan submitted for approval.", None),
        ("Trần Văn Hùng", "Support plan approved.", None),
        ("Trần Văn Hùng", "The temporary isolation ended.", None),
        ("Nguyễn Thị Lan", "Visit", "Thăm nhà: trẻ đã đi học lại."),
        ("Nguyễn Thị Lan", f"Referral {referral.id} to Huyện Cẩm Giàng (295).", "Cần hỗ trợ tâm lý cho trẻ."),
        ("Lê Văn Giám", f"Referral {referral.id} approved.", None),
        ("Lê Văn Giám", f"Referral {referral.id} accepted.", None),
        ("Nguyễn Thị Lan", "Escalated to Huyện Cẩm Giàng.", "Gia đình không hợp tác."),
        ("Lê Văn Giám", "Escalation acknowledged at Huyện Cẩm Giàng.", "Đã nhận."),
        ("Nguyễn Thị Lan", "Reviewed on the criteria of Mẫu 06.", None),
        ("Nguyễn Thị Lan", "Closure proposed: Safe and stable.", None),
        ("Trần Văn Hùng", "Closure approved (Safe and stable): the case is closed.", None),
    ]


def test_a_reopening_is_told_by_its_note_and_the_earlier_closure_stays(people):
    worker, leader = people["worker"], people["leader"]
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    services.propose_closure(case, worker, "moved_away", "Gia đình chuyển đi.", case.version)
    services.approve_closure(case, leader, case.version)
    services.reopen(case, worker, "Gia đình quay về, trẻ lại bị bỏ mặc.", case.version)
    story = told(case)
    assert story[-3:] == [("Nguyễn Thị Lan", "Closure proposed: Moved away, file handed over.", "Gia đình chuyển đi."),
                          ("Trần Văn Hùng", "Closure approved (Moved away, file handed over): the case is closed.",
                           None),
                          ("Nguyễn Thị Lan", "Note", "Mở lại hồ sơ: Gia đình quay về, trẻ lại bị bỏ mặc.")]


def test_a_step_is_kept_once_with_who_and_when(people):
    worker = people["worker"]
    case = make_case(worker)
    before = utcnow()
    services.assess(case, worker, {"sexual_abuse": True}, None, case.version)
    [step] = db.session.scalars(db.select(CaseStep).filter_by(case_id=case.id)).all()
    assert (step.action, step.user_id, step.detail) == ("assess", worker.id, "high") and step.taken_at >= before


def test_a_refused_step_leaves_nothing_in_the_story(people):
    worker = people["worker"]
    case = make_case(worker)
    with pytest.raises(services.CaseRefused):
        services.submit_plan(case, worker, case.version)
    db.session.rollback()
    assert [what for _who, what, _words in told(case)] == ["Report received (Hotline 111) and the case opened."]


def test_the_case_page_tells_the_story(client, sign_in, people):
    worker = sign_in(people["worker"])
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    page = client.get(f"/cases/{case.reference}").text
    story = page[page.index('id="timeline"'):page.index('id="referrals"')]
    assert "Chưa có ghi nhận nào" not in story
    assert "Đánh giá ban đầu; mức độ nguy cơ: Thấp." in story and "Nguyễn Thị Lan" in story


def test_the_history_tab_names_each_step_in_words(client, sign_in, people):
    worker = sign_in(people["worker"])
    case = make_case(worker, immediate_danger=True)
    isolate(case, worker, people["leader"], date.today(), date.today() + timedelta(days=5))
    client.post("/language", data={"locale": "en"})
    page = client.get(f"/cases/{case.reference}/history").text
    assert "took the step “Decide the temporary isolation” on case" in page and ">isolation<" not in page
