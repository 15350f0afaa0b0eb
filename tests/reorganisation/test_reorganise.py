"""Carrying Hải Dương's records into Hải Phòng's two-level structure (issue 16): nothing open is left without a unit
that can act on it, closed cases are read by exactly their successors, and nothing moves twice."""
import sqlalchemy as sa

from app.access import Role, referral_parties, scoped_cases, scoped_users
from app.audit.services import verify_chain
from app.cases.models import Case
from app.cases.workflow import OPEN_STATUSES
from app.escalations.models import Escalation
from app.escalations.services import raise_by_hand
from app.extensions import db
from app.referrals.models import Provider, Referral
from app.referrals.workflow import APPROVER
from app.reorganisation import services
from app.reorganisation.models import Move
from app.units.models import Unit, UnitEnding
from app.units.services import active_edition, name_in_its_time
from app.users.models import User
from tests.factories import audit_entries, make_case, make_provider, make_referral, unit
from tests.reorganisation.conftest import CAM_GIANG, DIVIDED, MAO_DIEN, UNNAMED, WHOLE

TAN_VIET_DISTRICT = "296"  # Huyện Bình Giang


def reorganise():
    return services.reorganise("2024", "2025", "30")


def readable(user, case) -> bool:
    db.session.refresh(user)
    return db.session.scalar(scoped_cases(user).where(Case.id == case.id)) is not None


def close(case):
    case.status = "closed"
    db.session.commit()


def test_the_preview_counts_per_old_unit_and_changes_nothing(successions, divided_case, whole_case):
    entries = len(audit_entries())

    plan = services.preview("2024", "2025", "30")

    rows = {row.unit.code: row for row in plan.units}
    assert (rows[DIVIDED].rule, rows[DIVIDED].open_cases, rows[DIVIDED].waiting) == ("partial", 1, 1)
    assert [unit.code for unit in rows[DIVIDED].successors] == [CAM_GIANG, MAO_DIEN]
    assert (rows[WHOLE].rule, rows[WHOLE].heir.code, rows[WHOLE].moving) == ("full", WHOLE, 1)
    assert rows[UNNAMED].rule == "unknown"
    assert rows["30"].heir.code == "31"
    assert plan.total("open_cases") == 2 and plan.total("accounts_closed") == 1
    assert len(audit_entries()) == entries
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitEnding)) == 0


def test_the_preview_counts_each_open_referral_and_escalation_at_every_unit_it_names_once(
        successions, whole_case, whole_worker):
    make_referral(whole_case, whole_worker, to=TAN_VIET_DISTRICT)
    raise_by_hand(whole_case, whole_worker, "Trẻ vẫn gặp nguy hiểm.")

    rows = {row.unit.code: row for row in services.preview("2024", "2025", "30").units}

    assert (rows[WHOLE].referrals, rows[WHOLE].escalations) == (1, 1)
    assert (rows[TAN_VIET_DISTRICT].referrals, rows[TAN_VIET_DISTRICT].escalations) == (1, 1)
    assert (rows[DIVIDED].referrals, rows[DIVIDED].escalations) == (0, 0)


def test_a_reorganisation_needs_the_province_s_successor(units):
    import pytest

    with pytest.raises(services.CannotReorganise):
        reorganise()


def test_an_open_case_of_a_wholly_succeeded_commune_moves_to_its_successor_keeping_its_reference(
        successions, whole_case):
    reference = whole_case.reference

    reorganise()

    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    assert (case.unit.edition, case.unit.code) == ("2025", WHOLE)
    assert case.child.address_unit == case.unit


def test_an_open_case_of_a_divided_commune_waits_at_the_new_province(successions, divided_case):
    reorganise()

    db.session.refresh(divided_case)
    move = db.session.scalar(sa.select(Move).where(Move.case_id == divided_case.id, Move.entity == "cases"))
    assert (divided_case.unit.edition, divided_case.unit.code) == ("2025", "31")
    assert (move.rule, move.waiting, move.from_unit.code) == ("partial", True, DIVIDED)


