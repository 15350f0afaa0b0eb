"""A sent report on paper and in a spreadsheet: the PDF laid out as the statutory forms are (national header, the
issuing committee, number and date, signer's block; Decree 30/2020 on administrative documents), the XLSX with its
figures. Both are in Vietnamese, the language reports are sent in."""
from __future__ import annotations

import io
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.platypus import Spacer

from app.audit.recorder import ACTIONS, record
from app.deadlines.services import local_zone
from app.documents import layout
from app.extensions import db
from app.i18n import display_datetime
from app.reporting import figures as figure_groups
from app.reporting.models import SECTION_LABELS, SECTIONS, Report
from app.reports import pdf
from app.spreadsheets import append_row

ACTIONS["unit_report_printed"] = _l("Report to the level above printed")
ACTIONS["unit_report_exported"] = _l("Report figures exported")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def _tables(page: layout.Page, taken: dict) -> list:
    flowables = []
    for group in taken["groups"]:
        if len(taken["groups"]) > 1:
            flowables.append(pdf.para(figure_groups.group_label(group["key"]).upper(), "subheading"))
        for table in group["tables"]:
            flowables.append(pdf.para(table["title"], "subheading"))
            if table.get("note"):
                flowables.append(pdf.para(table["note"]))
            columns = table["columns"]
            label_width = page.width * (0.4 if len(columns) > 1 else 0.7)
            share = (page.width - label_width) / max(1, len(columns))
            rows = [[row["label"], *[_cell(value) for value in row["values"]]]
                    for row in table["rows"] + ([table["total"]] if table["total"] else [])]
            flowables.append(pdf.grid(["", *columns], rows, [label_width] + [share] * len(columns), numeric_from=1))
    return flowables


def title_of(report: Report) -> str:
    return report.round.kind_label.upper()


def _recipient(report: Report) -> str:
    """Where it goes: the unit above; a department's, to the province through the department that consolidates."""
    if report.department is not None:
        return "UBND tỉnh (qua Sở Lao động – Thương binh và Xã hội);"
    return f"{report.unit.parent.name};" if report.unit.parent else "UBND tỉnh;"


def render_pdf(report: Report, by, at: datetime) -> bytes:
    pdf.register_fonts()  # the dotted number is measured in the font before anything else is laid out
    with force_locale("vi"):
        page = layout.Page.of_a4()
        day = report.submitted_at.astimezone(local_zone()).date() if report.submitted_at else None
        number = (f"Số: {report.number}" if report.number
                  else f"Số: {layout.dots(40)}/BC" if report.department else f"Số: {layout.dots(40)}/BC-UBND")
        heading = layout.Heading(committee=report.reporter_name, number=number,
                                 place=layout.place_name(report.unit.name), day=day,
                                 superior=None if report.department else "ỦY BAN NHÂN DÂN")
        round_ = report.round
        flowables = [layout.national_header(page, heading), Spacer(0, 4),
                     *layout.title(title_of(report),
                                   f"Kỳ báo cáo từ ngày {round_.period_start:%d/%m/%Y} "
                                   f"đến ngày {round_.period_end:%d/%m/%Y}")]
        taken = report.figures or figure_groups.empty_like()
        number_of = iter(ROMAN)
        # A department reports in words only: it holds no cases to count.
        if report.department is None:
            flowables.append(layout.section(f"{next(number_of)}. SỐ LIỆU"))
            units = [part for part in report.parts if not part.get("department")]
            if units:
                flowables.append(layout.body(f"Tổng hợp từ báo cáo đã được chấp nhận của {len(units)} đơn vị."))
            flowables += _tables(page, taken)
        sections = report.sections
        for key in SECTIONS[round_.kind]:
            flowables.append(layout.section(f"{next(number_of)}. {str(SECTION_LABELS[key]).upper()}"))
            flowables += layout.text_block(page, None, sections.get(key), lines=3)
        for heading_text, listed in (("BÁO CÁO CỦA CÁC ĐƠN VỊ", [p for p in report.parts if not p.get("department")]),
                                     ("BÁO CÁO CỦA CÁC SỞ, BAN, NGÀNH, ĐOÀN THỂ",
                                      [p for p in report.parts if p.get("department")])):
            if not listed:
                continue
            flowables.append(layout.section(f"{next(number_of)}. {heading_text}"))
            for part in listed:
                flowables.append(pdf.para(part["unit"], "subheading"))
                for key, text in part["sections"].items():
                    if text:
                        flowables.append(pdf.para(text, bold_prefix=f"{SECTION_LABELS.get(key, key)}:"))
        signer_title = report.signer_title or ("CHỦ TỊCH" if report.unit.level == "commune" and not report.department
                                               else "")
        flowables.append(layout.signature_block(
            page, layout.Signature(titles=(signer_title.upper(),), note="(Ký, ghi rõ họ tên, đóng dấu)",
                                   name=report.signer_name),
            recipients=(_recipient(report), "Lưu: VT.")))
        letterhead = pdf.Letterhead(
            unit=report.reporter_name, title=title_of(report), reference=None, confidential=None,
            printed=_("Printed by %(name)s (%(username)s) on %(time)s", name=by.full_name, username=by.username,
                      time=display_datetime(at)),
            page_label=lambda page_number, pages: _("Page %(page)d of %(pages)d", page=page_number, pages=pages))
        return pdf.render(flowables, letterhead)


def render_xlsx(report: Report) -> bytes:
    with force_locale("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = "Số liệu"
        bold = Font(bold=True)
        append_row(sheet, [f"{title_of(report)} – {report.reporter_name}"])[0].font = Font(bold=True, size=13)
        append_row(sheet, [f"Từ ngày {report.round.period_start:%d/%m/%Y} đến ngày {report.round.period_end:%d/%m/%Y}"])
        append_row(sheet, [])
        groups = (report.figures or figure_groups.empty_like())["groups"]
        for group in groups:
            if len(groups) > 1:
                append_row(sheet, [figure_groups.group_label(group["key"]).upper()])[0].font = bold
            for table in group["tables"]:
                append_row(sheet, [table["title"]])[0].font = bold
                for cell in append_row(sheet, ["", *table["columns"]]):
                    cell.font = bold
                for row in table["rows"] + ([table["total"]] if table["total"] else []):
                    append_row(sheet, [row["label"], *row["values"]])
                append_row(sheet, [])
        sheet.column_dimensions["A"].width = 58
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def export(report: Report, fmt: str, by, at: datetime) -> bytes:
    """The report as `fmt` (pdf or xlsx), its taking recorded in the trail under the reporting unit."""
    document = render_pdf(report, by, at) if fmt == "pdf" else render_xlsx(report)
    record(db.session, "unit_report_printed" if fmt == "pdf" else "unit_report_exported", entity="unit_reports",
           entity_id=report.id, unit_path=report.unit.path, changes={"format": fmt})
    db.session.commit()
    return document
