import sqlalchemy as sa

from app.demo.cli import DEMO_PASSWORD
from app.demo.editions import HAI_DUONG_2024
from app.extensions import db
from app.units.models import Unit
from app.users.models import User


def test_seed_demo_loads_hai_duong_and_one_account_per_role(runner, app):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 248
    placed = {(u.username, u.role, u.unit.code) for u in db.session.scalars(sa.select(User))}
    assert placed == {(username, role, code) for username, _name, role, code in HAI_DUONG_2024.accounts}
    assert DEMO_PASSWORD in result.output


def test_seed_demo_twice_changes_nothing(runner, app):
    runner.invoke(args=["seed", "demo"])
    hashes = dict(db.session.execute(sa.select(User.username, User.password_hash)).all())
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert dict(db.session.execute(sa.select(User.username, User.password_hash)).all()) == hashes


def test_every_demo_account_can_sign_in(runner, app):
    runner.invoke(args=["seed", "demo"])
    for username, *_ in HAI_DUONG_2024.accounts:
        client = app.test_client()
        response = client.post("/auth/sign-in", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username


def test_seed_demo_adds_about_thirty_cases_in_every_status_some_overdue(runner, app):
    from app.cases.models import Case
    from app.orm import utcnow

    runner.invoke(args=["seed", "demo"])
    cases = list(db.session.scalars(sa.select(Case)))
    assert 25 <= len(cases) <= 35
    assert {case.status for case in cases} == {"reported", "assessing", "planning", "in_progress", "monitoring",
                                               "closed"}
    now = utcnow()
    assert any(deadline.overdue(now) for case in cases for deadline in case.open_deadlines())
    runner.invoke(args=["seed", "demo"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == len(cases)


def test_demo_plans_are_decided_by_a_leader_of_the_case_s_commune(runner, app):
    from app.cases.models import Plan

    runner.invoke(args=["seed", "demo"])
    plans = list(db.session.scalars(sa.select(Plan).where(Plan.decided_by_id.is_not(None))))
    assert plans and {plan.decided_by.unit_id == plan.case.unit_id for plan in plans} == {True}


def test_seed_demo_adds_referrals_in_every_state_and_open_escalations(runner, app):
    from app.escalations.models import Escalation
    from app.referrals.models import Referral
    from app.referrals.workflow import STATUSES

    runner.invoke(args=["seed", "demo"])
    assert {referral.status for referral in db.session.scalars(sa.select(Referral))} == set(STATUSES)
    assert any(escalation.acknowledged_at is None for escalation in db.session.scalars(sa.select(Escalation)))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Referral))
    runner.invoke(args=["seed", "demo"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == count


def test_every_demo_role_that_works_cases_finds_something_waiting(runner, app):
    from app.notifications.services import count_for
    from app.orm import utcnow
    from app.users.services import find_user

    runner.invoke(args=["seed", "demo"])
    for username, _name, role, _unit in HAI_DUONG_2024.accounts:
        # Those read, administer, or only record reports and children (intake, village collaborator).
        if role not in ("inspector", "admin", "intake", "collaborator"):
            assert count_for(find_user(username), utcnow()) > 0, username


def test_seed_demo_keeps_a_16_year_old_s_record_from_before_the_under_16_rule(runner, app):
    from app.cases.models import Case
    from app.children.services import CHILD_AGE_LIMIT
    from app.reports.facts import CaseFacts

    runner.invoke(args=["seed", "demo"])
    older = list(db.session.scalars(sa.select(Case).join(CaseFacts, CaseFacts.case_id == Case.id)
                                    .where(CaseFacts.child_age >= CHILD_AGE_LIMIT)))
    assert len(older) == 1 and older[0].status == "monitoring"
    assert older[0].child.carers[0].occupation and older[0].child.carers[0].age


def test_seed_demo_records_mau_01_s_abused_or_at_risk_and_the_consent(runner, app):
    from app.cases.models import Case

    runner.invoke(args=["seed", "demo"])
    cases = list(db.session.scalars(sa.select(Case)))
    assert {case.harm_status for case in cases} == {"abused", "at_risk"}
    assert all(case.carer_consent for case in cases if case.child.age_on(case.received_at.date()) < 16)
    assert any(case.data_ground == "legal_duty" for case in cases)


def test_seed_demo_has_a_report_the_hotline_forwarded_to_tan_viet_waiting_for_its_worker(runner, app):
    """Decree 56/2017 art. 26.1: hotline 111 passes a report at once to the commune where it happened."""
    from app.access import scoped_forwarded
    from app.notifications.services import notices_for
    from app.orm import utcnow
    from app.users.services import find_user

    result = runner.invoke(args=["seed", "demo"])
    assert "hotline.haiduong" in result.output
    [forwarded] = db.session.scalars(scoped_forwarded(find_user("hotline.haiduong"))).all()
    assert forwarded.unit.code == "10966" and forwarded.assigned_worker_id is None
    waiting = notices_for(find_user("worker.tanviet"), utcnow()).deadlines
    assert forwarded.id in [deadline.case_id for deadline in waiting]
