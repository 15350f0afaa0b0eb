"""`flask seed demo` fills the demo communes' registers (issue 18): a few hundred children across the groups, some
with a case, reviews due and overdue, and a village collaborator with entries and reviews waiting for the worker."""
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db


def test_the_demo_registers_a_few_hundred_children_in_both_communes_and_running_it_twice_adds_none(runner, app):
    from app.register.models import RegisterEntry

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    counted = dict(db.session.execute(sa.select(RegisterEntry.unit_id, sa.func.count()).group_by(RegisterEntry.unit_id))
                   .all())
    assert sum(counted.values()) >= 300 and len(counted) == 2
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == sum(counted.values())


def test_the_demo_register_has_every_group_some_children_with_a_case_and_some_of_minorities(runner, app):
    from app.cases.models import Case
    from app.children.models import Child
    from app.register.groups import GROUPS
    from app.register.models import RegisterEntry, RegisterGroup

    runner.invoke(args=["seed", "demo"])
    assert set(db.session.scalars(sa.select(RegisterGroup.group_key).distinct())) == set(GROUPS)
    with_case = db.session.scalar(sa.select(sa.func.count(sa.distinct(RegisterEntry.id)))
                                  .join(Case, Case.child_id == RegisterEntry.child_id))
    assert with_case >= 5
    ethnicities = set(db.session.scalars(sa.select(Child.ethnicity).join(RegisterEntry,
                                                                         RegisterEntry.child_id == Child.id)))
    assert "Kinh" in ethnicities and len(ethnicities - {"Kinh", None}) >= 3


def test_the_demo_has_reviews_overdue_and_long_overdue_ones_raised_above_the_commune(runner, app):
    from app.orm import utcnow
    from app.register.models import RegisterEntry, RegisterReviewEscalation

    runner.invoke(args=["seed", "demo"])
    today = utcnow().date()
    overdue = db.session.scalar(sa.select(sa.func.count()).where(RegisterEntry.next_review_on < today))
    long_overdue = db.session.scalar(sa.select(sa.func.count()).where(
        RegisterEntry.confirmation == "confirmed", RegisterEntry.next_review_on < today - timedelta(days=31)))
    assert overdue > long_overdue >= 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterReviewEscalation)) == long_overdue


def test_the_demo_s_village_collaborator_in_cam_phuc_has_entries_and_reviews_waiting_for_the_worker(runner, app):
    from app.notifications.services import notices_for
    from app.orm import utcnow
    from app.register.models import RegisterEntry
    from app.register.services import awaiting_confirmation
    from app.users.services import find_user

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    collaborator = find_user("collaborator.camphuc")
    assert collaborator.role == "collaborator" and collaborator.unit.code == "10933"
    awaiting = list(db.session.scalars(sa.select(RegisterEntry).where(RegisterEntry.confirmation == "awaiting")))
    assert len(awaiting) == 3 and {entry.added_by_id for entry in awaiting} == {collaborator.id}
    worker = find_user("worker.camphuc")
    assert awaiting_confirmation(worker) == 3
    assert len(notices_for(collaborator, utcnow()).reviews_overdue) >= 5
    assert len(notices_for(worker, utcnow()).reviews_to_confirm) == 2


def test_the_made_up_children_are_the_same_each_time():
    from app.demo.children import made_up_children

    first = made_up_children(2024, 50, "Cẩm Phúc", "30", date(2026, 12, 1))
    assert first == made_up_children(2024, 50, "Cẩm Phúc", "30", date(2026, 12, 1))
    assert len({child.full_name for child in first}) > 40


def test_the_made_up_groups_are_those_of_the_register():
    from app.demo.children import GROUP_WEIGHTS
    from app.register.groups import GROUPS

    assert set(GROUP_WEIGHTS) == set(GROUPS)
