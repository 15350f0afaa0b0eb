"""Periodic statistics: a known set of cases, every cell checked; who may ask; the same figures in each format."""
import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from app.cases import services
from app.deadlines.services import local_zone, set_initial_assessment_standard
from app.orm import utcnow
from app.reports.statistics import Period, PeriodRefused, age_group
from tests.api.test_cases import token_for
from tests.factories import case_kept_from_before, child_details, pdf_text, record_review, unit

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ xã", date(2030, 1, 1))
# Missed in district 295 by the known set: the neglect case's emergency measures and initial assessment, and
# the initial assessment of the case received 60 days ago.
AUTOMATIC = 3


def born_before(moment, years: int) -> date:
    """A birthday `years` years before the local day of `moment`, passed by one day."""
    day = moment.astimezone(local_zone()).date()
    return day.replace(year=day.year - years) - timedelta(days=1)


@pytest.fixture
def known(app, make_user):
    """Five new cases in district 295 within the period, one older case, and one in another district."""
    now = utcnow()
    today = now.astimezone(local_zone()).date()
    worker_a, worker_b = make_user("worker", unit="10933"), make_user("worker", unit="10894")
    leader_b = make_user("commune_leader", unit="10894")
    elsewhere = make_user("worker", unit="10507")

    def opened(by, ago, categories, sex, years=None, birth_year=None, danger=False, harm=None):
        received = now - ago
        details = child_details(sex=sex, date_of_birth=born_before(received, years) if years is not None else None,
                                birth_year=birth_year)
        return services.open_case(by, by.unit, _report(received, categories, danger, harm), child_details=details)

    def _report(received, categories, danger, harm):
        from tests.factories import report

        return report(received_at=received, categories=categories, immediate_danger=danger, harm_status=harm)

    set_initial_assessment_standard(unit("30"), 1)
    one = opened(worker_a, timedelta(days=10), ["violence"], "male", years=4, harm="abused")
    two = opened(worker_a, timedelta(hours=1), ["sexual_abuse", "violence"], "female", years=8, harm="at_risk")
    opened(worker_a, timedelta(days=20), ["neglect"], "male", years=12, danger=True)
    # A 17-year-old's case from before the under-16 rule: kept, and counted apart from the children's.
    case_kept_from_before(worker_b, years=17, received_at=now - timedelta(hours=2), categories=["trafficking"])
    five = opened(worker_b, timedelta(days=5), ["other"], "female", birth_year=today.year - 13)
    opened(worker_a, timedelta(days=60), ["violence"], "male", years=9)
    outside = opened(elsewhere, timedelta(days=3), ["violence"], "male", years=9)
    for case in (one, two):
        services.assess(case, worker_a, {}, None, case.version)
    services.assess(five, worker_b, {}, None, five.version)
    services.draft_plan(five, worker_b, "Trẻ an toàn", [ACTION], five.version)
    services.submit_plan(five, worker_b, five.version)
    services.approve_plan(five, leader_b, five.version)
    record_review(five, worker_b)
    services.propose_closure(five, worker_b, "safe_stable", None, five.version)
    services.approve_closure(five, leader_b, five.version)
    _refer_and_escalate(one, two, outside, worker_a, worker_b, make_user)
    # The period reaches past the newest reports' assessments (due a working day after them), not their plans'.
    return {"from": (today - timedelta(days=40)).isoformat(), "to": (today + timedelta(days=4)).isoformat()}


def _refer_and_escalate(one, two, outside, worker_a, worker_b, make_user):
    """Within district 295: one referral across it (accepted), one to the province (still waiting), one kept
    as a draft; one from outside (declined by 10894). Escalations: one by hand (acknowledged), one automatic."""
    from app.escalations import services as escalations
    from app.referrals import services as referrals
    from tests.factories import make_referral

    supervisor = make_user("supervisor")
    across = make_referral(one, worker_a, to="10894", urgent=True)
    referrals.act(across, worker_b, "accept")
    make_referral(two, worker_a, to="30")
    make_referral(two, worker_a, to="10894", send=False)
    from_outside = make_referral(outside, make_user("worker", unit="10507"), to="10894", urgent=True)
    referrals.act(from_outside, worker_b, "decline", "Không thuộc địa bàn.")
    escalations.acknowledge(escalations.raise_by_hand(one, worker_a, "Gia đình không hợp tác."), supervisor)
    escalations.sweep()  # raises AUTOMATIC escalations