def test_an_open_case_of_a_commune_the_succession_does_not_name_waits_at_the_new_province(successions, make_user):
    case = make_case(make_user("worker", unit=UNNAMED))

    reorganise()

    db.session.refresh(case)
    move = db.session.scalar(sa.select(Move).where(Move.case_id == case.id, Move.entity == "cases"))
    assert case.unit.code == "31" and move.rule == "unknown" and move.waiting


def test_nothing_open_is_left_at_an_ended_unit(successions, worker, divided_case, whole_case, whole_worker,
                                                make_user):
    make_provider()
    make_referral(whole_case, whole_worker)
    raise_by_hand(divided_case, worker, "Trẻ vẫn gặp nguy hiểm.")
    make_user("supervisor")

    reorganise()

    old = sa.select(Unit.id).where(Unit.edition == "2024")
    assert not db.session.scalar(sa.select(sa.func.count()).where(Case.unit_id.in_(old),
                                                                  Case.status.in_(OPEN_STATUSES)))
    assert not db.session.scalar(sa.select(sa.func.count()).where(User.unit_id.in_(old), User.active))
    assert not db.session.scalar(sa.select(sa.func.count()).where(Provider.unit_id.in_(old)))
    assert not db.session.scalar(sa.select(sa.func.count()).where(
        Referral.status.in_(services.OPEN_REFERRALS),
        sa.or_(Referral.from_unit_id.in_(old), Referral.receiving_unit_id.in_(old))))
    assert not db.session.scalar(sa.select(sa.func.count()).where(
        Escalation.acknowledged_at.is_(None), sa.or_(Escalation.to_unit_id.in_(old),
                                                     Escalation.from_unit_id.in_(old))))


def test_every_unit_of_the_old_province_ends_with_an_heir_on_1_july_2025(successions):
    from datetime import date

    reorganise()

    endings = db.session.scalars(sa.select(UnitEnding)).all()
    assert len(endings) == 248
    assert {ending.ended_on for ending in endings} == {date(2025, 7, 1)}
    assert all(ending.heir.edition == "2025" for ending in endings)


def test_a_closed_case_of_a_whole_commune_is_read_by_its_successor_and_not_by_its_neighbours(
        successions, whole_case, make_user):
    close(whole_case)
    reorganise()
    successor_worker = make_user("worker", unit=WHOLE)  # looked up in the list in force: 2025
    neighbour = make_user("worker", unit=MAO_DIEN)
    officer = make_user("province_officer", unit="31")

    assert successor_worker.unit.edition == "2025"
    assert readable(successor_worker, whole_case)
    assert readable(officer, whole_case)
    assert not readable(neighbour, whole_case)


def test_a_closed_case_of_a_divided_commune_is_read_by_the_province_and_by_none_of_its_successors(
        successions, divided_case, make_user):
    close(divided_case)
    reorganise()

    assert readable(make_user("province_officer", unit="31"), divided_case)
    assert readable(make_user("inspector", unit="31"), divided_case)
    assert not readable(make_user("worker", unit=MAO_DIEN), divided_case)
    assert not readable(make_user("worker", unit=CAM_GIANG), divided_case)


def test_the_old_province_s_trail_is_read_by_the_new_province_s_inspector(successions, whole_case, make_user):
    from app.access import scoped_audit_entries
    from app.audit.models import AuditEntry

    reorganise()
    inspector = make_user("inspector", unit="31")

    about_case = scoped_audit_entries(inspector).where(AuditEntry.case_ref == whole_case.reference,
                                                       AuditEntry.unit_path.startswith("2024/"))
    assert db.session.scalars(about_case).first() is not None


