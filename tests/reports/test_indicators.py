"""The ministry's indicators on children (issue 18, point 4): a known set of children, every cell checked; each child
counted once however many cases they have; the same formats, scope and trail as the statistics."""
import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.cases import services
from app.deadlines.services import local_zone
from app.orm import utcnow
from app.register import services as register
from app.reports.indicators import ethnicity_of, plain
from tests.api.test_cases import token_for
from tests.factories import case_kept_from_before, child_details, last_audit_entry, pdf_text, record_review
from tests.factories import register_child
from tests.reports.test_statistics import ACTION, born_before, cells


@pytest.fixture
def known(app, make_user):
    """In district 295: three abused children (one with two cases), one at risk, one whose case is older than the
    period, and the register's children; outside it, an abused child and a registered one."""
    now = utcnow()
    today = now.astimezone(local_zone()).date()
    worker_a, worker_b = make_user("worker", unit="10933"), make_user("worker", unit="10894")
    leader_b = make_user("commune_leader", unit="10894")
    elsewhere = make_user("worker", unit="10507")

    def opened(by, ago, categories, sex, years, ethnicity=None, harm="abused", setting=None, child=None):
        from tests.factories import report

        received = now - ago
        details = None if child else child_details(sex=sex, date_of_birth=born_before(received, years),
                                                   ethnicity=ethnicity)
        return services.open_case(by, by.unit, report(received_at=received, categories=categories, harm_status=harm,
                                                      abuse_setting=setting),
                                  child=child, child_details=details)

    first = opened(worker_a, timedelta(days=10), ["violence"], "male", 4, "Kinh", setting="home")
    opened(worker_a, timedelta(days=5), ["sexual_abuse"], "male", 4, setting="online", child=first.child)
    safe = opened(worker_b, timedelta(days=3), ["neglect"], "female", 8, "Tày", setting="school")
    opened(worker_a, timedelta(days=20), ["exploitation"], "female", 13, " tày ")
    at_risk = opened(worker_a, timedelta(days=2), ["violence"], "male", 12, "H'Mông", harm="at_risk")
    opened(worker_a, timedelta(days=60), ["violence"], "male", 9, setting="home")
    opened(elsewhere, timedelta(days=3), ["violence"], "female", 7, "Kinh", setting="home")
    case_kept_from_before(worker_b, years=17, received_at=now - timedelta(hours=2), harm_status="abused")
    services.assess(safe, worker_b, {}, None, safe.version)
    services.draft_plan(safe, worker_b, "Trẻ an toàn", [ACTION], safe.version)
    services.submit_plan(safe, worker_b, safe.version)
    services.approve_plan(safe, leader_b, safe.version)
    record_review(safe, worker_b)
    services.propose_closure(safe, worker_b, "safe_stable", None, safe.version)
    services.approve_closure(safe, leader_b, safe.version)

    supported = register_child(worker_a, since=today - timedelta(days=700))
    register.add_support(supported, register.Support("cash_allowance", "Trợ cấp xã hội hằng tháng",
                                                     today - timedelta(days=365), None, 1_080_000), today)
    abused = register_child(worker_a, child=first.child, group="harmed_by_violence")
    register.add_support(abused, register.Support("service", "Tư vấn tâm lý", today - timedelta(days=300),
                                                  today - timedelta(days=200)), today)
    register_child(worker_a, child=at_risk.child, group="at_risk")
    register_child(worker_a, group="at_risk")
    two_groups = register_child(worker_b, group="disabled")
    register.add_group(two_groups, register.Membership("hiv", None, today), today)
    former = register_child(worker_b, since=today - timedelta(days=1000))
    register.leave_group(former, former.groups[0].id, today - timedelta(days=100), "Được nhận làm con nuôi.", today)
    register_child(elsewhere)
    return {"from": (today - timedelta(days=40)).isoformat(), "to": (today + timedelta(days=4)).isoformat()}