def figures(client, user, period, unit="295"):
    response = client.get("/api/v1/reports/statistics.json", query_string={"unit": unit, **period},
                          headers=token_for(client, user))
    assert response.status_code == 200, response.json
    return response.json["figures"]


def cells(figure, column="cases"):
    values = {row["key"]: row["values"][column] for row in figure["rows"]}
    if figure["total"]:
        values[figure["total"]["key"]] = figure["total"]["values"][column]
    return values


def test_every_cell_of_a_known_set_of_cases(client, make_user, known):
    result = figures(client, make_user("supervisor"), known)
    assert cells(result["new_by_category"]) == {"violence": 2, "sexual_abuse": 1, "exploitation": 0, "neglect": 1,
                                                "abandonment": 0, "trafficking": 0, "other": 1, "new_cases": 4}
    # Mẫu 01 allows a sex not known: its row is there, empty here.
    assert cells(result["new_by_sex"]) == {"male": 2, "female": 2, "unknown": 0, "total": 4}
    assert cells(result["new_by_age"]) == {"under_6": 1, "6_10": 1, "11_15": 2, "other_age": 0, "total": 4}
    assert cells(result["new_by_harm"]) == {"abused": 1, "at_risk": 1, "not_recorded": 2, "total": 4}
    assert cells(result["aged_16_or_over"]) == {"in_period": 1, "on_record": 1}
    by_unit = cells(result["new_by_unit"])
    assert by_unit.pop("10933") == 3 and by_unit.pop("10894") == 1 and by_unit.pop("total") == 4
    assert set(by_unit.values()) == {0} and len(by_unit) > 10  # every other commune of the district
    assert cells(result["status_at_end"]) == {"reported": 3, "assessing": 2, "planning": 0, "in_progress": 0,
                                              "monitoring": 0, "closed": 1, "closed_since": 0, "total": 6}
    deadlines = result["deadlines"]
    assert {column: cells(deadlines, column)["initial_assessment"] for column in
            ("due", "met_on_time", "met_late", "missed_open", "not_yet_due")} == {
        "due": 5, "met_on_time": 1, "met_late": 2, "missed_open": 1, "not_yet_due": 1}
    assert cells(deadlines, "missed_open")["emergency_measures"] == 1
    assert cells(deadlines, "due") == {"initial_assessment": 5, "emergency_measures": 1, "plan_draft": 0,
                                       "plan_approval": 0, "isolation_end": 0, "plan_action": 0, "review": 0,
                                       "total": 6}
    assert cells(result["time_to_assessment"], "value") == {"median_hours": 120.0, "assessed": 3, "not_assessed": 1}
    assert cells(result["referrals"], "sent") == {"pending_approval": 1, "sent": 0, "accepted": 1, "completed": 0,
                                                  "declined": 0, "rejected": 0, "withdrawn": 0, "total": 2}
    assert cells(result["referrals"], "received") == {"pending_approval": 0, "sent": 0, "accepted": 1,
                                                      "completed": 0, "declined": 1, "rejected": 0, "withdrawn": 0,
                                                      "total": 2}
    assert {column: cells(result["escalations"], column) for column in ("raised", "acknowledged", "open")} == {
        "raised": {"automatic": AUTOMATIC, "by_hand": 1, "total": AUTOMATIC + 1},
        "acknowledged": {"automatic": 0, "by_hand": 1, "total": 1},
        "open": {"automatic": AUTOMATIC, "by_hand": 0, "total": AUTOMATIC}}


