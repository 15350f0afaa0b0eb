"""Answering with a document, shared by the pages and the API."""
from flask import Response, jsonify
from flask_login import current_user

from app.orm import utcnow
from app.access import refuse
from app.reports import case_file, exports, indicators, statistics


def download(data: bytes | str, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A document that no shared cache keeps: case files and extracts are confidential."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def case_file_download(reference: str, inline: bool) -> Response:
    """The case file as a PDF, printed (and recorded) for the signed-in person; 404 outside their scope."""
    printed = case_file.print_case_file(current_user._get_current_object(), reference, utcnow())
    if printed is None:
        refuse(404, entity="cases", entity_id=reference)
    case, document = printed
    return download(document, "application/pdf", f"{case.reference}.pdf", inline=inline)


def statistics_download(fmt: str, unit_code: str | None, period: statistics.Period,
                        figures=statistics) -> Response | None:
    """The statistics in `fmt` (or the indicators on children, `figures=indicators`); None when the unit is not in
    the reader's scope."""
    now = utcnow()
    result = figures.report(current_user, unit_code, period, now)
    if result is None:
        return None
    name = f"{result.kind}-{result.unit.code}-{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"
    document = exports.export(result, fmt, current_user, now)
    if fmt == "json":
        response = jsonify(document)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    mimetype = {"csv": "text/csv", "xlsx": exports.XLSX_MIMETYPE, "pdf": "application/pdf"}[fmt]
    return download(document, mimetype, name)


def indicators_download(fmt: str, unit_code: str | None, period: statistics.Period) -> Response | None:
    return statistics_download(fmt, unit_code, period, figures=indicators)