def test_a_referral_pending_approval_at_an_abolished_district_goes_to_the_province_supervisor(
        successions, whole_case, whole_worker, make_user):
    supervisor = make_user("supervisor", unit=TAN_VIET_DISTRICT)
    referral = make_referral(whole_case, whole_worker, to=TAN_VIET_DISTRICT)
    assert referral.status == "pending_approval" and APPROVER in referral_parties(supervisor, referral)

    reorganise()

    db.session.refresh(supervisor)
    db.session.refresh(referral)
    assert (supervisor.unit.code, supervisor.unit.level, supervisor.active) == ("31", "province", True)
    assert referral.from_unit.edition == "2025" and referral.receiving_unit.code == "31"
    assert APPROVER in referral_parties(supervisor, referral)


def test_an_open_escalation_to_an_abolished_district_is_re_addressed_to_the_province(
        successions, whole_case, whole_worker):
    escalation = raise_by_hand(whole_case, whole_worker, "Trẻ vẫn gặp nguy hiểm.")
    assert escalation.to_unit.code == TAN_VIET_DISTRICT

    reorganise()

    db.session.refresh(escalation)
    assert (escalation.to_unit.edition, escalation.to_unit.code) == ("2025", "31")


def test_accounts_of_a_whole_commune_and_of_the_province_move(successions, whole_worker, make_user):
    officer = make_user("province_officer")

    reorganise()

    for account in (whole_worker, officer):
        db.session.refresh(account)
        assert account.active and account.unit.edition == "2025"
    assert (whole_worker.unit.code, officer.unit.code) == (WHOLE, "31")


def test_accounts_of_a_divided_commune_are_closed_signed_out_and_shown_to_the_new_province_s_admin(
        successions, worker, make_user):
    admin = make_user("admin")
    version = worker.session_version

    reorganise()

    db.session.refresh(worker)
    db.session.refresh(admin)
    assert not worker.active and worker.session_version == version + 1
    assert worker.unit.code == DIVIDED
    assert worker in db.session.scalars(scoped_users(admin)).all()


def test_an_officer_of_a_district_is_closed_rather_than_given_a_whole_province(successions, make_user):
    district_officer = make_user("province_officer", unit="295")

    reorganise()

    db.session.refresh(district_officer)
    assert not district_officer.active


def test_providers_move_with_their_unit(successions):
    provider = make_provider()  # of district 295

    reorganise()

    db.session.refresh(provider)
    assert (provider.unit.edition, provider.unit.code) == ("2025", "31")


def test_every_move_is_an_entry_naming_the_old_unit_the_new_unit_the_rule_and_the_run(successions, whole_case):
    result = reorganise()

    entry = audit_entries(entity="reorganisation_moves", case_ref=whole_case.reference)[0]
    assert f'"run_id": [null, {result.run.id}]' in entry.changes
    assert '"rule": [null, "full"]' in entry.changes
    for name in ("from_unit_id", "to_unit_id"):
        assert f'"{name}": [null, ' in entry.changes


def test_a_child_whose_address_follows_the_case_is_filed_under_the_successor_commune(successions, whole_case):
    reorganise()

    entry = audit_entries(entity="children", entity_id=str(whole_case.child_id))[-1]
    assert '"address_unit_id": [' in entry.changes
    assert entry.unit_path == unit(WHOLE, "2025").path


def test_the_audit_chain_verifies_after_the_run(successions, divided_case, whole_case):
    reorganise()

    assert verify_chain().ok


def test_a_second_run_changes_nothing(successions, divided_case, whole_case):
    reorganise()
    entries = len(audit_entries())

    again = reorganise()

    assert again.run is None
    assert len(audit_entries()) == entries


def test_a_run_stopped_halfway_is_finished_by_the_next_without_moving_anything_twice(
        successions, divided_case, whole_case, monkeypatch):
    import pytest

    carry_out = services._carry_out
    done = []

    def stop_after_ten(*args):
        if len(done) == 10:
            raise RuntimeError("the connection was lost")
        done.append(args)
        return carry_out(*args)

    monkeypatch.setattr(services, "_carry_out", stop_after_ten)
    with pytest.raises(RuntimeError):
        reorganise()
    db.session.rollback()
    monkeypatch.setattr(services, "_carry_out", carry_out)

    reorganise()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitEnding)) == 248
    assert db.session.scalar(sa.select(sa.func.count()).where(Move.entity == "cases")) == 2


