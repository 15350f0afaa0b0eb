"""`flask seed demo` fills Cẩm Phúc's register (issue 18)."""
import sqlalchemy as sa

from app.extensions import db


def test_the_demo_registers_children_in_cam_phuc_some_with_a_case_one_review_overdue(runner, app):
    from app.orm import utcnow
    from app.register.models import RegisterEntry

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    entries = list(db.session.scalars(sa.select(RegisterEntry).where(RegisterEntry.confirmation == "confirmed")))
    assert len(entries) == 5 and {entry.unit.code for entry in entries} == {"10933"}
    from app.cases.models import Case
    with_case = {entry.child_id for entry in entries} & set(db.session.scalars(sa.select(Case.child_id)))
    assert len(with_case) == 2
    assert [entry.child.full_name for entry in entries if entry.next_review_on < utcnow().date()] == ["Lê Thị Hồng"]
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 8


def test_the_demo_s_village_collaborator_in_cam_phuc_has_entries_awaiting_the_worker(runner, app):
    from app.register.models import RegisterEntry
    from app.register.services import awaiting_confirmation
    from app.users.services import find_user

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    collaborator = find_user("collaborator.camphuc")
    assert collaborator.role == "collaborator" and collaborator.unit.code == "10933"
    awaiting = list(db.session.scalars(sa.select(RegisterEntry).where(RegisterEntry.confirmation == "awaiting")))
    assert len(awaiting) == 3 and {entry.added_by_id for entry in awaiting} == {collaborator.id}
    assert awaiting_confirmation(find_user("worker.camphuc")) == 3
