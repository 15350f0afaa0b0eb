"""ReportLab with an embedded font that has every Vietnamese letter, and the page furniture all reports share.

The built-in Helvetica lacks letters such as "ễ" or "ậ"; DejaVu Sans (shipped in fonts/, with its licence)
has them all. Text is normalised to NFC so that each letter is one glyph, and the PDF's text extracts back
to the same Vietnamese.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_DIR = Path(__file__).parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 18 * mm


@cache
def register_fonts() -> None:
    """Once per process: reading the font files costs more than a small report."""
    pdfmetrics.registerFont(TTFont(FONT, FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=3)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                                  spaceBefore=9, spaceAfter=4),
        "subheading": ParagraphStyle("subheading", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12.5,
                                     spaceBefore=5, spaceAfter=2, keepWithNext=1),
    }


def text(value) -> str:
    """Any value as Paragraph markup: NFC, XML-escaped, line breaks kept."""
    plain = unicodedata.normalize("NFC", "" if value is None else str(value))
    return escape(plain).replace("\n", "<br/>")


def para(value, style: str = "body", bold_prefix: str | None = None) -> Paragraph:
    markup = text(value)
    if bold_prefix:
        markup = f"<b>{text(bold_prefix)}</b> {markup}"
    return Paragraph(markup, styles()[style])


# A value longer than this is printed as paragraphs under its label, not in a table's cell: ReportLab cannot place
# a row taller than a page, and the texts people write (up to 50,000 characters) are.
LONG_TEXT = 400


def paragraphs(value, style: str = "body") -> list[Paragraph]:
    """A text of any length as one paragraph per line, each free to continue on the next page."""
    lines = [line for line in ("" if value is None else str(value)).split("\n") if line.strip()]
    return [para(line, style) for line in lines] or [para("", style)]


def facts(pairs: list[tuple[str, object]], width: float) -> list:
    """Label and value, two columns, as on the case page; a long value follows as paragraphs under its label."""
    flowables, rows = [], []

    def table_of_rows() -> None:
        if rows:
            table = Table(rows[:], colWidths=[width * 0.3, width * 0.7], splitInRow=1)
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                                       ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))
            flowables.append(table)
            rows.clear()

    for label, value in pairs:
        if len(str(value or "")) > LONG_TEXT:
            table_of_rows()
            flowables.append(para(label, "subheading"))
            flowables.extend(paragraphs(value))
        else:
            rows.append([para(label, "cell"), para(value, "cell")])
    table_of_rows()
    return flowables


def grid(header: list[str], rows: list[list], widths: list[float], numeric_from: int | None = None) -> Table:
    """A table with a bold header row repeated on each page; columns from `numeric_from` align right. A row taller
    than what is left of the page continues on the next (`splitInRow`)."""
    body = [[para(cell, "cell") for cell in header]]
    for row in rows:
        body.append([para(cell, "cell") if index < (numeric_from or len(row)) else _number(cell)
                     for index, cell in enumerate(row)])
    table = Table(body, colWidths=widths, repeatRows=1, splitInRow=1)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5"))]
    table.setStyle(TableStyle(commands))
    return table


def _number(value) -> Paragraph:
    return Paragraph(text(value), ParagraphStyle("number", parent=styles()["cell"], alignment=2))


@dataclass(frozen=True)
class Letterhead:
    """What every page says, already in the reader's language."""

    unit: str
    title: str
    reference: str | None
    confidential: str | None
    printed: str
    page_label: Callable[[int, int], str]


def _fitted(value: str, font: str, size: float, room: float) -> str:
    """One line of the page's furniture, cut to `room` and ending in "…" when it would run off the page."""
    line = " ".join(unicodedata.normalize("NFC", value).split())
    if pdfmetrics.stringWidth(line, font, size) <= room:
        return line
    while line and pdfmetrics.stringWidth(line + "…", font, size) > room:
        line = line[:-1]
    return line.rstrip() + "…"


def _furniture_canvas(letterhead: Letterhead):
    """A canvas that holds its pages until the end, so that each can say "page x of y"."""

    class FurnishedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw(number, total)
                super().showPage()
            super().save()

        def _draw(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#333333"))
            top = height - 12 * mm
            right = " · ".join(part for part in (letterhead.reference, letterhead.confidential) if part)
            right_width = pdfmetrics.stringWidth(right, FONT_BOLD, 8) + 6 * mm
            self.drawString(MARGIN, top, _fitted(letterhead.unit, FONT, 8, width - 2 * MARGIN - right_width))
            if letterhead.confidential:
                self.setFont(FONT_BOLD, 8)
                self.setFillColor(colors.HexColor("#b42318"))
            self.drawRightString(width - MARGIN, top, unicodedata.normalize("NFC", right))
            self.setStrokeColor(colors.lightgrey)
            self.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
            self.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#333333"))
            page_label = letterhead.page_label(number, total)
            page_width = pdfmetrics.stringWidth(page_label, FONT, 7.5) + 6 * mm
            self.drawString(MARGIN, 10 * mm, _fitted(letterhead.printed, FONT, 7.5, width - 2 * MARGIN - page_width))
            self.drawRightString(width - MARGIN, 10 * mm, page_label)
            self.restoreState()

    return FurnishedCanvas


def render(flowables: list, letterhead: Letterhead, wide: bool = False) -> bytes:
    """The flowables on A4 (landscape when `wide`), with the letterhead on every page."""
    register_fonts()
    buffer = io.BytesIO()
    pagesize = landscape(A4) if wide else A4
    document = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=20 * mm, bottomMargin=20 * mm, title=letterhead.title,
                                 author=letterhead.unit)
    document.build(flowables, canvasmaker=_furniture_canvas(letterhead))
    return buffer.getvalue()


def frame_width(wide: bool = False) -> float:
    return (landscape(A4) if wide else A4)[0] - 2 * MARGIN