def test_every_partition_adds_up_to_its_total(client, make_user, known):
    result = figures(client, make_user("province_officer"), known, unit="30")
    for key in ("new_by_sex", "new_by_age", "new_by_harm", "new_by_unit", "status_at_end"):
        values = cells(result[key])
        assert values.pop("total") == sum(values.values())
    for column in ("due", "met_on_time", "met_late", "missed_open", "not_yet_due"):
        values = cells(result["deadlines"], column)
        assert values.pop("total") == sum(values.values())
    for key, columns in (("referrals", ("sent", "received")), ("escalations", ("raised", "acknowledged", "open"))):
        for column in columns:
            values = cells(result[key], column)
            assert values.pop("total") == sum(values.values())
    raised = {row["key"]: row["values"] for row in result["escalations"]["rows"]}
    assert all(values["raised"] == values["acknowledged"] + values["open"] for values in raised.values())
    due = {row["key"]: row["values"] for row in result["deadlines"]["rows"]}
    assert all(values["due"] == sum(values[name] for name in ("met_on_time", "met_late", "missed_open",
                                                              "not_yet_due")) for values in due.values())


def test_the_province_counts_each_district_with_everything_below_it(client, make_user, known):
    by_unit = cells(figures(client, make_user("province_officer"), known, unit="30")["new_by_unit"])
    assert by_unit["295"] == 4 and by_unit["288"] == 1 and by_unit["total"] == 5


def test_a_commune_is_its_own_only_row(client, make_user, known):
    by_unit = cells(figures(client, make_user("commune_leader", unit="10894"), known, unit="10894")["new_by_unit"])
    assert by_unit == {"10894": 1, "total": 1}


@pytest.mark.parametrize("years, group", [(0, "under_6"), (5, "under_6"), (6, "6_10"), (10, "6_10"), (11, "11_15"),
                                          (15, "11_15"), (16, "other_age"), (17, "other_age"), (18, "other_age"),
                                          (-1, "other_age"), (None, "other_age")])
def test_age_bands_are_under_6_6_to_10_and_11_to_15_for_children_under_16(years, group):
    assert age_group(years) == group


@pytest.mark.parametrize("kind, number, start, end", [
    ("month", 2, date(2024, 2, 1), date(2024, 2, 29)), ("quarter", 4, date(2024, 10, 1), date(2024, 12, 31)),
    ("half", 1, date(2024, 1, 1), date(2024, 6, 30)), ("year", 1, date(2024, 1, 1), date(2024, 12, 31))])
def test_periods_cover_whole_months_quarters_halves_and_years(kind, number, start, end):
    assert Period.of(kind, 2024, number) == Period(start, end)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(PeriodRefused):
        Period.between(date(2024, 5, 1), date(2024, 4, 30))


def test_the_api_refuses_a_missing_period_with_422(client, make_user):
    response = client.get("/api/v1/reports/statistics.json?unit=295",
                          headers=token_for(client, make_user("supervisor")))
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_fields"


def test_a_unit_outside_the_readers_subtree_answers_404(client, make_user):
    supervisor = make_user("supervisor")
    response = client.get("/api/v1/reports/statistics.json?unit=288&from=2024-01-01&to=2024-12-31",
                          headers=token_for(client, supervisor))
    assert response.status_code == 404


def test_a_worker_reports_on_their_own_commune_only(client, sign_in, make_user):
    sign_in(make_user("worker", unit="10933"))
    assert client.get("/reports/statistics.json?unit=10933&from=2024-01-01&to=2024-12-31").status_code == 200
    assert client.get("/reports/statistics.json?unit=10966&from=2024-01-01&to=2024-12-31").status_code == 404


def test_an_administrator_may_not_see_statistics(client, sign_in, make_user):
    sign_in(make_user("admin"))
    assert client.get("/reports/statistics").status_code == 403


def test_the_page_shows_the_figures_and_links_each_to_the_cases_behind_it(client, sign_in, make_user, known):
    sign_in(make_user("supervisor"))
    page = client.get("/reports/statistics", query_string={"unit": "295", "kind": "dates", "start": known["from"],
                                                           "end": known["to"]})
    assert page.status_code == 200
    assert f"/cases/?unit=295&amp;received_from={known['from']}&amp;received_to={known['to']}&amp;category=violence" \
        in page.text
    listed = client.get(f"/cases/?unit=295&received_from={known['from']}&received_to={known['to']}"
                        "&category=violence")
    assert listed.text.count('href="/cases/HD-10933-') == 2


