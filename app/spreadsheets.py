"""Cells of the spreadsheets the application writes (CSV and XLSX), the one place every writer goes through.

A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula, which can run commands or send the sheet's contents away (OWASP, "CSV Injection").
What people typed reaches these files (a username tried at sign-in, a unit's name), so such text is written to
show as text; numbers, which are never formulas, stay numbers.
"""
from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """`value` for a CSV cell: text that would start a formula gets a single quote before it, as OWASP advises
    (a spreadsheet takes a leading quote as "this is text"); numbers as they are, a negative one included."""
    return "'" + value if starts_formula(value) else value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


def append_row(sheet: Worksheet, values: Iterable) -> list[Cell]:
    """Append `values` to `sheet` as a row and return its cells. Text is always a text cell: openpyxl would write
    text beginning with `=` as a formula. Text that would start a formula also carries the quote prefix, Excel's
    own mark for text typed with a leading quote, so that editing the cell keeps it text."""
    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if starts_formula(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        cells.append(cell)
    sheet.append(cells)
    return cells