def indicators(client, user, period, unit="295"):
    response = client.get("/api/v1/reports/indicators.json", query_string={"unit": unit, **period},
                          headers=token_for(client, user))
    assert response.status_code == 200, response.json
    return response.json


def test_every_cell_of_a_known_set_of_children(client, make_user, known):
    result = indicators(client, make_user("supervisor"), known)
    figures = result["figures"]
    assert cells(figures["abused_by_form"], "children") == {
        "violence": 1, "sexual_abuse": 1, "exploitation": 1, "neglect": 1, "abandonment": 0, "trafficking": 0,
        "other": 0, "total": 3}
    assert cells(figures["abused_by_sex"], "children") == {"male": 1, "female": 2, "unknown": 0, "total": 3}
    assert cells(figures["abused_by_age"], "children") == {"under_6": 1, "6_10": 1, "11_15": 1, "total": 3}
    assert cells(figures["abused_by_ethnicity"], "children") == {"kinh": 1, "minority": 2, "not_recorded": 0,
                                                                 "total": 3}
    assert cells(figures["abused_by_ethnic_group"], "children") == {"tay": 2, "total": 2}
    assert cells(figures["abused_by_setting"], "children") == {
        "home": 1, "school": 1, "public_place": 0, "online": 1, "other": 0, "not_known": 1, "total": 3}
    assert cells(figures["at_risk"], "children") == {"by_case": 1, "registered": 2, "total": 2}
    assert cells(figures["special_by_group"], "children") == {
        "orphaned": 1, "abandoned": 0, "without_support": 0, "disabled": 1, "hiv": 1, "in_conflict_with_law": 0,
        "drug_addicted": 0, "dropped_out_to_work": 0, "harmed_by_violence": 1, "exploited": 0,
        "sexually_abused": 0, "trafficked": 0, "seriously_ill_poor": 0, "migrant_without_carer": 0, "total": 3}
    assert cells(figures["special_supported"], "children") == {
        "cash_allowance": 1, "service": 0, "alternative_care": 0, "any_support": 1, "total": 3}
    assert cells(figures["with_case"], "children") == {"with_case": 5, "plan_in_time": 1, "closed_safe": 1}


def test_the_api_names_the_figures_as_api_md_has_them(client, make_user, known):
    result = indicators(client, make_user("supervisor"), known)
    assert result["abused_children"]["total"] == 3
    assert result["abused_children"]["by_sex"] == {"male": 1, "female": 2, "unknown": 0}
    assert result["abused_children"]["by_age"] == {"under_6": 1, "6_10": 1, "11_15": 1}
    assert result["special_circumstances"]["by_group"]["orphaned"] == 1
    assert result["special_circumstances"]["total"] == 3


def test_a_child_with_two_cases_in_the_period_is_counted_once(client, make_user, known):
    result = indicators(client, make_user("commune_leader", unit="10933"), known, unit="10933")
    assert result["abused_children"]["total"] == 2
    assert result["abused_children"]["by_age"]["under_6"] == 1


def test_the_province_counts_every_district(client, make_user, known):
    result = indicators(client, make_user("province_officer"), known, unit="30")
    assert result["abused_children"]["total"] == 4
    assert result["abused_children"]["by_ethnicity"] == {"kinh": 2, "minority": 2, "not_recorded": 0}
    assert result["special_circumstances"]["by_group"]["orphaned"] == 2


def test_a_unit_outside_the_readers_subtree_answers_404(client, make_user):
    response = client.get("/api/v1/reports/indicators.json?unit=288&from=2024-01-01&to=2024-12-31",
                          headers=token_for(client, make_user("supervisor")))
    assert response.status_code == 404


def test_the_administrator_gets_no_indicators(client, make_user):
    response = client.get("/api/v1/reports/indicators.json?unit=30&from=2024-01-01&to=2024-12-31",
                          headers=token_for(client, make_user("admin", unit="30")))
    assert response.status_code == 403


def test_a_missing_period_is_refused_with_422(client, make_user):
    response = client.get("/api/v1/reports/indicators.json?unit=295",
                          headers=token_for(client, make_user("supervisor")))
    assert response.status_code == 422