def test_the_csv_has_one_line_per_cell_with_the_same_figures(client, make_user, known):
    supervisor = make_user("supervisor")
    response = client.get("/api/v1/reports/statistics.csv", query_string={"unit": "295", **known},
                          headers=token_for(client, supervisor))
    rows = list(csv.DictReader(io.StringIO(response.text)))
    sex = {row["row"]: int(row["value"]) for row in rows if row["figure"] == "new_by_sex"}
    assert sex == {"male": 2, "female": 2, "unknown": 0, "total": 4}


def test_the_xlsx_holds_the_same_figures_for_the_office(client, make_user, known):
    response = client.get("/api/v1/reports/statistics.xlsx", query_string={"unit": "295", **known},
                          headers=token_for(client, make_user("supervisor")))
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert ["Nam", 2] in [row[:2] for row in values] and ["Nữ", 2] in [row[:2] for row in values]


def test_the_pdf_reads_back_in_vietnamese(client, make_user, known):
    response = client.get("/api/v1/reports/statistics.pdf", query_string={"unit": "295", **known},
                          headers=token_for(client, make_user("inspector")))
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Huyện Cẩm Giàng" in text and "Mua bán trẻ em" in text



def test_the_first_visit_shows_the_form_set_to_this_year_without_an_error(client, sign_in, make_user):
    sign_in(make_user("supervisor"))
    page = client.get("/reports/statistics").text
    assert f'value="{utcnow().astimezone(local_zone()).year}"' in page
    assert 'class="error"' not in page and "Thống kê của" not in page


# Numbers as the reader's language writes them (issue 13, item 18): 6,0 and 1.234 in Vietnamese.

def test_the_page_writes_the_median_with_a_decimal_comma_in_vietnamese_and_a_point_in_english(client, sign_in,
                                                                                              make_user, known):
    sign_in(make_user("supervisor"))
    query = {"unit": "295", "kind": "dates", "start": known["from"], "end": known["to"]}
    assert '<td class="number">120,0</td>' in client.get("/reports/statistics", query_string=query).text
    client.post("/language", data={"locale": "en"})
    assert '<td class="number">120.0</td>' in client.get("/reports/statistics", query_string=query).text


def test_the_pdf_writes_the_median_the_vietnamese_way(client, make_user, known):
    response = client.get("/api/v1/reports/statistics.pdf", query_string={"unit": "295", **known},
                          headers={**token_for(client, make_user("inspector")), "Accept-Language": "vi"})
    text = pdf_text(response.data)
    assert "120,0" in text and "120.0" not in text


def test_the_xlsx_keeps_numbers_and_lets_the_number_format_show_them(client, make_user, known):
    response = client.get("/api/v1/reports/statistics.xlsx", query_string={"unit": "295", **known},
                          headers=token_for(client, make_user("supervisor")))
    sheet = load_workbook(io.BytesIO(response.data)).active
    median = next(row for row in sheet.iter_rows() if row[0].value and row[0].value.startswith("Số giờ trung vị"))[1]
    count = next(row for row in sheet.iter_rows() if row[0].value == "Nữ")[1]
    assert (median.value, median.number_format) == (120.0, "#,##0.0")
    assert (count.value, count.number_format) == (2, "#,##0")


def test_the_csv_stays_machine_readable_with_a_decimal_point(client, make_user, known):
    response = client.get("/api/v1/reports/statistics.csv", query_string={"unit": "295", **known},
                          headers={**token_for(client, make_user("supervisor")), "Accept-Language": "vi"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert next(row["value"] for row in rows if row["row"] == "median_hours") == "120.0"


def test_records_of_16_and_17_year_olds_are_counted_apart_and_listed_for_the_province_to_review(
        client, sign_in, make_user, known):
    sign_in(make_user("province_officer"))
    page = client.get("/reports/statistics", query_string={"unit": "30", "kind": "dates", "start": known["from"],
                                                           "end": known["to"]}).text
    assert "aged_16_or_over=y" in page and "Law on Children" not in page and "Luật Trẻ em 2016" in page
    listed = client.get("/cases/?unit=30&aged_16_or_over=y").text
    assert listed.count('href="/cases/HD-10894-') == 1 and 'href="/cases/HD-10933-' not in listed
