"""The statistics' facts of each case follow every change to what they copy, in the same transaction."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.cases import services
from app.children.services import update_child
from app.deadlines.services import local_zone
from app.extensions import db
from app.orm import utcnow
from app.referrals import services as referrals
from app.reports import statistics
from app.reports.facts import CATEGORY_BITS, CaseFacts, facts_of
from tests.factories import child_details, make_case, make_referral, migration



def stored() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.select(*CaseFacts.__table__.c).order_by(CaseFacts.case_id))]


def read_afresh() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(facts_of().order_by(sa.text("1")))]


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933")


def test_every_category_has_its_own_bit():
    assert len(set(CATEGORY_BITS.values())) == len(CATEGORY_BITS)
    assert all(bit & (bit - 1) == 0 for bit in CATEGORY_BITS.values())


def test_a_new_case_has_its_facts_at_once(worker):
    case = make_case(worker, categories=["violence", "neglect"])
    (facts,) = stored()
    assert facts[0] == case.id and facts[5] == CATEGORY_BITS["violence"] | CATEGORY_BITS["neglect"]
    assert stored() == read_afresh()


def test_the_facts_follow_categories_assessments_child_corrections_and_transfers(worker, make_user):
    case, other = make_case(worker), make_case(worker)
    services.edit_case(case, worker, {"categories": ["trafficking", "exploitation"]}, case.version)
    services.assess(case, worker, {}, None, case.version)
    update_child(other.child, child_details(sex="female", date_of_birth=date(2012, 1, 9)), date.today(),
                 other.child.version)
    db.session.commit()
    supervisor = make_user("supervisor")
    transfer = make_referral(other, worker, to="10510", transfer=True)
    referrals.act(transfer, supervisor, "approve")
    referrals.act(transfer, make_user("worker", unit="10510"), "accept")
    assert stored() == read_afresh()
    facts = {row[0]: row for row in stored()}
    assert facts[case.id][5] == CATEGORY_BITS["trafficking"] | CATEGORY_BITS["exploitation"]
    assert facts[case.id][6] is not None
    assert facts[other.id][3] == "female" and facts[other.id][1] == other.unit_id


def test_correcting_a_birth_date_moves_the_case_to_another_age_group(worker, make_user):
    case = make_case(worker)  # the factory's child was born in 2015
    today = utcnow().astimezone(local_zone()).date()  # the app's day, which the period is counted in
    update_child(case.child, child_details(date_of_birth=today.replace(year=today.year - 3)), today,
                 case.child.version)
    db.session.commit()
    figures = statistics.report(make_user("supervisor"), None, statistics.Period.between(today - timedelta(days=9),
                                                                                        today), utcnow())
    ages = {row.key: row.values[0] for row in figures.table("new_by_age").rows}
    assert ages["under_6"] == 1 and ages["6_10"] == 0


def test_the_migration_fills_the_facts_as_the_application_writes_them(worker):
    for categories in (["violence"], ["other", "abandonment"], ["sexual_abuse"]):
        case = make_case(worker, categories=categories)
    services.assess(case, worker, {}, None, case.version)
    written = stored()
    revision = migration("b3f1c9d2e7a4")
    db.session.execute(sa.delete(CaseFacts))
    db.session.execute(sa.text(revision.backfill(db.engine.dialect.name, "Asia/Ho_Chi_Minh")))
    assert stored() == written
    db.session.rollback()


def test_rebuild_facts_reads_every_case_again(runner, worker):
    case = make_case(worker)
    db.session.execute(sa.update(CaseFacts).values(child_age=99))  # as a change by hand would leave them
    db.session.commit()
    result = runner.invoke(args=["reports", "rebuild-facts"])
    assert result.exit_code == 0 and "1" in result.output
    assert stored() == read_afresh() and stored()[0][0] == case.id


@pytest.mark.postgresql_only
def test_two_transactions_rewriting_one_cases_facts_do_not_collide(app, worker):
    import threading

    from app.reports.facts import rewrite

    case = make_case(worker)
    engine = db.engine
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        rewrite(first, [case.id])
        second.begin()
        done = []

        def rewrite_second():
            with app.app_context():
                rewrite(second, [case.id])
            done.append(True)

        waiting = threading.Thread(target=rewrite_second)
        waiting.start()
        waiting.join(0.3)
        assert not done, "the second waits for the first"
        first.commit()
        waiting.join(5)
        second.commit()
    assert done and stored() == read_afresh()


def test_check_facts_finds_a_case_changed_behind_the_applications_back(runner, worker):
    make_case(worker)
    make_case(worker)
    assert runner.invoke(args=["reports", "check-facts"]).exit_code == 0
    db.session.execute(sa.update(CaseFacts).where(CaseFacts.case_id == stored()[0][0]).values(child_age=99))
    db.session.commit()
    result = runner.invoke(args=["reports", "check-facts"])
    assert result.exit_code == 1 and "1" in result.output
