"""Figures across the reorganisation of 1 July 2025 (issue 16): a period that spans it counts every case once, under
the structure of its end; the old area can still be reported on, for continuity."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.deadlines.services import local_zone
from app.escalations.services import raise_by_hand
from app.extensions import db
from app.orm import utcnow
from app.reorganisation import services
from app.reorganisation.models import Move
from app.reports import statistics
from app.reports.facts import drifted
from app.reports.statistics import Period
from tests.factories import child_details, make_case, make_referral, unit
from tests.reorganisation import conftest as reorganisation
from tests.reorganisation.conftest import CAM_GIANG, DIVIDED, MAO_DIEN, WHOLE

successions = reorganisation.successions  # the fixture: Hải Dương 2024, Hải Phòng 2025, the links between them

H1, H2, YEAR = Period.of("half", 2025, 1), Period.of("half", 2025, 2), Period.of("year", 2025)
# Figures whose rows count what happened within the period: a year's are the sum of its halves'.
ADDITIVE = ("new_by_category", "new_by_sex", "new_by_age", "new_by_harm", "new_by_unit", "deadlines",
            "referrals", "escalations")


def received(month: int, day: int = 10) -> datetime:
    return datetime(2025, month, day, 9, tzinfo=local_zone())


def open_in(user, month, **report):
    details = child_details(address_unit=user.unit, address_detail="Thôn 2", date_of_birth=date(2016, 3, 1))
    return make_case(user, details=details, received_at=received(month), **report)


def close(case):
    case.status = "closed"
    db.session.commit()


def dated(record, **moments):
    """Made now, dated back into 2025 as if made then."""
    for name, moment in moments.items():
        setattr(record, name, moment)
    db.session.commit()


@pytest.fixture
def across(successions, make_user):
    """Cases of Hải Dương received in the first half of 2025, the reorganisation, then cases of Hải Phòng received in
    the second half."""
    whole, divided = make_user("worker", unit=WHOLE), make_user("worker", unit=DIVIDED)
    before = {
        "whole_open": open_in(whole, 2, categories=["violence"]),
        "whole_closed": open_in(whole, 3, categories=["neglect"]),
        "divided_placed": open_in(divided, 4, categories=["violence", "neglect"]),
        "divided_waiting": open_in(divided, 5, categories=["other"]),
        "divided_closed": open_in(divided, 6, categories=["exploitation"]),
    }
    close(before["whole_closed"])
    close(before["divided_closed"])
    # Still open on the day of the change: both are re-addressed to the new units.
    dated(make_referral(before["whole_open"], whole, to="296"), created_at=received(3))
    dated(raise_by_hand(before["divided_waiting"], divided, "Trẻ vẫn gặp nguy hiểm."), raised_at=received(5))
    services.reorganise("2024", "2025", "30")
    officer = make_user("province_officer", unit="31")
    move = db.session.scalar(sa.select(Move).where(Move.case_id == before["divided_placed"].id,
                                                   Move.entity == "cases"))
    services.place(move, unit(MAO_DIEN, "2025"), officer)
    mao_dien = make_user("worker", unit=MAO_DIEN)
    after = {
        "mao_dien": open_in(mao_dien, 8, categories=["violence"]),
        "tue_tinh": open_in(make_user("worker", unit=WHOLE), 11, categories=["sexual_abuse"]),
    }
    dated(raise_by_hand(after["mao_dien"], mao_dien, "Gia đình không hợp tác."), raised_at=received(9))
    return {"officer": officer, "before": before, "after": after}


def figures(viewer, period, unit_code="31"):
    return statistics.report(viewer, unit_code, period, utcnow())


def cells(result, key):
    table = result.table(key)
    return {row.key: row.values for row in [*table.rows, *([table.total] if table.total else [])]}


def test_the_facts_follow_the_cases_the_reorganisation_moves_and_places(across):
    assert drifted(db.session.connection()) == 0


def test_the_year_s_figures_are_the_sum_of_its_two_halves(across):
    officer = across["officer"]
    year, first, second = (figures(officer, period) for period in (YEAR, H1, H2))

    for key in ADDITIVE:
        halves = {row: [a + b for a, b in zip(cells(first, key)[row], cells(second, key)[row], strict=True)]
                  for row in cells(first, key)}
        assert cells(year, key) == halves, key


def test_every_case_of_the_year_is_counted_once_under_the_new_province(across):
    year = figures(across["officer"], YEAR)

    assert cells(year, "new_by_sex")["total"] == [7]
    assert cells(year, "new_by_category")["violence"] == [3]
    assert cells(year, "escalations")["total"] == [2, 0, 2]
    assert cells(year, "referrals")["total"] == [1, 1]


def test_the_breakdown_folds_the_old_communes_into_their_successors(across):
    by_unit = cells(figures(across["officer"], YEAR), "new_by_unit")

    # Tân Việt went whole into the new commune of the same code; the divided Cẩm Phúc's placed case went to Mao
    # Điền; its waiting and closed cases have no commune yet.
    assert by_unit[WHOLE] == [3]
    assert by_unit[MAO_DIEN] == [2]
    assert by_unit["not_yet_assigned"] == [2]
    assert by_unit[CAM_GIANG] == [0]
    assert by_unit["total"] == [7]
    assert sum(values[0] for key, values in by_unit.items() if key != "total") == 7


def test_a_new_commune_counts_the_cases_of_the_old_commune_it_succeeded_whole(across, make_user):
    worker = make_user("commune_leader", unit=WHOLE)

    assert cells(figures(worker, YEAR, WHOLE), "new_by_unit") == {WHOLE: [3], "total": [3]}


def test_the_old_area_counts_exactly_its_cases_from_before_the_change_including_those_moved_out(across):
    old = figures(across["officer"], YEAR, "2024/30")

    assert old.unit.edition == "2024"
    assert cells(old, "new_by_sex")["total"] == [5]
    assert cells(old, "new_by_category")["other"] == [1]
    assert cells(old, "status_at_end")["total"] == [5]
    assert cells(old, "escalations")["total"] == [1, 0, 1]


def test_the_old_area_is_broken_down_by_its_old_districts(across):
    by_unit = cells(figures(across["officer"], YEAR, "2024/30"), "new_by_unit")

    assert by_unit["295"] == [3] and by_unit["296"] == [2] and by_unit["total"] == [5]


def test_the_old_area_is_named_as_it_was_called(across, client, sign_in):
    sign_in(across["officer"])

    page = client.get("/reports/statistics", query_string={"unit": "2024/30", "kind": "year", "year": 2025})

    assert page.status_code == 200
    assert "(trước 01/07/2025)" in page.get_data(as_text=True)


def test_the_chooser_offers_the_old_units_apart(across, client, sign_in):
    sign_in(across["officer"])

    page = client.get("/reports/statistics").get_data(as_text=True)

    assert 'label="Đơn vị cũ (trước 01/07/2025): Tỉnh Hải Dương"' in page
    assert 'value="2024/30"' in page and 'value="2024/10933"' in page


def test_a_reader_of_a_new_commune_may_not_report_on_the_old_province(across, client, sign_in, make_user):
    sign_in(make_user("commune_leader", unit=MAO_DIEN))

    response = client.get("/reports/statistics.json?unit=2024/30&from=2025-01-01&to=2025-12-31")

    assert response.status_code == 404


def test_a_reader_of_a_new_commune_may_not_report_on_a_divided_commune_it_took_a_part_of(across, make_user):
    assert figures(make_user("commune_leader", unit=MAO_DIEN), YEAR, f"2024/{DIVIDED}") is None



def test_the_old_area_s_downloads_name_it_by_its_list(across, client, sign_in):
    sign_in(across["officer"])

    page = client.get("/reports/statistics", query_string={"unit": "2024/30", "kind": "year", "year": 2025})
    document = client.get("/reports/statistics.json?unit=2024/30&from=2025-01-01&to=2025-12-31").json

    assert "unit=2024/30" in page.get_data(as_text=True).replace("%2F", "/")
    assert (document["unit"]["edition"], document["unit"]["code"]) == ("2024", "30")
    assert document["figures"]["new_by_sex"]["total"]["values"]["cases"] == 5
