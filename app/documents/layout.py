"""The parts every statutory form shares, as the appendix of Decree 56/2017 and Decree 30/2020 (on administrative
documents) lay them out: the national header beside the issuing committee and the document's number, the place and
date line, the title, numbered sections, fields that print as dotted lines while the case does not hold them, and
the signature block.

Fonts, escaping and text that flows across pages come from app/reports/pdf.py, as for the case file.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.reports import pdf

DOT = "."
# The levels a unit's name starts with; the date line names the place without them ("Cẩm Phúc, ngày ...").
UNIT_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Phường ", "Huyện ", "Quận ", "Tỉnh ", "Xã ")


@cache
def styles() -> dict[str, ParagraphStyle]:
    base = pdf.styles()["body"]
    centre = ParagraphStyle("centre", parent=base, alignment=1, spaceAfter=0)
    return {
        "body": ParagraphStyle("form-body", parent=base, fontSize=10.5, leading=14.5, spaceAfter=2),
        "centre": centre,
        "centre-bold": ParagraphStyle("centre-bold", parent=centre, fontName=pdf.FONT_BOLD),
        "title": ParagraphStyle("form-title", parent=centre, fontName=pdf.FONT_BOLD, fontSize=13, leading=17,
                                spaceBefore=10),
        "subtitle": ParagraphStyle("form-subtitle", parent=centre, fontName=pdf.FONT_BOLD, fontSize=11, leading=14,
                                   spaceAfter=8),
        "form-number": ParagraphStyle("form-number", parent=base, alignment=2, fontSize=9, leading=11,
                                      spaceAfter=4),
        "section": ParagraphStyle("form-section", parent=base, fontName=pdf.FONT_BOLD, fontSize=10.5, leading=14.5,
                                  spaceBefore=6, spaceAfter=2, keepWithNext=1),
        "small-centre": ParagraphStyle("small-centre", parent=centre, fontSize=8.5, leading=11),
    }


def dots(width: float, size: float = 10.5) -> str:
    """A dotted line `width` points long, where the paper form leaves room to write by hand."""
    return DOT * max(3, int(width / pdfmetrics.stringWidth(DOT, pdf.FONT, size)))


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Page:
    """What the builders need to know of the page: the width text may take."""

    width: float

    @classmethod
    def of_a4(cls) -> Page:
        # ReportLab's frame keeps 6 points of padding on each side of the text.
        return cls(pdf.frame_width() - 12)


def field(page: Page, label: str, value) -> Paragraph:
    """"Label: value" on one line, or "Label: ....." to the end of the line when the case does not hold it."""
    style = styles()["body"]
    if blank(value):
        label_width = pdfmetrics.stringWidth(f"{label}: ", pdf.FONT, style.fontSize)
        # A label longer than the line leaves its dots to the next; each line is at most the frame's width.
        room = page.width - label_width % page.width - 4
        return Paragraph(f"{pdf.text(label)}: {dots(room if room > 40 else page.width - 4)}", style)
    return Paragraph(f"{pdf.text(label)}: {pdf.text(value)}", style)


def fields_in_line(page: Page, pairs: list[tuple[str, object]]) -> Paragraph:
    """Short fields side by side, as the forms print "Ngày sinh: ...... Giới tính: ......"."""
    style = styles()["body"]
    share = page.width / len(pairs)
    parts = []
    for label, value in pairs:
        shown = pdf.text(value) if not blank(value) else dots(share - pdfmetrics.stringWidth(
            f"{label}: ", pdf.FONT, style.fontSize) - 12)
        parts.append(f"{pdf.text(label)}: {shown}")
    return Paragraph("&nbsp;&nbsp;&nbsp;".join(parts), style)


def text_block(page: Page, label: str | None, value, lines: int = 3) -> list:
    """A free text under its label, paragraph by paragraph so that any length flows onto the next pages; while the
    case does not hold it, `lines` dotted lines."""
    flowables = [Paragraph(pdf.text(label) + ":", styles()["body"])] if label else []
    if blank(value):
        flowables.extend(Paragraph(dots(page.width - 4), styles()["body"]) for _ in range(lines))
    else:
        flowables.extend(_paragraphs(value))
    return flowables


def _paragraphs(value) -> list[Paragraph]:
    """One paragraph per line, each free to continue on the next page (as app/reports/pdf.py `paragraphs`)."""
    lines = [line for line in str(value).split("\n") if line.strip()]
    return [Paragraph(pdf.text(line), styles()["body"]) for line in lines]


def section(title: str) -> Paragraph:
    return Paragraph(pdf.text(title), styles()["section"])


def body(value: str) -> Paragraph:
    """A sentence of the form's own wording, which may hold values already escaped by `pdf.text`."""
    return Paragraph(value, styles()["body"])


def place_and_date(place: str | None, day: date | None) -> str:
    """"Cẩm Phúc, ngày 06 tháng 12 năm 2026", or its dotted form for a date still to be written by hand."""
    where = pdf.text(place) if place else dots(60)
    if day is None:
        return f"{where}, ngày {dots(18)} tháng {dots(18)} năm {dots(28)}"
    # Decree 30/2020 annex I: days and months below 10 (and below 3 for months) are written with a leading zero.
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{where}, ngày {day.day:02d} tháng {month} năm {day.year}"


