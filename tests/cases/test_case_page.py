"""The case page puts the next duty first, offers only what will be taken, and answers each step where the person
is looking; intake comes in parts."""
import re
from datetime import date


from app.cases import services
from app.cases.models import CaseStep, Plan
from app.extensions import db
from tests.factories import make_case

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))


def english(client):
    client.post("/language", data={"locale": "en"})


def section(page: str, element_id: str) -> str:
    """The element with this id, up to the end of its own tag name's first closing (enough for these pages)."""
    start = page.index(f'id="{element_id}"')
    tag = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:]).group(1)
    return page[tag:page.index(f"</{name}>", start)]


def assessed(case, user):
    services.assess(case, user, {"repeated_harm": True}, None, case.version)
    return case


def plan_form(case, **rows):
    data = {"version": case.version, "goals": "Trẻ được an toàn tại nhà bà ngoại."}
    data.update(rows)
    return data


def test_the_emergency_form_is_open_first_while_its_12_hour_clock_runs(client, sign_in, worker):
    sign_in(worker)
    case = make_case(worker, immediate_danger=True)
    english(client)
    duty = section(client.get(f"/cases/{case.reference}").text, "next")
    assert "Emergency measures" in duty and 'id="step-emergency"' in duty
    assert re.search(r'<details class="step-block" open>\s*<summary>Record emergency measures', duty)
    assert 'id="step-assess"' not in duty


def test_a_plan_action_without_who_or_when_is_marked_on_its_fields_with_the_reason(client, sign_in, worker):
    sign_in(worker)
    case = assessed(make_case(worker), worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/draft_plan",
                           data=plan_form(case, **{"actions-0-description": "Thăm nhà hằng tuần"}))
    assert response.status_code == 422
    form = section(response.text, "step-draft_plan")
    assert 'id="actions-0-responsible-error"' in form and "Say who is responsible." in form
    assert 'id="actions-0-due_date-error"' in form and "Give the day it is due." in form
    assert "Each action needs what is to be done, who is responsible, and by when." in form
    assert "Thăm nhà hằng tuần" in form and db.session.scalar(db.select(Plan)) is None


def test_a_half_filled_action_is_refused_rather_than_dropped(client, sign_in, worker):
    sign_in(worker)
    case = assessed(make_case(worker), worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/draft_plan", data=plan_form(case, **{
        "actions-0-description": "Thăm nhà", "actions-0-responsible": "Cán bộ xã", "actions-0-due_date": "2030-01-01",
        "actions-1-responsible": "Trường tiểu học", "actions-1-due_date": "2030-02-01"}))
    assert response.status_code == 422
    assert "Say what is to be done." in section(response.text, "step-draft_plan")


def test_save_and_submit_records_the_plan_and_its_submission_as_two_steps(client, sign_in, worker):
    sign_in(worker)
    case = assessed(make_case(worker), worker)
    response = client.post(f"/cases/{case.reference}/draft_plan", data=plan_form(case, and_submit="1", **{
        "actions-0-description": "Thăm nhà", "actions-0-responsible": "Cán bộ xã", "actions-0-due_date": "2030-01-01"}))
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.current_plan.status == "submitted" and case.current_plan.submitted_at is not None
    steps = db.session.scalars(db.select(CaseStep.action).filter_by(case_id=case.id).order_by(CaseStep.id)).all()
    assert steps == ["assess", "draft_plan", "submit_plan"]


def test_a_step_done_opens_the_page_at_its_top_saying_what_happened_and_what_comes_next(client, sign_in, worker):
    sign_in(worker)
    case = make_case(worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/assess",
                           data={"version": case.version, "answers": ["repeated_harm"]})
    assert response.location.endswith(f"/cases/{case.reference}#content")
    flash = re.search(r'<p class="flash flash--success"[^>]*>(.*?)</p>', client.get(response.location).text).group(1)
    assert "Record the initial assessment" in flash and "Next: Draft the support plan, by" in flash


