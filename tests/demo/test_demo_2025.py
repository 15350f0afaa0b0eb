"""`flask seed demo --edition 2025`: Hải Phòng after the reform of 1 July 2025 (two levels, Hải Dương merged into it),
beside the 2024 demo of Hải Dương, which stays the default and stays as it was."""
import csv

import pytest
import sqlalchemy as sa

from app.cases.models import Case
from app.demo.cli import DEMO_PASSWORD
from app.demo.editions import HAI_DUONG_2024, HAI_PHONG_2025
from app.escalations.models import Escalation
from app.extensions import db
from app.referrals.models import Provider, Referral
from app.units.models import Unit
from app.units.services import DATA_DIR
from app.users.models import User

STATUSES = {"reported", "assessing", "planning", "in_progress", "monitoring", "closed"}


@pytest.fixture
def in_2025(app, monkeypatch):
    """The app with the 2025 list in force, as `make run EDITION=2025` runs it."""
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    return app


def seed_2025(runner):
    result = runner.invoke(args=["seed", "demo", "--edition", "2025"])
    assert result.exit_code == 0, result.output
    return result


def state():
    """Everything the demo makes, as rows to compare."""
    return {
        "units": set(db.session.execute(sa.select(Unit.edition, Unit.code, Unit.name, Unit.level, Unit.path)).all()),
        "users": set(db.session.execute(sa.select(User.username, User.role, User.unit_id, User.password_hash)).all()),
        "cases": set(db.session.execute(sa.select(Case.reference, Case.status, Case.unit_id)).all()),
        "referrals": set(db.session.execute(sa.select(Referral.id, Referral.case_id, Referral.status)).all()),
        "escalations": set(db.session.execute(sa.select(Escalation.id, Escalation.case_id)).all()),
        "providers": set(db.session.execute(sa.select(Provider.name, Provider.unit_id)).all()),
    }


def test_hai_phong_2025_csv_holds_exactly_hai_phong_s_rows_of_the_whole_2025_list():
    with open(DATA_DIR / "vn_units_2025.csv", encoding="utf-8") as whole:
        expected = [row for row in csv.DictReader(whole) if "31" in (row["code"], row["parent_code"])]
    with open(DATA_DIR / "hai_phong_2025.csv", encoding="utf-8") as extract:
        assert list(csv.DictReader(extract)) == expected


def test_the_2025_demo_is_refused_while_the_2024_list_is_in_force(runner, app):
    result = runner.invoke(args=["seed", "demo", "--edition", "2025"])
    assert result.exit_code != 0 and "UNITS_EDITION=2025" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 0


def test_the_2025_demo_loads_hai_phong_s_communes_in_edition_2025_with_no_district(runner, in_2025):
    seed_2025(runner)
    units = list(db.session.scalars(sa.select(Unit)))
    assert {unit.edition for unit in units} == {"2025"}
    assert [unit.level for unit in units].count("commune") == len(units) - 1 == 114
    [city] = [unit for unit in units if unit.level == "province"]
    assert (city.code, city.name) == ("31", "Thành phố Hải Phòng")
    assert {unit.parent_id for unit in units if unit.level == "commune"} == {city.id}


def test_every_2025_demo_account_is_at_its_hai_phong_unit_with_its_role(runner, in_2025):
    seed_2025(runner)
    placed = {(user.username, user.role, user.unit.code, user.unit.edition)
              for user in db.session.scalars(sa.select(User))}
    assert placed == {(username, role, code, "2025") for username, _name, role, code in HAI_PHONG_2025.accounts}


def test_the_2025_demo_supervisor_sits_at_the_city_as_there_is_no_district(runner, in_2025):
    seed_2025(runner)
    [supervisor] = db.session.scalars(sa.select(User).where(User.role == "supervisor")).all()
    assert supervisor.unit.level == "province" and supervisor.unit.code == "31"


def test_every_2025_demo_account_can_sign_in(runner, in_2025):
    seed_2025(runner)
    for username, *_ in HAI_PHONG_2025.accounts:
        client = in_2025.test_client()
        response = client.post("/auth/sign-in", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username


def test_the_2025_demo_prints_its_sign_ins(runner, in_2025):
    output = seed_2025(runner).output
    assert DEMO_PASSWORD in output
    assert all(username in output for username, *_ in HAI_PHONG_2025.accounts)


def test_the_2025_demo_usernames_are_not_the_2024_demo_s():
    assert not {row[0] for row in HAI_PHONG_2025.accounts} & {row[0] for row in HAI_DUONG_2024.accounts}


def test_the_2025_demo_has_cases_in_every_status_with_hai_phong_s_hp_references(runner, in_2025):
    seed_2025(runner)
    cases = list(db.session.scalars(sa.select(Case)))
    assert 25 <= len(cases) <= 35
    assert {case.status for case in cases} == STATUSES
    assert {case.unit.code for case in cases} == {"10930", "10909"}
    assert all(case.reference.startswith(f"HP-{case.unit.code}-") for case in cases)


def test_the_2025_demo_has_referrals_in_every_state_and_open_escalations(runner, in_2025):
    from app.referrals.workflow import STATUSES as REFERRAL_STATUSES

    seed_2025(runner)
    assert {referral.status for referral in db.session.scalars(sa.select(Referral))} == set(REFERRAL_STATUSES)
    assert any(escalation.acknowledged_at is None for escalation in db.session.scalars(sa.select(Escalation)))


def test_every_2025_demo_role_that_works_cases_finds_something_waiting(runner, in_2025):
    from app.notifications.services import count_for
    from app.orm import utcnow
    from app.users.services import find_user

    seed_2025(runner)
    for username, _name, role, _unit in HAI_PHONG_2025.accounts:
        if role not in ("inspector", "admin", "intake"):  # those read, administer, or only record reports
            assert count_for(find_user(username), utcnow()) > 0, username


def test_running_the_2025_demo_twice_changes_nothing(runner, in_2025):
    seed_2025(runner)
    before = state()
    seed_2025(runner)
    assert state() == before


def test_the_2024_demo_stays_the_default_and_as_it_was_beside_the_2025_one(runner, app, monkeypatch):
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    before = state()
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2025")
    seed_2025(runner)
    after = state()
    assert all(before[kind] <= after[kind] for kind in before)
    monkeypatch.setitem(app.config, "UNITS_EDITION", "2024")
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert state() == after
    assert {reference[:3] for reference, *_ in after["cases"]} == {"HD-", "HP-"}


def test_the_2025_demo_registers_a_few_hundred_children_and_raises_long_overdue_reviews_to_the_city(runner, in_2025):
    from app.notifications.services import notices_for
    from app.orm import utcnow
    from app.register.models import RegisterEntry, RegisterReviewEscalation
    from app.users.services import find_user

    seed_2025(runner)
    units = set(db.session.scalars(sa.select(RegisterEntry.unit_id)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) >= 300 and len(units) == 2
    assert {escalation.to_unit.code for escalation in db.session.scalars(sa.select(RegisterReviewEscalation))} == {"31"}
    assert notices_for(find_user("collaborator.maodien"), utcnow()).reviews_overdue
    assert notices_for(find_user("supervisor.haiphong"), utcnow()).review_escalations
