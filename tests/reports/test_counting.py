"""Counting a report's figures: on PostgreSQL several connections at once, all reading one snapshot."""
import pytest
import sqlalchemy as sa

from app.reports import sql


@pytest.mark.postgresql_only
def test_the_figures_are_counted_on_several_connections_from_one_snapshot(app):
    # Each query holds its connection long enough for the other connection to take the next one.
    query = sa.select(sa.func.pg_backend_pid(), sa.cast(sa.func.pg_current_snapshot(), sa.Text),
                      sa.func.current_setting("transaction_read_only")).select_from(sa.func.pg_sleep(0.5))
    with app.test_request_context():
        answers = sql.count_all({"first": query, "second": query})
    (first_pid, first_snapshot, first_read_only), = answers["first"]
    (second_pid, second_snapshot, second_read_only), = answers["second"]
    assert first_pid != second_pid
    assert first_snapshot == second_snapshot
    assert first_read_only == second_read_only == "on"


@pytest.mark.postgresql_only
def test_a_query_that_fails_on_a_helper_connection_fails_the_count(app):
    failing = sa.select(sa.literal_column("1") / 0).select_from(sa.func.pg_sleep(0.2))
    with app.test_request_context(), pytest.raises(sa.exc.DataError):
        sql.count_all({"first": sa.select(sa.literal(1)).select_from(sa.func.pg_sleep(0.2)), "second": failing})


def test_each_querys_rows_come_back_under_its_name(app):
    queries = {name: sa.select(sa.literal(number)) for number, name in enumerate(("one", "two", "three"), 1)}
    with app.test_request_context():
        answers = sql.count_all(queries)
    assert answers == {"one": [(1,)], "two": [(2,)], "three": [(3,)]}