def place_name(unit_name: str) -> str:
    name = unicodedata.normalize("NFC", unit_name)
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


@dataclass(frozen=True)
class Heading:
    """The top of a form: who issues it, its number, and where and when."""

    committee: str  # the unit's name, "Xã Cẩm Phúc"
    number: str | None  # "Số: 12/QĐ-UBND"; None for a form that carries no number
    place: str | None
    day: date | None
    # The line above the issuing body: the People's Committee for a unit; none for a department or agency, whose
    # superior body (a ministry, a mass organisation's central body) the system does not know.
    superior: str | None = "ỦY BAN NHÂN DÂN"


def national_header(page: Page, heading: Heading) -> Table:
    """The issuing committee on the left, the national header on the right, as on every administrative document."""
    st = styles()
    left = [*([Paragraph(heading.superior, st["centre-bold"])] if heading.superior else []),
            Paragraph(pdf.text(heading.committee.upper()), st["centre-bold"]),
            Paragraph("–––––––", st["centre"])]
    if heading.number is not None:
        left.append(Paragraph(pdf.text(heading.number), st["centre"]))
    right = [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st["centre-bold"]),
             Paragraph("Độc lập - Tự do - Hạnh phúc", st["centre-bold"]),
             Paragraph("–––––––––––––––", st["centre"]),
             Paragraph(place_and_date(heading.place, heading.day), st["centre"])]
    table = Table([[left, right]], colWidths=[page.width * 0.4, page.width * 0.6])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def number_line(form_number: str) -> Paragraph:
    """"Mẫu số 05", above the header on the right, as the appendix prints it."""
    return Paragraph(pdf.text(form_number), styles()["form-number"])


def title(text: str, subtitle: str | None = None) -> list:
    flowables = [Paragraph(pdf.text(text), styles()["title"])]
    if subtitle:
        flowables.append(Paragraph(pdf.text(subtitle), styles()["subtitle"]))
    else:
        flowables.append(Spacer(0, 6))
    return flowables


def decides() -> Paragraph:
    """"QUYẾT ĐỊNH:", centred between a decision's grounds and its articles."""
    return Paragraph("QUYẾT ĐỊNH:", styles()["title"])


@dataclass(frozen=True)
class Signature:
    """Who signs: the title lines in capitals ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), what the signer adds by hand, and
    the name; a title or name the case does not hold prints dotted."""

    titles: tuple[str, ...]
    note: str
    name: str | None


def signature_block(page: Page, signature: Signature, recipients: tuple[str, ...] = ()) -> KeepTogether:
    """The signer on the right and, for a decision, where its copies go ("Nơi nhận") on the left."""
    st = styles()
    right = [Paragraph(pdf.text(line) if not blank(line) else dots(page.width * 0.4), st["centre-bold"])
             for line in signature.titles]
    right += [Paragraph(pdf.text(signature.note), st["small-centre"]), Spacer(0, 22 * mm),
              Paragraph(pdf.text(signature.name) if not blank(signature.name) else dots(page.width * 0.4),
                        st["centre-bold"])]
    left = []
    if recipients:
        small = ParagraphStyle("recipients", parent=st["body"], fontSize=9, leading=11.5)
        left.append(Paragraph("<b>Nơi nhận:</b>", small))
        left.extend(Paragraph(pdf.text(f"- {line}"), small) for line in recipients)
    table = Table([[left, right]], colWidths=[page.width * 0.45, page.width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 10)]))
    return KeepTogether([table])


def marks(page: Page, header: list[str], rows: list[tuple[str, list[bool | None]]]) -> Table:
    """A checklist: each row a sign or criterion, an "X" in the column that applies; rows the case has not
    answered print empty boxes to tick by hand."""
    cell = ParagraphStyle("mark-cell", parent=pdf.styles()["cell"], fontSize=9.5, leading=12)
    centre = ParagraphStyle("mark-centre", parent=cell, alignment=1)
    data = [[Paragraph(pdf.text(text), cell if index == 0 else centre) for index, text in enumerate(header)]]
    for label, ticks in rows:
        data.append([Paragraph(pdf.text(label), cell)]
                    + [Paragraph("X" if tick else "", centre) for tick in ticks])
    columns = len(header) - 1
    first = page.width - columns * 22 * mm
    table = Table(data, colWidths=[first] + [22 * mm] * columns, repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("FONTNAME", (0, 0), (-1, -1), pdf.FONT)]))
    return table


def rows_table(page: Page, header: list[str], rows: list[list[str]], shares: list[float], blank_rows: int = 4) -> Table:
    """A table of the form (the plan's activities); without rows, `blank_rows` empty ones to fill by hand."""
    cell = ParagraphStyle("rows-cell", parent=pdf.styles()["cell"], fontSize=9.5, leading=12)
    head = ParagraphStyle("rows-head", parent=cell, fontName=pdf.FONT_BOLD, alignment=1)
    data = [[Paragraph(pdf.text(text), head) for text in header]]
    data += [[Paragraph(pdf.text(value), cell) for value in row] for row in rows]
    data += [[Paragraph("&nbsp;<br/>&nbsp;", cell) for _ in header] for _ in range(blank_rows if not rows else 0)]
    table = Table(data, colWidths=[page.width * share for share in shares], repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
