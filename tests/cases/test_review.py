"""The review after the plan on the criteria of Mẫu 06, and the closure it allows (Decree 56/2017 art. 30)."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.cases import services
from app.cases.models import Case, CaseStep, Review
from app.extensions import db
from app.orm import utcnow
from tests.factories import GOOD_REVIEW, case_kept_from_before, make_case, migration, pdf_text, record_review

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))
MIXED = {"harm": "medium", "abuser_access": "low", "care_obstacles": "high", "self_protection": "medium"}


@pytest.fixture
def worker(make_user):
    return make_user("worker", full_name="Nguyễn Thị Lan")


@pytest.fixture
def leader(make_user):
    return make_user("commune_leader", full_name="Trần Văn Hùng")


def under_way(case, worker, leader):
    """The plan approved and carried out: the case waits for its review."""
    services.assess(case, worker, {"repeated_harm": True}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn tại nhà", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    return case


def english(client):
    client.post("/language", data={"locale": "en"})


# What a review holds (Mẫu 06)

def test_a_review_scores_each_criterion_of_mau_06_with_a_note_on_it_art_30(worker, leader):
    case = under_way(make_case(worker), worker, leader)
    review = record_review(case, worker, MIXED, "Tiếp tục theo dõi.", care_obstacles="Bố vẫn uống rượu.",
                           harm="Vết thương đã lành.")
    stored = db.session.get(Review, review.id)
    assert (stored.harm, stored.abuser_access, stored.care_obstacles, stored.self_protection) == (
        "medium", "low", "high", "medium")
    assert (stored.harm_note, stored.care_obstacles_note, stored.abuser_access_note) == (
        "Vết thương đã lành.", "Bố vẫn uống rượu.", None)
    assert stored.note == "Tiếp tục theo dõi." and not stored.on_former_criteria and case.status == "monitoring"


def test_for_three_criteria_low_is_good_and_for_the_child_s_own_ability_high_is_good_art_30(worker, leader):
    case = under_way(make_case(worker), worker, leader)
    best = record_review(case, worker, GOOD_REVIEW)
    worst = record_review(case, worker, {"harm": "high", "abuser_access": "high", "care_obstacles": "high",
                                         "self_protection": "low"})
    assert all(best.is_good(key) for key in GOOD_REVIEW) and not any(worst.is_good(key) for key in GOOD_REVIEW)
    assert (str(best.answer("harm")), str(worst.answer("harm"))) == ("Không còn", "Vẫn còn")


@pytest.mark.parametrize("scores, field", [
    ({**GOOD_REVIEW, "harm": None}, "harm"),
    ({**GOOD_REVIEW, "self_protection": "excellent"}, "self_protection"),
    ({**GOOD_REVIEW, "safety": "low"}, "scores"),
])
def test_a_review_missing_a_criterion_of_mau_06_or_naming_another_is_refused_and_changes_nothing(
        worker, leader, scores, field):
    case = under_way(make_case(worker), worker, leader)
    version = case.version
    with pytest.raises(services.Invalid) as refused:
        services.review(case, worker, scores, None, case.version)
    db.session.rollback()
    assert field in refused.value.fields
    assert case.version == version and db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_a_note_on_a_criterion_longer_than_5000_characters_is_refused_not_cut(worker, leader):
    case = under_way(make_case(worker), worker, leader)
    with pytest.raises(services.Invalid) as refused:
        record_review(case, worker, harm="x" * 5001)
    assert "harm_note" in refused.value.fields


# Closure after the review (art. 30)

def test_closing_as_safe_without_a_review_after_the_last_plan_is_refused_naming_the_missing_review_art_30(
        worker, leader):
    case = under_way(make_case(worker), worker, leader)
    with pytest.raises(services.WrongState) as refused:
        services.propose_closure(case, worker, "safe_stable", None, case.version)
    db.session.rollback()
    message = str(refused.value)
    assert "Mẫu 06" in message and case.reference in message
    assert case.current_plan.decided_at.astimezone(services.local_zone()).strftime("%d/%m/%Y") in message
    assert case.closure_reason is None and case.status == "in_progress"


def test_a_review_from_before_the_last_plan_does_not_allow_closure_art_30(worker, leader):
    case = under_way(make_case(worker), worker, leader)
    record_review(case, worker, MIXED)
    services.new_plan(case, worker, "Kế hoạch mới", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    services.approve_plan(case, leader, case.version)
    with pytest.raises(services.WrongState):
        services.propose_closure(case, worker, "safe_stable", None, case.version)
    db.session.rollback()
    record_review(case, worker)
    services.propose_closure(case, worker, "safe_stable", None, case.version)
    services.approve_closure(case, leader, case.version)
    assert case.status == "closed"


def test_closing_for_another_reason_also_needs_the_review_art_30(worker, leader):
    case = under_way(make_case(worker), worker, leader)
    with pytest.raises(services.WrongState):
        services.propose_closure(case, worker, "other", "Gia đình từ chối hỗ trợ.", case.version)


@pytest.mark.parametrize("reason, note", [("moved_away", "Chuyển đến xã Hòa Bình; đã bàn giao hồ sơ."),
                                          ("died", None), ("turned_16", None)])
def test_a_reason_that_makes_a_review_impossible_closes_without_one_approved_by_the_leader_with_the_reason_art_30(
        worker, leader, reason, note):
    # "Turned 16" is offered only when true (Law on Children art. 1): that case's child was 16 at the report.
    case = under_way(case_kept_from_before(worker, 16) if reason == "turned_16" else make_case(worker), worker, leader)
    services.propose_closure(case, worker, reason, note, case.version)
    assert services.available_steps(case, worker) == [step for step in services.available_steps(case, worker)
                                                      if step != "approve_closure"]
    with pytest.raises(services.RoleNotAllowed):
        services.approve_closure(case, worker, case.version)
    db.session.rollback()
    services.approve_closure(case, leader, case.version)
    approval = db.session.scalar(sa.select(CaseStep).where(CaseStep.case_id == case.id,
                                                           CaseStep.action == "approve_closure"))
    assert (case.status, case.closure_reason, case.closure_note) == ("closed", reason, note)
    assert (approval.user_id, approval.detail) == (leader.id, reason)


def test_moving_away_needs_a_note_of_where_the_file_was_handed_over_art_30(worker, leader):
    case = under_way(make_case(worker), worker, leader)
    with pytest.raises(services.Invalid) as refused:
        services.propose_closure(case, worker, "moved_away", " ", case.version)
    assert "note" in refused.value.fields


def test_a_closure_proposed_without_a_review_before_the_rule_waits_for_the_review_art_30(client, sign_in, worker,
                                                                                          leader):
    case = under_way(make_case(worker), worker, leader)
    case.closure_reason, case.closure_proposed_by_id = "safe_stable", worker.id
    db.session.commit()
    assert "approve_closure" not in services.available_steps(case, leader)
    assert services.next_duty(case, worker).steps[0] == "review"
    with pytest.raises(services.WrongState):
        services.approve_closure(case, leader, case.version)
    db.session.rollback()
    sign_in(leader)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "chưa có bản rà soát, đánh giá theo các tiêu chí của Mẫu 06" in page


# The pages

def test_the_review_form_asks_mau_06_s_questions_and_marks_the_good_answer_first(client, sign_in, worker, leader):
    case = under_way(make_case(worker), worker, leader)
    sign_in(worker)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    for question, good, worst in (("Tổn hại hoặc nguy cơ tổn hại đối với trẻ em có còn không?", "Không còn (tốt)",
                                   "Vẫn còn"),
                                  ("Đối tượng xâm hại còn khả năng tiếp cận trẻ em không?", "Không hoặc rất ít (tốt)",
                                   "Thường xuyên"),
                                  ("Trở ngại trong môi trường chăm sóc", "Ít hoặc không có (tốt)", "Nhiều"),
                                  ("Khả năng tự bảo vệ, phục hồi của trẻ em", "Tốt (tốt)", "Yếu")):
        start = page.index(question)
        assert start < page.index(good, start) < page.index(worst, start)


def test_a_review_posted_from_the_page_keeps_each_answer_and_note(client, sign_in, worker, leader):
    case = under_way(make_case(worker), worker, leader)
    sign_in(worker)
    client.post(f"/cases/{case.reference}/review", data={
        "version": case.version, **MIXED, "harm_note": "Vết thương đã lành.", "note": "Tiếp tục theo dõi."})
    review = db.session.scalar(sa.select(Review))
    assert (review.harm, review.care_obstacles, review.harm_note, review.note) == (
        "medium", "high", "Vết thương đã lành.", "Tiếp tục theo dõi.")
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Giảm" in page and "(chưa tốt)" in page and "Vết thương đã lành." in page


def test_a_closure_refused_on_the_page_says_in_vietnamese_that_the_review_is_missing(client, sign_in, worker, leader):
    case = under_way(make_case(worker), worker, leader)
    sign_in(worker)
    response = client.post(f"/cases/{case.reference}/propose_closure",
                           data={"version": case.version, "reason": "safe_stable"})
    assert response.status_code == 409
    assert "chưa có bản rà soát, đánh giá theo các tiêu chí của Mẫu 06" in response.get_data(as_text=True)
    assert db.session.get(Case, case.id).closure_reason is None


# Reviews recorded on the former criteria

def former_review(case, worker):
    """A review as the former criteria recorded it, a month ago."""
    case.reviews.append(Review(former_scores={"safety": "low", "health": "medium", "education": "high",
                                              "family_care": "low"}, note="Đánh giá cũ.", created_by_id=worker.id,
                               created_at=utcnow() - timedelta(days=30)))
    db.session.commit()


def test_a_review_on_the_former_criteria_shows_as_recorded_and_labelled_former(client, sign_in, worker, leader):
    case = under_way(make_case(worker), worker, leader)
    former_review(case, worker)
    sign_in(worker)
    english(client)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Recorded on the former criteria, before those of Mẫu 06; shown as recorded." in page
    for shown in ("Safety: Low", "Health: Medium", "Education and development: High",
                  "Family care and living conditions: Low", "Đánh giá cũ."):
        assert shown in page


def test_a_review_on_the_former_criteria_does_not_allow_closure_after_a_later_plan_art_30(worker, leader):
    case = under_way(make_case(worker), worker, leader)
    former_review(case, worker)
    with pytest.raises(services.WrongState):
        services.propose_closure(case, worker, "safe_stable", None, case.version)


def test_the_case_file_prints_each_review_with_its_answers_and_the_former_ones_labelled(client, sign_in, worker,
                                                                                       leader):
    case = under_way(make_case(worker), worker, leader)
    former_review(case, worker)
    record_review(case, worker, MIXED, care_obstacles="Bố vẫn uống rượu.")
    sign_in(worker)
    text = pdf_text(client.get(f"/cases/{case.reference}/file.pdf").data)
    for expected in ("Rà soát, đánh giá (Mẫu 06)", "Ghi nhận theo các tiêu chí cũ", "An toàn",
                     "Tổn hại hoặc nguy cơ tổn hại đối với trẻ em có còn không?: Giảm (chưa tốt)",
                     "Đối tượng xâm hại còn khả năng tiếp cận trẻ em không?: Không hoặc rất ít (tốt)",
                     "Bố vẫn uống rượu."):
        assert expected in " ".join(text.split()), expected


def test_the_migration_keeps_the_scores_of_reviews_on_the_former_criteria(app, worker, leader):
    """The revision moves the four former scores to `former_scores` untouched, and back on downgrade."""
    from flask_migrate import downgrade, upgrade

    case = under_way(make_case(worker), worker, leader)
    case_id, worker_id = case.id, worker.id
    revision = migration("b6d41c8e2f75")
    db.session.remove()
    downgrade(revision=revision.down_revision)
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO reviews (case_id, scores, note, created_by_id, created_at) "
                "VALUES (:case, :scores, 'Đánh giá cũ.', :by, :at)"),
                {"case": case_id, "by": worker_id, "at": utcnow(),
                 "scores": '{"safety": "low", "health": "medium", "education": "high", "family_care": "low"}'})
    finally:
        upgrade()
    review = db.session.scalar(sa.select(Review))
    assert review.on_former_criteria and review.note == "Đánh giá cũ."
    assert review.former_scores == {"safety": "low", "health": "medium", "education": "high", "family_care": "low"}
