"""The register's facts (one row per membership and per support) follow every change to what they copy, in the
same transaction."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.register import services as register
from app.reports.register_facts import RegisterFacts, facts_of
from tests.factories import migration, register_child, unit


def stored() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.select(*RegisterFacts.__table__.c)
                                                     .order_by(RegisterFacts.part, RegisterFacts.part_id))]


def read_afresh() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(facts_of().order_by(sa.text("1"), sa.text("2")))]


def rows_of(entry) -> dict[tuple[str, str], tuple]:
    return {(row.part, row.key): (row.first_on, row.last_on, row.unit_id, row.confirmed)
            for row in db.session.scalars(sa.select(RegisterFacts).where(RegisterFacts.entry_id == entry.id))}


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933")


def test_a_new_entry_has_a_row_per_group_at_once(worker):
    since = date.today() - timedelta(days=30)
    entry = register_child(worker, group="disabled", since=since)
    assert rows_of(entry) == {("group", "disabled"): (since, None, entry.unit_id, True)}
    assert stored() == read_afresh()


def test_a_group_joined_adds_a_row(worker):
    entry = register_child(worker)
    register.add_group(entry, register.Membership("hiv", None, date.today()), date.today())
    assert set(rows_of(entry)) == {("group", "orphaned"), ("group", "hiv")}
    assert stored() == read_afresh()


def test_a_group_left_ends_its_row(worker):
    today = date.today()
    entry = register_child(worker, since=today - timedelta(days=100))
    register.leave_group(entry, entry.groups[0].id, today - timedelta(days=3), "Được nhận làm con nuôi.", today)
    assert rows_of(entry)[("group", "orphaned")][1] == today - timedelta(days=3)
    assert stored() == read_afresh()


def test_a_support_adds_a_row(worker):
    today = date.today()
    entry = register_child(worker)
    register.add_support(entry, register.Support("service", "Tư vấn tâm lý", today - timedelta(days=10), today),
                         today)
    assert rows_of(entry)[("support", "service")][:2] == (today - timedelta(days=10), today)
    assert stored() == read_afresh()


def test_an_entry_moved_to_another_commune_moves_its_rows(worker):
    entry = register_child(worker)
    register.add_support(entry, register.Support("service", "Tư vấn tâm lý", date.today(), None), date.today())
    entry.unit = unit("10510")
    db.session.commit()
    assert {row[2] for row in rows_of(entry).values()} == {unit("10510").id}
    assert stored() == read_afresh()


def test_a_collaborators_entry_counts_once_confirmed(make_user):
    collaborator, worker = make_user("collaborator", unit="10933"), make_user("worker", unit="10933")
    entry = register_child(collaborator)
    assert rows_of(entry)[("group", "orphaned")][3] is False
    register.confirm(worker, entry)
    assert rows_of(entry)[("group", "orphaned")][3] is True
    assert stored() == read_afresh()


def test_the_migration_fills_the_rows_as_the_application_writes_them(worker, make_user):
    entry = register_child(worker, since=date.today() - timedelta(days=40))
    register.add_support(entry, register.Support("service", "Tư vấn tâm lý", date.today(), None), date.today())
    register_child(make_user("collaborator", unit="10933"), group="at_risk")
    written = stored()
    db.session.execute(sa.delete(RegisterFacts))
    db.session.execute(sa.text(migration("4f6b2d8e1a93").BACKFILL))
    assert stored() == written
    db.session.rollback()


def test_rebuild_facts_reads_the_register_again(runner, worker):
    register_child(worker)
    db.session.execute(sa.update(RegisterFacts).values(key="hiv"))  # as a change by hand would leave them
    db.session.commit()
    assert runner.invoke(args=["reports", "rebuild-facts"]).exit_code == 0
    assert stored() == read_afresh() and stored()[0][6] == "orphaned"


@pytest.mark.postgresql_only
def test_two_transactions_rewriting_one_entrys_rows_do_not_collide(app, worker):
    import threading

    from app.reports.register_facts import rewrite

    entry = register_child(worker)
    with db.engine.connect() as first, db.engine.connect() as second:
        first.begin()
        rewrite(first, [entry.id])
        second.begin()
        done = []

        def rewrite_second():
            with app.app_context():
                rewrite(second, [entry.id])
            done.append(True)

        waiting = threading.Thread(target=rewrite_second)
        waiting.start()
        waiting.join(0.3)
        assert not done, "the second waits for the first"
        first.commit()
        waiting.join(5)
        second.commit()
    assert done and stored() == read_afresh()