def test_after_the_run_the_list_in_force_is_the_new_one(successions):
    assert active_edition() == "2024"

    reorganise()

    assert active_edition() == "2025"


def test_a_new_case_in_a_hai_phong_commune_takes_the_new_province_s_prefix(successions, whole_case, whole_worker):
    reorganise()
    db.session.refresh(whole_worker)

    case = make_case(whole_worker)

    assert case.reference.startswith(f"HP-{WHOLE}-")
    assert whole_case.reference.startswith(f"HD-{WHOLE}-")


def test_a_unit_ended_by_the_run_is_named_as_it_was_then(successions):
    reorganise()

    assert name_in_its_time(unit(DIVIDED)) == "Xã Cẩm Phúc, huyện Cẩm Giàng (trước 01/07/2025)"
    assert name_in_its_time(unit(MAO_DIEN, "2025")) == "Xã Mao Điền"


def test_a_role_of_the_province_places_the_waiting_case_and_the_commune_s_worker_then_reads_it(
        successions, divided_case, make_user):
    reorganise()
    officer = make_user("province_officer", unit="31")
    mao_dien_worker = make_user("worker", unit=MAO_DIEN)
    move = services.waiting_cases(officer)[0]
    suggested, others = services.communes_for(move)
    assert [unit.code for unit in suggested] == [CAM_GIANG, MAO_DIEN]
    assert len(suggested) + len(others) == 114

    services.place(move, unit(MAO_DIEN, "2025"), officer)

    assert readable(mao_dien_worker, divided_case)
    assert not services.waiting_cases(officer)
    entry = audit_entries(entity="reorganisation_moves")[-1]
    assert entry.action == "update" and f'"decided_by_id": [null, {officer.id}]' in entry.changes


def test_a_placed_case_s_referral_pending_approval_leaves_from_its_commune_for_the_province_supervisor(
        successions, divided_case, worker, make_user):
    referral = make_referral(divided_case, worker, to=worker.unit.parent.code)
    reorganise()
    officer, supervisor = make_user("province_officer", unit="31"), make_user("supervisor", unit="31")

    services.place(services.waiting_cases(officer)[0], unit(MAO_DIEN, "2025"), officer)

    db.session.refresh(referral)
    assert (referral.status, referral.from_unit.code) == ("pending_approval", MAO_DIEN)
    assert APPROVER in referral_parties(supervisor, referral)


def test_a_supervisor_of_the_province_may_place_a_waiting_case(successions, divided_case, make_user):
    reorganise()
    supervisor = make_user("supervisor", unit="31")

    move = services.waiting_cases(supervisor)[0]
    services.place(move, unit(CAM_GIANG, "2025"), supervisor)

    assert divided_case.unit.code == CAM_GIANG


def test_a_waiting_case_goes_only_to_a_commune_of_the_province_that_holds_it(successions, divided_case, make_user):
    import pytest

    from app.cases.services import Invalid

    reorganise()
    officer = make_user("province_officer", unit="31")
    move = services.waiting_cases(officer)[0]

    for elsewhere in (unit("31", "2025"), unit(WHOLE, "2024"), None):
        with pytest.raises(Invalid):
            services.place(move, elsewhere, officer)
    assert move.waiting


def test_a_commune_worker_cannot_place_a_waiting_case(successions, divided_case, make_user):
    import pytest

    from app.cases.services import NotAllowed

    reorganise()
    officer = make_user("province_officer", unit="31")
    move = services.waiting_cases(officer)[0]

    with pytest.raises(NotAllowed):
        services.place(move, unit(MAO_DIEN, "2025"), make_user("worker", unit=MAO_DIEN))
    assert not services.waiting_cases(make_user("worker", unit=MAO_DIEN))


def test_the_roles_that_place_waiting_cases():
    from app.access import role_can

    assert {role for role in Role if role_can(role, "cases.place")} == {Role.PROVINCE_OFFICER, Role.SUPERVISOR}