def test_each_export_is_recorded_in_the_trail_under_the_unit(client, make_user, known):
    supervisor = make_user("supervisor")
    response = client.get("/api/v1/reports/indicators.csv", query_string={"unit": "295", **known},
                          headers=token_for(client, supervisor))
    assert response.status_code == 200
    entry = last_audit_entry(action="indicators_export")
    assert entry.actor_id == supervisor.id and entry.entity == "units"


def test_the_csv_xlsx_and_pdf_carry_the_same_figures_in_vietnamese(client, make_user, sign_in, known):
    sign_in(make_user("supervisor"))
    query = {"unit": "295", **known}
    rows = list(csv.DictReader(io.StringIO(client.get("/reports/indicators.csv", query_string=query).text)))
    total = next(row for row in rows if row["figure"] == "abused_by_sex" and row["row"] == "total")
    assert total["value"] == "3" and total["row_label"] == "Trẻ em bị xâm hại"
    book = load_workbook(io.BytesIO(client.get("/reports/indicators.xlsx", query_string=query).data))
    sheet = book.active
    assert "Chỉ số về trẻ em" in sheet["A1"].value
    labels = [row[0].value for row in sheet.iter_rows()]
    assert "Trẻ em bị xâm hại theo môi trường xâm hại (nơi xảy ra)" in labels
    text = pdf_text(client.get("/reports/indicators.pdf", query_string=query).data)
    assert "Chỉ số về trẻ em" in text and "Trẻ em bị xâm hại theo hình thức" in text


def test_the_page_is_reached_from_the_statistics_and_shows_the_tables(client, make_user, sign_in, known):
    sign_in(make_user("province_officer"))
    statistics = client.get("/reports/statistics").text
    assert "/reports/indicators" in statistics
    page = client.get("/reports/indicators", query_string={"unit": "295", "kind": "dates",
                                                           "start": known["from"], "end": known["to"]})
    assert page.status_code == 200
    assert "Trẻ em có hoàn cảnh đặc biệt theo nhóm" in page.text and "/reports/indicators.pdf" in page.text


@pytest.mark.parametrize("written, group", [("Kinh", "kinh"), ("  dân tộc kinh ", "kinh"), ("Việt", "kinh"),
                                            ("Tày", "minority"), ("H'Mông", "minority"), ("", "not_recorded"),
                                            (None, "not_recorded")])
def test_ethnicity_is_kinh_an_ethnic_minority_or_not_recorded(written, group):
    assert ethnicity_of(written) == group


def test_one_ethnic_groups_spellings_are_one_group():
    assert plain("Tày") == plain(" tày ") == plain("TÀY") == "tay"
    assert plain("Ê Đê") == "e de"


def test_a_membership_that_ended_before_the_period_is_not_counted(client, make_user, known):
    result = indicators(client, make_user("commune_leader", unit="10894"), known, unit="10894")
    assert result["special_circumstances"]["by_group"]["orphaned"] == 0


def test_a_collaborator_s_entry_awaiting_or_rejected_is_not_counted(client, make_user, known):
    from app.extensions import db

    today = utcnow().astimezone(local_zone()).date()
    collaborator, worker = make_user("collaborator", unit="10933"), make_user("worker", unit="10933")
    register_child(collaborator, group="orphaned", since=today - timedelta(days=30))
    rejected = register_child(collaborator, group="orphaned", since=today - timedelta(days=30))
    register.add_support(rejected, register.Support("cash_allowance", "Trợ cấp xã hội hằng tháng",
                                                    today - timedelta(days=30), None, 1_080_000), today)
    register.reject(worker, rejected, "Trẻ không sống ở xã.")
    db.session.commit()
    figures = indicators(client, make_user("supervisor"), known)["figures"]
    assert cells(figures["special_by_group"], "children")["orphaned"] == 1
    assert cells(figures["special_supported"], "children")["cash_allowance"] == 1
