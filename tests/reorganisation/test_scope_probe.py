"""Who reads and does what once the reorganisation has run (issue 16): the accounts it closed or moved, the pages
of the reorganisation for each role, the waiting queue against another province's people, a closed case taken up
again, and what keeps running at a province with no unit above it."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.access import scoped_audit_entries, scoped_cases
from app.audit.models import AuditEntry
from app.auth.services import issue_token
from app.cases.models import Case
from app.cases.services import reopen
from app.escalations.services import sweep
from app.extensions import db
from app.orm import utcnow
from app.reorganisation import services
from app.reorganisation.models import Move, Reorganisation
from app.units.models import UnitEnding
from app.units.services import active_edition, load_units
from app.users.services import UserRejected, set_active
from tests.factories import PASSWORD
from tests.reorganisation.conftest import MAO_DIEN, WHOLE

# A second province of each list, for the people of another province.
OTHER_2025 = "code,name,level,parent_code\n99,Tỉnh Thử,province,\n99001,Xã Thử,commune,99\n".encode()
OTHER_2024 = ("code,name,level,parent_code\n98,Tỉnh Cũ,province,\n981,Huyện Cũ,district,98\n"
              "98001,Xã Cũ,commune,981\n").encode()


def reorganise():
    return services.reorganise("2024", "2025", "30")


def close(case):
    case.status = "closed"
    db.session.commit()


def readable(user, case) -> bool:
    return db.session.scalar(scoped_cases(user).where(Case.id == case.id)) is not None


def waiting_move(case) -> Move:
    return db.session.scalar(sa.select(Move).where(Move.case_id == case.id, Move.entity == "cases"))


# Accounts the run closed or moved

def test_an_account_the_run_closed_cannot_sign_in(successions, worker, client):
    reorganise()

    response = client.post("/auth/sign-in", data={"username": worker.username, "password": PASSWORD})

    assert response.status_code != 302


def test_the_run_revokes_the_api_tokens_of_the_accounts_it_closes(successions, worker):
    _raw, token = issue_token(worker)
    db.session.commit()

    reorganise()

    db.session.refresh(token)
    assert token.revoked_at is not None


def test_the_run_ends_the_sessions_and_tokens_of_an_account_it_gives_a_wider_unit(successions, make_user):
    """A district supervisor moved to the province reads the whole province: what it signed in for ends, as when an
    administrator places an account anew."""
    supervisor = make_user("supervisor", unit="296")
    _raw, token = issue_token(supervisor)
    db.session.commit()
    version = supervisor.session_version

    reorganise()

    db.session.refresh(supervisor)
    db.session.refresh(token)
    assert supervisor.unit.code == "31" and supervisor.active
    assert supervisor.session_version > version and token.revoked_at is not None


def test_an_account_closed_at_an_ended_unit_is_placed_anew_rather_than_reactivated_there(successions, worker,
                                                                                           make_user):
    """Reactivated where it was, the worker of the divided Cẩm Phúc would read the commune's closed cases, which
    only the new province reads, and open cases at a commune that no longer exists."""
    reorganise()
    admin = make_user("admin", unit="31")

    with pytest.raises(UserRejected):
        set_active(worker, True, by=admin)

    db.session.refresh(worker)
    assert not worker.active


# The reorganisation's pages for each role

def test_an_administrator_reads_no_child_on_the_reorganisation_pages(successions, divided_case, make_user, client,
                                                                     sign_in):
    sign_in(make_user("admin"))

    overview = client.get("/reorganisation/")

    assert overview.status_code == 200
    assert divided_case.child.full_name not in overview.get_data(as_text=True)
    assert client.get("/reorganisation/waiting").status_code == 403


@pytest.mark.parametrize("role, unit", [("province_officer", "30"), ("admin", "295"), ("inspector", "30"),
                                        ("supervisor", "295"), ("worker", "10933")])
def test_only_an_administrator_of_the_province_itself_carries_out_the_reorganisation(successions, make_user, client,
                                                                                       sign_in, role, unit):
    sign_in(make_user(role, unit=unit))

    assert client.post("/reorganisation/run").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reorganisation)) == 0


def test_the_reorganisation_is_not_carried_out_without_the_form_s_csrf_token(app, successions, make_user, client,
                                                                              sign_in):
    sign_in(make_user("admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/reorganisation/run")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reorganisation)) == 0


@pytest.mark.parametrize("role", ["inspector", "supervisor", "worker"])
def test_the_reorganisation_overview_is_for_the_province_officer_and_the_administrator(successions, make_user,
                                                                                         client, sign_in, role):
    sign_in(make_user(role))

    assert client.get("/reorganisation/").status_code == 403


# The waiting queue against another province's people

def test_a_waiting_case_held_by_another_province_answers_not_found(successions, divided_case, make_user, client,
                                                                   sign_in):
    load_units(OTHER_2025, "2025")
    reorganise()
    move = waiting_move(divided_case)
    sign_in(make_user("province_officer", unit="99"))
    commune = db.session.scalar(sa.select(Move.held_by_id).where(Move.id == move.id))

    response = client.post(f"/reorganisation/waiting/{move.id}", data={f"move{move.id}-commune": str(commune)})

    assert response.status_code == 404
    assert waiting_move(divided_case).waiting


def test_a_waiting_case_is_not_given_to_a_commune_of_another_province(successions, divided_case, make_user, client,
                                                                      sign_in):
    from tests.factories import unit

    load_units(OTHER_2025, "2025")
    reorganise()
    move = waiting_move(divided_case)
    sign_in(make_user("province_officer", unit="31"))

    response = client.post(f"/reorganisation/waiting/{move.id}",
                           data={f"move{move.id}-commune": str(unit("99001", "2025").id)})

    assert response.status_code == 422
    assert waiting_move(divided_case).waiting and divided_case.unit.code == "31"


def test_a_waiting_case_is_not_placed_without_the_form_s_csrf_token(app, successions, divided_case, make_user,
                                                                    client, sign_in):
    from tests.factories import unit

    reorganise()
    move = waiting_move(divided_case)
    sign_in(make_user("province_officer", unit="31"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/reorganisation/waiting/{move.id}",
                               data={f"move{move.id}-commune": str(unit(MAO_DIEN, "2025").id)})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

    assert response.status_code == 400
    assert waiting_move(divided_case).waiting


def test_another_province_s_inspector_reads_none_of_the_old_province_s_trail(successions, whole_case, make_user):
    load_units(OTHER_2025, "2025")
    reorganise()
    inspector = make_user("inspector", unit="99")

    old = scoped_audit_entries(inspector).where(AuditEntry.unit_path.startswith("2024/30/"))
    assert db.session.scalars(old).first() is None
    assert not readable(inspector, whole_case)


def test_through_the_api_a_successor_of_a_divided_commune_reads_none_of_its_closed_cases(
        successions, divided_case, make_user, client):
    close(divided_case)
    reorganise()
    neighbour = make_user("worker", unit=MAO_DIEN)
    officer = make_user("province_officer", unit="31")
    tokens = {}
    for user in (neighbour, officer):
        tokens[user.role], _token = issue_token(user)
    db.session.commit()

    def read(role):
        return client.get(f"/api/v1/cases/{divided_case.reference}",
                          headers={"Authorization": f"Bearer {tokens[role]}"}).status_code

    assert (read("worker"), read("province_officer")) == (404, 200)


# A closed case taken up again

def test_a_closed_case_of_a_whole_commune_reopened_by_its_successor_goes_to_the_successor(successions, whole_case,
                                                                                           make_user):
    """Left at the ended commune, its deadlines would escalate to the abolished district, where nobody sits."""
    close(whole_case)
    reorganise()
    successor_worker = make_user("worker", unit=WHOLE)
    db.session.refresh(whole_case)

    reopen(whole_case, successor_worker, "Trẻ lại bị bỏ mặc.", whole_case.version)

    db.session.refresh(whole_case)
    assert (whole_case.unit.edition, whole_case.unit.code) == ("2025", WHOLE)


# What keeps running at the province, which has no unit above it

def test_a_waiting_case_s_missed_deadline_is_raised_to_the_province_that_holds_it(successions, divided_case):
    reorganise()

    result = sweep(utcnow() + timedelta(days=90))

    assert result.raised
    raised = db.session.scalars(sa.select(Case).where(Case.id == divided_case.id)).one().escalations
    assert raised and {escalation.to_unit.code for escalation in raised} == {"31"}


@pytest.mark.parametrize("role", ["province_officer", "supervisor"])
def test_the_home_page_of_the_province_tells_of_its_waiting_cases(successions, divided_case, make_user, client,
                                                                  sign_in, role):
    reorganise()
    sign_in(make_user(role, unit="31"))

    page = client.get("/")

    assert page.status_code == 200
    assert 'id="waiting-for-commune"' in page.get_data(as_text=True)


# The list in force

def test_a_run_stopped_after_its_last_unit_still_puts_the_new_list_in_force(successions, monkeypatch):
    """The province is carried out last: a run lost between its step and the run's own end is finished by the next,
    which finds no unit left to carry out."""
    original = services.utcnow

    def lost_at_the_end():
        raise RuntimeError("the connection was lost")

    monkeypatch.setattr(services, "utcnow", lost_at_the_end)
    with pytest.raises(RuntimeError):
        reorganise()
    db.session.rollback()
    monkeypatch.setattr(services, "utcnow", original)

    reorganise()

    assert active_edition() == "2025"


def test_one_province_alone_is_not_carried_out_while_people_of_another_still_work_in_the_old_list(
        successions, make_user):
    """The list in force is one for the installation: carrying out province 30 alone would leave the other
    province's worker unable to record a child at their own commune."""
    load_units(OTHER_2024, "2024")
    make_user("worker", unit="98001")

    with pytest.raises(services.CannotReorganise):
        reorganise()

    assert active_edition() == "2024"
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(UnitEnding))
