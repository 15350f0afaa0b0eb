"""Statistics downloads: no cell a spreadsheet would run as a formula (issue 14, point 11), and each download in the
trail, filed under the unit whose figures were taken."""
import csv
import io
import json
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.orm import utcnow
from app.reports import exports
from app.reports.statistics import Period, Row, Statistics, Table
from app.units.models import Unit
from tests.api.test_cases import token_for
from tests.factories import audit_entries, last_audit_entry, unit

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(1+2)", "\t=1+2", "\r=1+2"]
PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}


@pytest.fixture
def communes_named_as_formulas(units):
    """Six communes of district 295 renamed so that their names begin as formulas: each is a row of the figures
    by unit, labelled `name (code)`."""
    communes = db.session.scalars(sa.select(Unit).where(Unit.parent_id == unit("295").id).order_by(Unit.code)
                                  .limit(len(FORMULAS))).all()
    for commune, name in zip(communes, FORMULAS, strict=True):
        commune.name = name
    db.session.commit()
    return {f"{name} ({commune.code})" for commune, name in zip(communes, FORMULAS, strict=True)}


def download(client, user, fmt, unit_code="295"):
    response = client.get(f"/api/v1/reports/statistics.{fmt}", query_string={"unit": unit_code, **PERIOD},
                          headers=token_for(client, user))
    assert response.status_code == 200
    return response


def test_the_csv_writes_labels_that_begin_as_formulas_with_a_leading_quote(client, make_user,
                                                                          communes_named_as_formulas):
    response = download(client, make_user("supervisor"), "csv")
    labels = {row["row_label"] for row in csv.DictReader(io.StringIO(response.text))
              if row["figure"] == "new_by_unit"}
    assert {"'" + label for label in communes_named_as_formulas} <= labels
    assert not communes_named_as_formulas & labels


def test_the_xlsx_writes_labels_that_begin_as_formulas_as_text_cells(client, make_user, communes_named_as_formulas):
    response = download(client, make_user("supervisor"), "xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    # XML reads a carriage return back as a line feed.
    expected = {label.replace("\r", "\n") for label in communes_named_as_formulas}
    cells = [row[0] for row in sheet.iter_rows() if row[0].value in expected]
    assert {cell.value for cell in cells} == expected
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_a_negative_figure_stays_a_number_in_the_csv_and_the_xlsx(app, units):
    table = Table("change", "Thay đổi", [("cases", "Số hồ sơ")], [Row("fewer", "Giảm", [-3])])
    statistics = Statistics(unit("295"), Period(date(2026, 1, 1), date(2026, 3, 31)), utcnow(), [table])
    with app.test_request_context():
        value = next(csv.DictReader(io.StringIO(exports.as_csv(statistics))))["value"]
        sheet = load_workbook(io.BytesIO(exports.as_xlsx(statistics))).active
    assert value == "-3"
    figure = next(row[1] for row in sheet.iter_rows() if row[0].value == "Giảm")
    assert (figure.value, figure.data_type) == (-3, "n")


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_each_download_is_recorded_under_the_unit_whose_figures_it_holds(client, sign_in, make_user, fmt):
    officer = sign_in(make_user("province_officer"))
    response = client.get(f"/reports/statistics.{fmt}", query_string={"unit": "295", **PERIOD})
    assert response.status_code == 200
    entry = last_audit_entry(action="statistics_export")
    district = unit("295")
    assert (entry.actor, entry.entity, entry.entity_id, entry.unit_path) == (
        officer.username, "units", str(district.id), district.path)
    assert json.loads(entry.changes) == {"format": fmt, **PERIOD}


def test_a_download_over_the_api_is_recorded_too(client, make_user):
    supervisor = make_user("supervisor")
    download(client, supervisor, "xlsx")
    entry = last_audit_entry(action="statistics_export")
    assert (entry.actor, json.loads(entry.changes)["format"]) == (supervisor.username, "xlsx")


def test_a_refused_download_records_no_export(client, sign_in, make_user):
    sign_in(make_user("worker", unit="10933"))
    assert client.get("/reports/statistics.csv", query_string={"unit": "10966", **PERIOD}).status_code == 404
    assert client.get("/reports/statistics.csv", query_string={"unit": "10933", "from": "x"}).status_code == 422
    assert audit_entries(action="statistics_export") == []


def test_the_unit_s_inspector_sees_the_download_in_the_trail(client, sign_in, make_user):
    download(client, make_user("province_officer"), "csv")
    sign_in(make_user("inspector", unit="295"))
    client.post("/language", data={"locale": "en"})
    page = client.get("/audit/", query_string={"action": "statistics_export"}).text
    assert "exported the statistics of Huyện Cẩm Giàng from 01/01/2026 to 31/03/2026 as CSV." in page
