"""The register of decisions: a number per issuing unit and per year, consecutive, given to a decision once and
never given again, also when two people print at once (Decree 56 arts. 29.4, 32; Decree 30/2020 art. 15)."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.cases import services
from app.documents import register
from app.documents.models import DecisionNumber, DecisionSequence
from app.documents.statutory import decision_day
from app.extensions import db
from app.orm import utcnow
from tests.documents.test_forms import approve_a_plan, assessed_case, isolate, with_office


@pytest.fixture
def worker(make_user):
    return make_user("worker")


@pytest.fixture
def leader(make_user):
    return with_office(make_user("commune_leader"), "chairman")


def approved_plan(worker, leader):
    case = assessed_case(worker)
    approve_a_plan(case, worker, leader)
    return case, case.current_plan


def isolation(worker, leader):
    case = assessed_case(worker)
    isolate(case, leader)
    return case, case.emergency_measures[-1]


def test_decisions_of_a_unit_in_a_year_are_numbered_one_after_another(worker, leader):
    numbers = []
    for _ in range(3):
        case, plan = approved_plan(worker, leader)
        numbers.append(register.number_decision("mau-05", case, plan, 2026, worker).number)
        case, measure = isolation(worker, leader)
        numbers.append(register.number_decision("mau-07", case, measure, 2026, worker).number)
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_a_decision_keeps_the_number_it_was_first_given(worker, leader):
    case, plan = approved_plan(worker, leader)
    first = register.number_decision("mau-05", case, plan, 2026, worker).number
    other_case, other_plan = approved_plan(worker, leader)
    register.number_decision("mau-05", other_case, other_plan, 2026, worker)
    assert register.number_decision("mau-05", case, plan, 2026, worker).number == first == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DecisionNumber)) == 2


def test_each_unit_keeps_its_own_register(worker, leader, make_user):
    other_worker = make_user("worker", unit="10966")
    other_leader = with_office(make_user("commune_leader", unit="10966"), "chairman")
    case, plan = approved_plan(worker, leader)
    other_case, other_plan = approved_plan(other_worker, other_leader)
    assert register.number_decision("mau-05", case, plan, 2026, worker).number == 1
    assert register.number_decision("mau-05", other_case, other_plan, 2026, other_worker).number == 1


def test_each_year_starts_again_at_one(worker, leader):
    case, plan = approved_plan(worker, leader)
    register.number_decision("mau-05", case, plan, 2026, worker)
    later_case, later_plan = approved_plan(worker, leader)
    line = register.number_decision("mau-05", later_case, later_plan, 2027, worker)
    assert (line.year, line.number, line.label) == (2027, 1, "1/QĐ-UBND")


def test_the_register_refuses_a_number_given_twice_in_a_unit_and_year(worker, leader):
    case, plan = approved_plan(worker, leader)
    line = register.number_decision("mau-05", case, plan, 2026, worker)
    other_case, measure = isolation(worker, leader)
    db.session.add(DecisionNumber(unit_id=line.unit_id, year=2026, number=1, form="mau-07", case=other_case,
                                  emergency_measure_id=measure.id, assigned_by_id=worker.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_year_is_that_of_the_decision_not_of_the_printing(client, sign_in, worker, leader):
    case, plan = approved_plan(worker, leader)
    plan.decided_at = utcnow() - timedelta(days=400)
    db.session.commit()
    sign_in(worker)
    client.get(f"/cases/{case.reference}/documents/mau-05.pdf")
    assert register.number_of(plan).year == plan.decided_at.astimezone(services.local_zone()).year


def _print_at_once(app, make_user, paths: list[str]) -> list[int]:
    """Each path printed by its own person, all starting at the same moment."""
    from tests.api.test_cases import token_for

    people = [make_user("supervisor") for _ in paths]
    tokens = [token_for(app.test_client(), person) for person in people]
    start = threading.Barrier(len(paths))
    statuses = []

    def print_one(path, auth):
        client = app.test_client()
        start.wait()
        statuses.append(client.get(path, headers=auth).status_code)

    threads = [threading.Thread(target=print_one, args=pair) for pair in zip(paths, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.postgresql_only
def test_two_decisions_printed_at_once_get_two_consecutive_numbers(app, make_user, worker, leader):
    cases = [approved_plan(worker, leader)[0] for _ in range(2)]
    statuses = _print_at_once(app, make_user, [f"/api/v1/cases/{case.reference}/documents/mau-05.pdf"
                                               for case in cases])
    assert statuses == [200, 200]
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(DecisionNumber.number))) == [1, 2]


@pytest.mark.postgresql_only
def test_one_decision_printed_twice_at_once_gets_one_number_and_uses_up_none(app, make_user, worker, leader):
    case, plan = approved_plan(worker, leader)
    path = f"/api/v1/cases/{case.reference}/documents/mau-05.pdf"
    assert _print_at_once(app, make_user, [path, path]) == [200, 200]
    db.session.expire_all()
    assert list(db.session.scalars(sa.select(DecisionNumber.number))) == [1]
    assert db.session.scalar(sa.select(DecisionSequence.last)) == 1
    next_case, next_plan = approved_plan(worker, leader)
    assert register.number_decision("mau-05", next_case, next_plan, decision_day(plan).year, worker).number == 2
