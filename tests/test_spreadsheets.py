"""Spreadsheet cells (OWASP, CSV injection): text that a spreadsheet would run as a formula is written to show as
text, in CSV and in XLSX; numbers stay numbers."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.spreadsheets import append_row, csv_cell

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(1+2)", "\t=1+2", "\r=1+2"]


def written_and_read_back(values) -> list:
    book = Workbook()
    append_row(book.active, values)
    buffer = io.BytesIO()
    book.save(buffer)
    return list(next(load_workbook(buffer).active.iter_rows()))


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_text_beginning_as_a_formula_gets_a_leading_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Xã Cẩm Phúc", "a=b", "", "'quoted", 3, -3, -1.5, 0, None])
def test_csv_other_text_and_numbers_negative_ones_included_are_written_as_they_are(value):
    assert csv_cell(value) is value


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_text_beginning_as_a_formula_is_a_text_cell_with_excel_s_quote_prefix(text):
    cell, = written_and_read_back([text])
    # XML reads a carriage return back as a line feed.
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)


def test_xlsx_numbers_negative_ones_included_stay_numbers_and_plain_text_stays_plain():
    negative, fraction, plain = written_and_read_back([-3, -1.5, "Xã Cẩm Phúc"])
    assert (negative.value, negative.data_type) == (-3, "n")
    assert (fraction.value, fraction.data_type) == (-1.5, "n")
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("Xã Cẩm Phúc", "s", False)