def test_a_refused_step_keeps_its_form_open_as_typed_and_says_why_inside_it(client, sign_in, worker, make_user):
    case = assessed(make_case(worker), worker)
    services.draft_plan(case, worker, "Trẻ an toàn", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    sign_in(make_user("commune_leader"))
    english(client)
    response = client.post(f"/cases/{case.reference}/return_plan", data={"version": case.version, "reason": " "})
    assert response.status_code == 422
    form = section(response.text, "step-return_plan")
    assert 'action="/cases/%s/return_plan#step-return_plan"' % case.reference in form
    assert 'class="flash flash--error step-failure"' in form
    assert re.search(r'<details class="step-block" open>\s*<summary>Return the plan', response.text)


def test_a_stale_step_shows_what_changed_beside_the_form_and_can_be_saved_again(client, sign_in, worker, make_user):
    case = make_case(worker)
    seen = case.version
    services.edit_case(case, make_user("commune_leader"), {"place": "Chợ"}, case.version)
    sign_in(worker)
    english(client)
    response = client.post(f"/cases/{case.reference}/edit",
                           data={"version": seen, "description": "Mô tả mới", "categories": ["violence"]})
    form = section(response.text, "step-edit")
    assert response.status_code == 409 and "Changed meanwhile" in form and "Where it happened" in form
    assert f'name="version" type="hidden" value="{case.version}"' in form


def test_the_drafter_of_a_plan_is_not_offered_its_approval(client, sign_in, make_user):
    leader = sign_in(make_user("commune_leader"))
    case = assessed(make_case(leader), leader)
    services.draft_plan(case, leader, "Trẻ an toàn", [ACTION], case.version)
    services.submit_plan(case, leader, case.version)
    english(client)
    page = client.get(f"/cases/{case.reference}").text
    assert "step-approve_plan" not in page and "who wrote no version of the plan approves it" in page
    assert case.reference not in section(client.get("/").text, "to-approve")


def test_another_leader_approves_from_the_to_approve_list_with_the_plan_before_them(client, sign_in, worker,
                                                                                    make_user):
    case = assessed(make_case(worker), worker)
    services.draft_plan(case, worker, "Trẻ an toàn tại nhà bà ngoại", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    sign_in(make_user("commune_leader"))
    assert case.reference in section(client.get("/").text, "to-approve")
    duty = section(client.get(f"/cases/{case.reference}").text, "next")
    assert "Trẻ an toàn tại nhà bà ngoại" in duty and 'id="step-approve_plan"' in duty


def test_a_reader_is_offered_no_step(client, sign_in, worker, make_user):
    case = make_case(worker)
    sign_in(make_user("inspector"))
    page = client.get(f"/cases/{case.reference}").text
    assert 'class="step"' not in page and "Xã Cẩm Phúc" in section(page, "next")


def test_intake_comes_in_four_parts_named_at_the_top(client, sign_in, worker):
    sign_in(worker)
    english(client)
    page = client.get("/cases/new").text
    assert [re.sub(r"\s+", " ", legend) for legend in re.findall(r"<legend>(Part .*?)</legend>", page)] == [
        "Part 1 of 4: The child", "Part 2 of 4: What happened", "Part 3 of 4: Who reported it",
        "Part 4 of 4: Consent to keeping the data"]
    assert page.index('href="#part-child"') < page.index('id="intake"')


def test_the_list_shows_the_cases_waiting_for_a_leader_s_decision(client, sign_in, worker):
    waiting = assessed(make_case(worker), worker)
    services.draft_plan(waiting, worker, "Trẻ an toàn", [ACTION], waiting.version)
    services.submit_plan(waiting, worker, waiting.version)
    other = make_case(worker)
    sign_in(worker)
    page = client.get("/cases/?awaiting=y").text
    assert waiting.reference in page and other.reference not in page
