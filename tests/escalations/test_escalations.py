"""Escalation: the sweep raises what is late, once; people raise cases by hand and acknowledge them."""
from datetime import timedelta, timezone

import pytest

from app.cases.services import Invalid, NotAllowed, WrongState
from app.escalations import services
from app.escalations.models import Escalation
from app.extensions import db
from app.orm import utcnow
from tests.factories import make_case, make_referral


@pytest.fixture
def worker(make_user):
    return make_user("worker")


def late_case(worker, days=7):
    """A case whose initial assessment (due 2 working days after the report) is overdue."""
    return make_case(worker, received_at=utcnow() - timedelta(days=days))


def escalations():
    return list(db.session.scalars(db.select(Escalation).order_by(Escalation.id)))


def test_a_missed_deadline_raises_the_case_to_the_unit_above(worker):
    case = late_case(worker)
    result = services.sweep()
    [escalation] = escalations()
    assert result.raised == [escalation.id]
    assert escalation.case_id == case.id and escalation.to_unit.code == "295" and escalation.automatic
    assert escalation.from_unit.code == "10933" and escalation.level == 1


def test_a_deadline_not_yet_passed_raises_nothing(worker):
    late_case(worker, days=0)
    assert services.sweep().raised == [] and escalations() == []


def test_running_the_sweep_twice_raises_nothing_twice(worker):
    late_case(worker)
    services.sweep()
    second = services.sweep()
    assert second.raised == [] and len(escalations()) == 1



