"""The statistics, and the indicators on children, as JSON, CSV, XLSX and PDF: the same tables in each."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.audit.recorder import record
from app.extensions import db
from app.i18n import display_date, display_datetime, display_number, number_pattern
from app.reports import pdf
from app.reports.statistics import Statistics, Table
from app.spreadsheets import append_row, csv_row

FORMATS = ("pdf", "xlsx", "csv", "json")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period_label(statistics: Statistics) -> str:
    return _("From %(start)s to %(end)s", start=display_date(statistics.period.start),
             end=display_date(statistics.period.end))


def _all_rows(table: Table):
    return [*table.rows, *([table.total] if table.total else [])]


def _values(table: Table, row) -> dict:
    return dict(zip([key for key, _label in table.columns], row.values, strict=True))


def as_json(statistics: Statistics) -> dict:
    summary = statistics.summary() if hasattr(statistics, "summary") else {}
    return {**summary,
        "unit": {"code": statistics.unit.code, "edition": statistics.unit.edition, "name": statistics.unit.name},
        "from": statistics.period.start.isoformat(), "to": statistics.period.end.isoformat(),
        "generated_at": statistics.generated_at.isoformat(),
        "figures": {table.key: {
            "title": table.title, "note": table.note,
            "columns": [{"key": key, "label": label} for key, label in table.columns],
            "rows": [{"key": row.key, "label": row.label, "values": _values(table, row)} for row in table.rows],
            "total": None if table.total is None else {
                "key": table.total.key, "label": table.total.label, "values": _values(table, table.total)},
        } for table in statistics.tables},
    }


CSV_HEADER = ("unit", "from", "to", "figure", "row", "column", "value", "figure_label", "row_label", "column_label")


def as_csv(statistics: Statistics) -> str:
    """One line per cell: keys for scripts, labels for people, in the same file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(CSV_HEADER))
    common = (statistics.unit.code, statistics.period.start.isoformat(), statistics.period.end.isoformat())
    for table in statistics.tables:
        for row in _all_rows(table):
            for (column, column_label), value in zip(table.columns, row.values, strict=True):
                writer.writerow(csv_row((*common, table.key, row.key, column, "" if value is None else value,
                                         table.title, row.label, column_label)))
    return buffer.getvalue()


def as_xlsx(statistics: Statistics) -> bytes:
    """One sheet laid out as the paper report, so that office staff can copy it into the ministry's forms."""
    book = Workbook()
    sheet = book.active
    sheet.title = (_("Statistics") if statistics.kind == "statistics" else _("Indicators"))[:31]
    bold = Font(bold=True)
    append_row(sheet, [statistics.heading])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [_period_label(statistics)])
    append_row(sheet, [])
    for table in statistics.tables:
        append_row(sheet, [table.title])[0].font = bold
        for cell in append_row(sheet, ["", *[label for _key, label in table.columns]]):
            cell.font = bold
        for row in _all_rows(table):
            label, *cells = append_row(sheet, [row.label, *row.values])
            # The cell keeps the number; its format shows it as the reader's Excel writes numbers (6,0 in Vietnamese).
            for cell, value in zip(cells, row.values, strict=True):
                if value is not None:
                    cell.number_format = number_pattern(value)
        if table.total:  # the last row written
            label.font = bold
        if table.note:
            append_row(sheet, [table.note])
        append_row(sheet, [])
    sheet.column_dimensions["A"].width = 58
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_pdf(statistics: Statistics, viewer, now) -> bytes:
    width = pdf.frame_width()
    flowables = [pdf.para(statistics.heading, "title"),
                 pdf.para(_period_label(statistics))]
    for table in statistics.tables:
        flowables.append(pdf.para(table.title, "heading"))
        label_width = width * (0.4 if len(table.columns) > 2 else 0.7)
        share = (width - label_width) / len(table.columns)
        rows = [[row.label, *[display_number(value) for value in row.values]] for row in _all_rows(table)]
        flowables.append(pdf.grid(["", *[label for _key, label in table.columns]], rows,
                                  [label_width] + [share] * len(table.columns), numeric_from=1))
        if table.note:
            flowables.append(pdf.para(table.note, "small"))
    letterhead = pdf.Letterhead(
        unit=statistics.unit.name, title=statistics.heading, reference=None,
        confidential=None,
        printed=_("Printed by %(name)s (%(username)s) on %(time)s", name=viewer.full_name, username=viewer.username,
                  time=display_datetime(now)),
        page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))
    return pdf.render(flowables, letterhead)


def export(statistics: Statistics, fmt: str, viewer, now) -> dict | str | bytes:
    """The statistics in `fmt` (one of FORMATS), their export recorded in the trail under the unit whose figures
    they are, so that the unit's inspectors see who took its figures away, as they see extracts and printed files."""
    if fmt == "pdf":
        document = as_pdf(statistics, viewer, now)
    else:
        document = {"json": as_json, "csv": as_csv, "xlsx": as_xlsx}[fmt](statistics)
    record(db.session, f"{statistics.kind}_export", entity="units", entity_id=statistics.unit.id,
           unit_path=statistics.unit.path, changes={"format": fmt, "from": statistics.period.start.isoformat(),
                                                    "to": statistics.period.end.isoformat()})
    db.session.commit()
    return document
