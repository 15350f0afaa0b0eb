"""Referring a case: approval, consent, answers, and who sees the case afterwards."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.access import scoped_cases
from app.cases.services import Invalid, NotAllowed, WrongState
from app.deadlines.services import add_holiday
from app.extensions import db
from app.referrals import services
from app.referrals.services import Request
from tests.factories import audit_entries, make_provider, make_referral, unit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor")




def sees(user, case) -> bool:
    from app.cases.models import Case

    return db.session.scalar(scoped_cases(user).where(Case.id == case.id)) is not None


def test_a_referral_that_leaves_the_commune_waits_for_a_supervisor(case, worker):
    referral = make_referral(case, worker, to="295")
    assert referral.status == "pending_approval" and referral.approval_needed and referral.sent_at is None


def test_an_urgent_referral_is_sent_at_once_and_still_needs_approval(case, worker):
    referral = make_referral(case, worker, to="30", urgent=True)
    assert referral.status == "sent" and referral.awaiting_approval and referral.answer_due_at is not None


def test_a_referral_to_a_provider_of_the_same_commune_needs_no_approval(case, worker):
    station = make_provider("10933", kind="health", name="Trạm Y tế xã Cẩm Phúc")
    referral = make_referral(case, worker, provider=station)
    assert referral.status == "sent" and not referral.approval_needed
    assert referral.receiving_unit.code == "10933"


def test_a_draft_is_kept_until_sent(case, worker):
    referral = make_referral(case, worker, send=False)
    assert referral.status == "draft"
    services.act(referral, worker, "send")
    assert referral.status == "pending_approval"


def test_approval_sends_the_referral_and_starts_the_answer_clock(case, worker, supervisor):
    referral = make_referral(case, worker, to="10510")
    services.act(referral, supervisor, "approve")
    assert referral.status == "sent" and referral.approved_by_id == supervisor.id and referral.answer_due_at


def test_a_supervisor_of_another_district_cannot_approve(case, worker, make_user):
    elsewhere = make_user("supervisor", unit="288")
    referral = make_referral(case, worker, to="10510")
    with pytest.raises(NotAllowed):
        services.act(referral, elsewhere, "approve")
    assert referral.status == "pending_approval"


def test_the_sender_cannot_accept_their_own_referral(case, worker):
    referral = make_referral(case, worker, to="10510", urgent=True)
    with pytest.raises(NotAllowed):
        services.act(referral, worker, "accept")


@pytest.mark.parametrize("action", ["reject", "decline"])
def test_reject_and_decline_need_a_reason(case, worker, supervisor, make_user, action):
    referral = make_referral(case, worker, to="10510", urgent=action == "decline")
    actor = supervisor if action == "reject" else make_user("worker", unit="10510")
    with pytest.raises(Invalid):
        services.act(referral, actor, action, "  ")
    db.session.rollback()
    assert db.session.get(type(referral), referral.id).status == referral.status


def test_only_the_sender_withdraws(case, worker, make_user):
    referral = make_referral(case, worker, to="10510")
    with pytest.raises(NotAllowed):
        services.act(referral, make_user("worker", unit="10510"), "withdraw")
    services.act(referral, make_user("commune_leader"), "withdraw", "Gia đình đã tự đến trung tâm.")
    assert referral.status == "withdrawn"


def test_the_receiving_unit_sees_the_case_only_after_accepting(case, worker, supervisor, make_user):
    receiver = make_user("worker", unit="10510")
    referral = make_referral(case, worker, to="10510")
    services.act(referral, supervisor, "approve")
    assert not sees(receiver, case)
    services.act(referral, receiver, "accept")
    assert sees(receiver, case) and sees(worker, case)


def test_a_declined_referral_gives_nothing(case, worker, supervisor, make_user):
    receiver = make_user("worker", unit="10510")
    referral = make_referral(case, worker, to="10510")
    services.act(referral, supervisor, "approve")
    services.act(referral, receiver, "decline", "Không đúng địa bàn.")
    assert not sees(receiver, case)


def test_a_rejected_urgent_referral_takes_access_away(case, worker, supervisor, make_user):
    receiver = make_user("worker", unit="10510")
    referral = make_referral(case, worker, to="10510", urgent=True)
    services.act(referral, receiver, "accept")
    services.act(referral, supervisor, "reject", "Không cần chuyển.")
    assert referral.status == "rejected" and not sees(receiver, case)


def test_a_transfer_gives_the_case_to_the_receiving_commune(case, worker, supervisor, make_user):
    receiver = make_user("worker", unit="10510")
    referral = make_referral(case, worker, to="10510", transfer=True)
    services.act(referral, supervisor, "approve")
    services.act(referral, receiver, "accept")
    assert case.unit.code == "10510" and case.assigned_worker_id is None
    assert sees(worker, case), "the sender keeps access"


def test_a_transfer_goes_to_a_commune(case, worker):
    with pytest.raises(Invalid) as refusal:
        make_referral(case, worker, to="295", transfer=True)
    assert "transfer" in refusal.value.fields


def test_a_child_of_seven_or_more_must_agree_too(case, worker):
    with pytest.raises(Invalid) as refusal:
        make_referral(case, worker, consent="carer")
    assert "consent" in refusal.value.fields


def test_sharing_without_consent_needs_an_urgent_referral(case, worker):
    with pytest.raises(Invalid):
        make_referral(case, worker, consent="emergency_protection")
    assert make_referral(case, worker, consent="emergency_protection", urgent=True).status == "sent"


def test_a_closed_case_cannot_be_referred(case, worker):
    case.status = "closed"
    db.session.commit()
    with pytest.raises(WrongState):
        make_referral(case, worker)


def test_an_inspector_cannot_refer(case, make_user):
    with pytest.raises(NotAllowed):
        services.refer(case, make_user("inspector"), Request(to_unit=unit("295"), reason="x"))


def test_approval_is_due_within_one_working_day_across_a_weekend_and_a_holiday(case, worker, monkeypatch):
    add_holiday(datetime(2026, 12, 7).date(), "Ngày nghỉ thử")
    friday_noon = datetime(2026, 12, 4, 12, 0, tzinfo=HANOI)
    monkeypatch.setattr(services, "utcnow", lambda: friday_noon)
    referral = make_referral(case, worker)
    assert referral.approval_due_at.astimezone(HANOI) == datetime(2026, 12, 8, 23, 59, 59, tzinfo=HANOI)


def test_an_urgent_approval_is_due_within_two_hours(case, worker):
    referral = make_referral(case, worker, urgent=True)
    assert referral.approval_due_at - referral.sent_at == timedelta(hours=2)


def test_every_state_change_is_in_the_audit_trail_with_its_reason(case, worker, supervisor):
    referral = make_referral(case, worker, to="10510")
    services.act(referral, supervisor, "reject", "Chưa đủ thông tin.")
    entries = audit_entries(entity="referrals", entity_id=str(referral.id))
    assert [entry.action for entry in entries] == ["create", "update"]
    assert entries[-1].case_ref == case.reference
    assert "Chưa đủ thông tin." in entries[-1].changes and "rejected" in entries[-1].changes


def test_the_receiving_unit_learns_of_a_referral_only_once_it_is_sent(case, worker, supervisor, make_user):
    from app.referrals.queries import get_referral

    receiver = make_user("worker", unit="10510")
    referral = make_referral(case, worker, to="10510")
    assert get_referral(receiver, referral.id) is None
    services.act(referral, supervisor, "approve")
    assert get_referral(receiver, referral.id) is not None


def test_a_transfer_is_never_urgent(case, worker):
    with pytest.raises(Invalid) as refusal:
        make_referral(case, worker, to="10510", transfer=True, urgent=True)
    assert "transfer" in refusal.value.fields


def test_only_the_unit_holding_the_case_transfers_it(case, worker, supervisor, make_user):
    helper = make_user("worker", unit="10510")
    services.act(make_referral(case, worker, to="10510", urgent=True), helper, "accept")
    with pytest.raises(Invalid) as refusal:
        make_referral(case, helper, to="10966", transfer=True)
    assert "transfer" in refusal.value.fields


def test_one_transfer_at_a_time(case, worker):
    make_referral(case, worker, to="10510", transfer=True)
    with pytest.raises(Invalid):
        make_referral(case, worker, to="10966", transfer=True)


def test_a_second_open_referral_to_the_same_receiver_is_refused(case, worker):
    make_referral(case, worker, to="10510")
    with pytest.raises(Invalid):
        make_referral(case, worker, to="10510")


def test_a_unit_that_borrowed_a_case_cannot_refer_it_to_its_own_provider(case, worker, make_user):
    helper = make_user("worker", unit="10510")
    services.act(make_referral(case, worker, to="10510", urgent=True), helper, "accept")
    own = make_provider("10510", kind="health", name="Trạm Y tế phường Bình Hàn")
    with pytest.raises(Invalid) as refusal:
        make_referral(case, helper, provider=own)
    assert "provider" in refusal.value.fields


def test_an_urgent_referral_is_approved_before_it_is_completed(case, worker, supervisor, make_user):
    receiver = make_user("worker", unit="10510")
    referral = make_referral(case, worker, to="10510", urgent=True)
    services.act(referral, receiver, "accept")
    with pytest.raises(WrongState):
        services.act(referral, receiver, "complete")
    services.act(referral, supervisor, "approve")
    services.act(referral, receiver, "complete")
    assert referral.status == "completed"


def test_a_referral_of_a_closed_case_cannot_be_accepted(case, worker, make_user):
    referral = make_referral(case, worker, to="10510", urgent=True)
    case.status = "closed"
    db.session.commit()
    with pytest.raises(WrongState):
        services.act(referral, make_user("worker", unit="10510"), "accept")


def test_a_transfer_of_a_case_that_moved_meanwhile_cannot_be_accepted(case, worker, supervisor, make_user):
    referral = make_referral(case, worker, to="10510", transfer=True)
    services.act(referral, supervisor, "approve")
    case.unit = unit("10966")
    db.session.commit()
    with pytest.raises(WrongState):
        services.act(referral, make_user("worker", unit="10510"), "accept")


def test_inspectors_have_no_referral_waiting_for_them(case, worker, make_user):
    from app.notifications.services import count_for
    from app.orm import utcnow

    make_referral(case, worker, to="295", urgent=True)
    assert count_for(make_user("inspector", unit="295"), utcnow()) == 0


def test_a_provider_without_a_name_is_refused(units):
    with pytest.raises(Invalid):
        services.register_provider(unit("295"), "police", "   ", None)
