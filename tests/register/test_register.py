"""The children's register (issue 18): an entry per child the commune knows, its groups, situation, support and
reviews."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.access import scoped_children, scoped_register
from app.children.models import Child
from app.extensions import db
from app.register import services
from app.register.groups import ARTICLES, GROUPS, SUB_CASES
from app.register.models import RegisterGroup
from tests.factories import make_case, register_child

TODAY = date(2026, 11, 28)


def test_the_register_knows_the_14_groups_of_art_10_and_children_at_risk_each_with_its_article(app):
    assert len(GROUPS) == 15 and "at_risk" in GROUPS
    assert all(ARTICLES[key] for key in GROUPS)
    from flask_babel import force_locale

    with force_locale("en"):
        assert str(ARTICLES["orphaned"]).endswith("art. 3")
        assert str(ARTICLES["migrant_without_carer"]).endswith("art. 16")
    assert set(SUB_CASES) <= set(GROUPS)


@pytest.mark.parametrize("day, expected", [(date(2026, 5, 31), date(2026, 11, 30)),
                                           (date(2026, 8, 31), date(2027, 2, 28)),
                                           (date(2026, 11, 28), date(2027, 5, 28))])
def test_six_months_on_is_the_same_day_or_the_month_s_last(day, expected):
    assert services.months_after(day, 6) == expected


def test_a_child_without_a_case_is_registered_and_the_first_review_is_due_six_months_on(make_user):
    worker = make_user("worker")
    entry = register_child(worker, today=TODAY)
    assert entry.unit == worker.unit and entry.registered_on == TODAY
    assert entry.next_review_on == date(2027, 5, 28)
    assert [group.group_key for group in entry.current_groups] == ["orphaned"]


def test_registering_keeps_the_child_s_special_circumstances_in_step_with_the_groups(make_user):
    entry = register_child(make_user("worker"), group="disabled", today=TODAY)
    assert entry.child.special_circumstances == ["disabled"]
    services.add_group(entry, services.Membership("at_risk", "abuse", TODAY), TODAY)
    assert entry.child.special_circumstances == ["disabled"]  # at risk is not a group of art. 10


def test_the_groups_recorded_at_a_case_s_intake_join_the_register(make_user):
    from tests.factories import child_details

    worker = make_user("worker")
    case = make_case(worker, details=child_details(special_circumstances=["disabled", "seriously_ill_poor"]))
    entry = register_child(worker, child=case.child, group="orphaned", today=TODAY)
    assert sorted(group.group_key for group in entry.current_groups) == ["disabled", "orphaned",
                                                                          "seriously_ill_poor"]


def test_a_child_is_registered_once(make_user):
    worker = make_user("worker")
    entry = register_child(worker, today=TODAY)
    with pytest.raises(services.RegisterRefused) as refusal:
        register_child(worker, child=entry.child, today=TODAY)
    assert "group" in refusal.value.fields


def test_only_a_commune_registers_children(make_user):
    from app.children.services import new_child
    from tests.factories import child_details

    supervisor = make_user("supervisor")
    with pytest.raises(services.RegisterRefused):
        services.register_child(supervisor, new_child(child_details()), services.Situation("with_parents"),
                                services.Membership("orphaned", None, TODAY), TODAY)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Child)) == 0


@pytest.mark.parametrize("membership, field", [
    (services.Membership("orphans", None, TODAY), "group"),
    (services.Membership("orphaned", "severe", TODAY), "sub_case"),
    (services.Membership("orphaned", None, None), "since"),
    (services.Membership("orphaned", None, date(2026, 12, 1)), "since"),
])
def test_a_group_must_be_one_of_the_law_s_with_one_of_its_cases_and_a_day_not_in_the_future(make_user, membership,
                                                                                            field):
    entry = register_child(make_user("worker"), today=TODAY)
    with pytest.raises(services.RegisterRefused) as refusal:
        services.add_group(entry, membership, TODAY)
    assert field in refusal.value.fields


def test_a_sub_case_of_the_group_is_kept(make_user):
    entry = register_child(make_user("worker"), today=TODAY)
    group = services.add_group(entry, services.Membership("disabled", "especially_severe", date(2020, 1, 1)), TODAY)
    assert (group.sub_case, group.since) == ("especially_severe", date(2020, 1, 1))


def test_leaving_a_group_keeps_it_with_the_day_and_reason(make_user):
    entry = register_child(make_user("worker"), group="at_risk", since=date(2026, 1, 1), today=TODAY)
    group = entry.current_groups[0]
    services.leave_group(entry, group.id, date(2026, 11, 1), "Gia đình đã ổn định.", TODAY)
    kept = db.session.get(RegisterGroup, group.id)
    assert (kept.left_on, kept.left_reason) == (date(2026, 11, 1), "Gia đình đã ổn định.")
    assert entry.current_groups == [] and entry.past_groups == [kept]


def test_leaving_a_disability_group_takes_it_from_the_child_s_special_circumstances(make_user):
    entry = register_child(make_user("worker"), group="disabled", since=date(2026, 1, 1), today=TODAY)
    services.leave_group(entry, entry.current_groups[0].id, TODAY, "Chuyển đi nơi khác.", TODAY)
    assert entry.child.special_circumstances == []


@pytest.mark.parametrize("left_on, reason, field", [(None, "Lý do", "left_on"), (date(2025, 12, 31), "Lý do",
                                                                                  "left_on"),
                                                     (date(2026, 12, 1), "Lý do", "left_on"),
                                                     (TODAY, "  ", "reason")])
def test_leaving_needs_a_day_within_the_membership_and_a_reason_and_changes_nothing_otherwise(make_user, left_on,
                                                                                             reason, field):
    entry = register_child(make_user("worker"), since=date(2026, 1, 1), today=TODAY)
    with pytest.raises(services.RegisterRefused) as refusal:
        services.leave_group(entry, entry.current_groups[0].id, left_on, reason, TODAY)
    assert field in refusal.value.fields
    db.session.rollback()
    assert db.session.scalar(sa.select(RegisterGroup.left_on)) is None


def test_a_group_left_is_no_longer_in_the_filter_by_group(make_user):
    worker = make_user("worker")
    entry = register_child(worker, group="at_risk", since=date(2026, 1, 1), today=TODAY)
    services.leave_group(entry, entry.current_groups[0].id, TODAY, "Hết nguy cơ.", TODAY)
    listed = db.session.scalars(services.registered_query(scoped_register(worker), "at_risk"))
    assert list(listed) == []


def test_a_review_sets_the_next_review_six_months_on_unless_a_day_is_chosen(make_user):
    worker = make_user("worker")
    entry = register_child(worker, today=date(2026, 1, 10))
    services.record_review(worker, entry, TODAY, "Trẻ đi học đều.", None, TODAY)
    assert (entry.last_reviewed_on, entry.next_review_on) == (TODAY, date(2027, 5, 28))
    services.record_review(worker, entry, TODAY, "Theo dõi sát hơn.", date(2027, 1, 15), TODAY)
    assert entry.next_review_on == date(2027, 1, 15) and len(entry.reviews) == 2


def test_a_review_needs_what_it_found_and_a_next_day_after_it(make_user):
    worker = make_user("worker")
    entry = register_child(worker, today=date(2026, 1, 10))
    with pytest.raises(services.RegisterRefused) as refusal:
        services.record_review(worker, entry, TODAY, "", TODAY, TODAY)
    assert set(refusal.value.fields) == {"notes", "next_review_on"}


def test_a_cash_allowance_names_its_monthly_amount(make_user):
    entry = register_child(make_user("worker"), today=TODAY)
    allowance = services.Support("cash_allowance", "Trợ cấp xã hội hằng tháng", date(2026, 3, 1))
    with pytest.raises(services.RegisterRefused) as refusal:
        services.add_support(entry, allowance, TODAY)
    assert "monthly_amount" in refusal.value.fields
    allowance.monthly_amount = 900_000
    services.add_support(entry, allowance, TODAY)
    assert [(row.kind, row.monthly_amount) for row in entry.supports] == [("cash_allowance", 900_000)]


def test_a_service_keeps_no_amount(make_user):
    entry = register_child(make_user("worker"), today=TODAY)
    services.add_support(entry, services.Support("service", "Tư vấn tâm lý", date(2026, 3, 1), None, 5), TODAY)
    assert entry.supports[0].monthly_amount is None


def test_support_cannot_end_before_it_began(make_user):
    entry = register_child(make_user("worker"), today=TODAY)
    with pytest.raises(services.RegisterRefused) as refusal:
        services.add_support(entry, services.Support("alternative_care", "Gia đình nhận chăm sóc thay thế",
                                                     date(2026, 3, 1), date(2026, 2, 1)), TODAY)
    assert "ended_on" in refusal.value.fields


@pytest.mark.parametrize("number, accepted", [("0123456789", True), ("TE1303012345678", True), ("12345", False),
                                              ("TE13-0301234567", False)])
def test_a_health_insurance_card_number_has_10_digits_or_15_characters(make_user, number, accepted):
    entry = register_child(make_user("worker"), today=TODAY)
    situation = services.Situation("with_parents", health_insurance=number)
    if accepted:
        services.update_situation(entry, situation, entry.version)
        assert entry.health_insurance == number
    else:
        with pytest.raises(services.RegisterRefused):
            services.update_situation(entry, situation, entry.version)


def test_a_situation_saved_on_a_stale_version_is_refused(make_user):
    entry = register_child(make_user("worker"), today=TODAY)
    with pytest.raises(services.RegisterChanged):
        services.update_situation(entry, services.Situation("facility"), entry.version - 1)


def test_the_school_of_the_situation_is_the_child_s(make_user):
    entry = register_child(make_user("worker"), today=TODAY)
    services.update_situation(entry, services.Situation("with_parents", school="Trường THCS Cẩm Phúc"),
                              entry.version)
    assert entry.child.school == "Trường THCS Cẩm Phúc"


# Scope: the commune keeps its register; those above read their subtree; the admin and intake see nothing.

@pytest.mark.parametrize("role, unit, sees", [
    ("worker", "10933", True), ("commune_leader", "10933", True), ("worker", "10966", False),
    ("supervisor", "295", True), ("supervisor", "296", False), ("province_officer", "30", True),
    ("inspector", "30", True), ("admin", "30", False), ("intake", "30", False),
])
def test_the_register_is_read_by_the_commune_and_those_above_it_only(make_user, role, unit, sees):
    entry = register_child(make_user("worker", unit="10933"), today=TODAY)
    reader = make_user(role, unit=unit)
    assert (db.session.scalar(scoped_register(reader)) is not None) is sees
    assert (db.session.scalar(scoped_children(reader).where(Child.id == entry.child_id)) is not None) is sees



def test_the_register_s_migration_goes_down_to_the_schema_before_it_and_up_again(app, make_user):
    """3a9d7e21c4b8 adds the register's four tables (and, on PostgreSQL, their outside-change triggers)."""
    from flask_migrate import downgrade, upgrade

    db.session.close()
    downgrade(revision="a7c3e91d5b24")
    assert "register_entries" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    assert register_child(make_user("worker"), today=TODAY).id is not None


def test_a_child_whose_personal_id_is_on_another_commune_s_register_is_not_registered_again(make_user):
    """The rule the import applies too (tests/register/test_transfer.py)."""
    from app.children.services import new_child
    from app.register.services import Membership, RegisterRefused, Situation, register_new_child
    from tests.factories import child_details

    other = make_user("worker", unit="10966")
    register_child(other, child=new_child(child_details(address_unit=other.unit, id_number="030215001234")),
                   today=date(2026, 11, 28))
    worker = make_user("worker")
    with pytest.raises(RegisterRefused) as refused:
        register_new_child(worker, child_details(address_unit=worker.unit, id_number="030215001234"),
                           Situation("with_parents"), [Membership("disabled", None, date(2026, 11, 1))],
                           date(2026, 11, 28))
    assert other.unit.name in refused.value.fields["id_number"][0]