def test_the_sweep_s_statements_do_not_grow_with_the_late_cases(worker):
    import sqlalchemy as sa

    def most_parameters_in_a_query() -> int:
        counts = []

        def count(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT"):
                counts.append(len(parameters or ()))

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            services.sweep()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return max(counts)

    late_case(worker)
    few = most_parameters_in_a_query()
    for _ in range(6):
        late_case(worker)
    assert most_parameters_in_a_query() == few

def test_what_the_sweep_raises_is_filed_under_its_case_in_the_trail(worker):
    from tests.factories import audit_entries

    case = late_case(worker)
    first = services.sweep().raised[0]
    services.sweep(utcnow() + timedelta(days=5))
    entries = audit_entries(entity="escalations", action="create")
    assert str(first) in {entry.entity_id for entry in entries} and len(entries) == 2
    assert {(entry.case_ref, entry.unit_path) for entry in entries} == {(case.reference, case.unit.path)}


def test_a_deadline_set_again_after_it_was_raised_is_raised_again(worker):
    from app.cases.services import _set_deadline

    case = late_case(worker)
    services.sweep()
    _set_deadline(case, "initial_assessment", utcnow() - timedelta(minutes=5))
    db.session.commit()
    assert len(services.sweep().raised) == 1 and len(escalations()) == 2


def test_the_database_names_a_missed_deadline_as_the_sweep_does(worker):
    import sqlalchemy as sa

    from app.cases.models import Deadline
    from app.escalations.models import deadline_trigger, deadline_trigger_in_sql

    case = late_case(worker)
    deadline = case.deadline("initial_assessment")
    for due_at in (utcnow().replace(second=59, microsecond=999_999), utcnow().astimezone(timezone(timedelta(hours=7)))):
        deadline.due_at = due_at
        db.session.commit()
        in_sql = db.session.scalar(sa.select(deadline_trigger_in_sql(Deadline.name, Deadline.due_at))
                                   .where(Deadline.id == deadline.id))
        assert in_sql == deadline_trigger("initial_assessment", due_at)


def test_a_closed_case_is_not_raised(worker):
    case = late_case(worker)
    case.status = "closed"
    db.session.commit()
    assert services.sweep().raised == []


def test_an_escalation_nobody_acknowledges_in_a_working_day_goes_one_level_higher(worker):
    late_case(worker)
    services.sweep()
    later = utcnow() + timedelta(days=5)
    result = services.sweep(later)
    first, second = escalations()
    assert result.raised == [second.id]
    assert second.to_unit.code == "30" and second.previous_id == first.id and second.level == 2
    assert services.sweep(later + timedelta(days=5)).raised == [], "the province has nothing above it"


def test_an_acknowledged_escalation_is_not_raised_higher(worker, make_user):
    late_case(worker)
    services.sweep()
    services.acknowledge(escalations()[0], make_user("supervisor"), "Đã gọi xã.")
    assert services.sweep(utcnow() + timedelta(days=5)).raised == []


def test_a_referral_not_approved_in_time_is_raised_above_the_approver(worker):
    referral = make_referral(make_case(worker), worker, to="10510", urgent=True)
    services.sweep(referral.approval_due_at + timedelta(minutes=1))
    raised = [e for e in escalations() if e.trigger == f"referral:{referral.id}:approval"]
    assert [e.to_unit.code for e in raised] == ["30"]


def test_a_referral_not_answered_in_time_is_raised_above_the_receiver(worker):
    referral = make_referral(make_case(worker), worker, to="10510", urgent=True)
    services.sweep(referral.answer_due_at + timedelta(minutes=1))
    raised = [e for e in escalations() if e.trigger == f"referral:{referral.id}:answer"]
    assert [e.to_unit.code for e in raised] == ["288"]


def test_a_worker_escalates_by_hand_with_a_reason(worker):
    escalation = services.raise_by_hand(make_case(worker), worker, "Gia đình đe doạ cán bộ.")
    assert escalation.to_unit.code == "295" and not escalation.automatic and escalation.raised_by_id == worker.id


def test_escalating_by_hand_needs_a_reason(worker):
    with pytest.raises(Invalid):
        services.raise_by_hand(make_case(worker), worker, " ")
    assert escalations() == []


def test_an_inspector_cannot_escalate(worker, make_user):
    with pytest.raises(NotAllowed):
        services.raise_by_hand(make_case(worker), make_user("inspector"), "Lý do")


def test_only_someone_of_the_unit_raised_to_acknowledges(worker, make_user):
    escalation = services.raise_by_hand(make_case(worker), worker, "Lý do")
    with pytest.raises(NotAllowed):
        services.acknowledge(escalation, make_user("supervisor", unit="288"))
    with pytest.raises(NotAllowed):
        services.acknowledge(escalation, make_user("province_officer"))
    services.acknowledge(escalation, make_user("supervisor"))
    assert escalation.acknowledged_by is not None


def test_an_escalation_is_acknowledged_once(worker, make_user):
    escalation = services.raise_by_hand(make_case(worker), worker, "Lý do")
    services.acknowledge(escalation, make_user("supervisor"))
    with pytest.raises(WrongState):
        services.acknowledge(escalation, make_user("supervisor"))


def test_the_sweep_records_each_escalation_in_the_audit_trail(worker):
    from tests.factories import audit_entries

    late_case(worker)
    services.sweep()
    services.sweep()
    assert len(audit_entries(entity="escalations", action="create")) == 1


@pytest.mark.postgresql_only
def test_two_sweeps_at_once_raise_each_escalation_once(app, worker):
    import threading

    from tests.factories import audit_entries

    for _ in range(6):
        late_case(worker)
    start = threading.Barrier(2)
    raised, errors = [], []

    def run():
        with app.app_context():
            try:
                start.wait()
                raised.extend(services.sweep().raised)
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(raised) == 6 == len(set(raised))
    assert len(escalations()) == 6 and len(audit_entries(entity="escalations", action="create")) == 6


def test_the_escalate_command_reports_what_it_raised(runner, worker):
    late_case(worker)
    first = runner.invoke(args=["escalate"])
    second = runner.invoke(args=["escalate"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "1" in first.output and len(escalations()) == 1


def test_a_late_referral_of_a_closed_case_is_not_raised(worker):
    case = make_case(worker)
    referral = make_referral(case, worker, to="10510", urgent=True)
    case.status = "closed"
    db.session.commit()
    assert services.sweep(referral.answer_due_at + timedelta(days=3)).raised == []


def test_a_closed_case_cannot_be_escalated_by_hand(worker):
    case = make_case(worker)
    case.status = "closed"
    db.session.commit()
    with pytest.raises(WrongState):
        services.raise_by_hand(case, worker, "Lý do")


def test_the_unit_a_case_is_raised_to_may_read_it(worker, make_user):
    from app.access import scoped_cases
    from app.cases.models import Case

    case = make_case(worker)
    referral = make_referral(case, worker, to="10510", urgent=True)
    services.sweep(referral.answer_due_at + timedelta(minutes=1))
    district_of_receiver = make_user("supervisor", unit="288")
    assert db.session.scalar(scoped_cases(district_of_receiver).where(Case.id == case.id)) is not None


def test_an_escalation_acknowledged_while_the_sweep_runs_is_not_raised_higher(app, worker, make_user, monkeypatch):
    import threading

    late_case(worker)
    services.sweep()
    supervisor_id = make_user("supervisor").id
    later = utcnow() + timedelta(days=5)
    seen = services._unanswered(later)  # what the sweep read before someone acknowledged
    number = seen[0].id

    def acknowledge_elsewhere():
        with app.app_context():
            from app.users.models import User
            services.acknowledge(db.session.get(Escalation, number), db.session.get(User, supervisor_id))
            db.session.remove()

    db.session.commit()
    thread = threading.Thread(target=acknowledge_elsewhere)
    thread.start()
    thread.join()
    monkeypatch.setattr(services, "_unanswered", lambda now: seen)
    assert services.sweep(later).raised == []


def test_the_sweeps_reasons_are_shown_in_the_readers_language(app, worker):
    from flask_babel import force_locale

    case = late_case(worker)
    services.sweep()
    services.sweep(utcnow() + timedelta(days=5))
    first, higher = escalations()
    assert "Quá hạn" in first.reason  # stored as the command wrote it, in Vietnamese
    with app.test_request_context(), force_locale("en"):
        assert first.explanation == f"Deadline missed: Initial assessment (local standard) (case {case.reference})."
        assert higher.explanation == f"Not acknowledged in time: {first.explanation}"


def test_a_reason_written_by_a_person_is_shown_as_written(app, worker):
    from flask_babel import force_locale

    escalation = services.raise_by_hand(make_case(worker), worker, "Gia đình không hợp tác.")
    with app.test_request_context(), force_locale("en"):
        assert escalation.explanation == "Gia đình không hợp tác."


def test_listing_escalations_with_their_explanations_takes_as_many_statements_for_many_as_for_few(worker, make_user):
    import sqlalchemy as sa

    inspector = make_user("inspector")

    def statements_to_explain() -> int:
        db.session.expire_all()
        statements = []

        def count(*args):
            statements.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            [escalation.explanation for escalation in services.listing(inspector, False)]
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    def raise_two_levels(cases: int) -> None:
        for _ in range(cases):
            late_case(worker)
        services.sweep()
        services.sweep(utcnow() + timedelta(days=5))

    raise_two_levels(1)
    few = statements_to_explain()
    raise_two_levels(4)
    assert len(services.listing(inspector, False)) == 10 and statements_to_explain() == few
