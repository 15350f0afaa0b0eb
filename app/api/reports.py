"""Documents over the API (../shared/API.md, Documents): the same services and scope as the pages."""
from flask import request
from flask_babel import gettext as _

from app.access import refuse, requires
from app.api import bp
from app.api.errors import ApiError
from app.documents.http import form_download
from app.reports import statistics
from app.reports.http import case_file_download, indicators_download, statistics_download


@bp.get("/cases/<reference>/file.pdf")
@requires("cases.read")
def case_file_pdf(reference):
    return case_file_download(reference, inline=False)


@bp.get("/cases/<reference>/documents/<form>.pdf")
@bp.get("/cases/<reference>/documents/<form>")
@requires("cases.read")
def statutory_form(reference, form):
    return form_download(reference, form, inline=False)


@bp.get("/reports/statistics.<any(pdf, csv, json, xlsx):fmt>")
@requires("reports.statistics")
def statistics_file(fmt):
    try:
        period = statistics.period_from_arguments(request.args)
    except statistics.PeriodRefused as refusal:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."),
                       {"period": [str(refusal)]}) from None
    response = statistics_download(fmt, request.args.get("unit"), period)
    if response is None:
        refuse(404, entity="units", entity_id=request.args.get("unit"))
    return response


@bp.get("/reports/indicators.<any(pdf, csv, json, xlsx):fmt>")
@requires("reports.statistics")
def indicators_file(fmt):
    """The indicators on children (API.md, Documents), in the statistics' formats."""
    try:
        period = statistics.period_from_arguments(request.args)
    except statistics.PeriodRefused as refusal:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."),
                       {"period": [str(refusal)]}) from None
    response = indicators_download(fmt, request.args.get("unit"), period)
    if response is None:
        refuse(404, entity="units", entity_id=request.args.get("unit"))
    return response
