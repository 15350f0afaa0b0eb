"""Report pages: each reads its parameters, calls one service and answers with the page or the document."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import refuse, requires
from app.deadlines.services import local_zone
from app.orm import utcnow
from app.audit.views import filters_from_request
from app.reports import audit_extract, exports, indicators, statistics
from app.reports.forms import StatisticsForm, unit_choices
from app.reports.http import case_file_download, download, indicators_download, statistics_download

bp = Blueprint("reports", __name__, template_folder="templates")


@bp.route("/cases/<reference>/file.pdf")
@requires("cases.read")
def case_file_pdf(reference):
    return case_file_download(reference, inline=True)


def _period(form: StatisticsForm) -> statistics.Period:
    if form.kind.data == "dates":
        return statistics.Period.between(form.start.data, form.end.data)
    year = form.year.data or utcnow().astimezone(local_zone()).year
    return statistics.Period.of(form.kind.data, year, form.number.data or 1)


def _figures_page(figures, endpoint: str):
    """The statistics page, or its sibling of the indicators on children: the same form, tables and downloads."""
    # A first visit asks nothing yet: the form is shown with this year, and nothing is checked.
    form = StatisticsForm(request.args or None, year=utcnow().astimezone(local_zone()).year)
    form.unit.choices = unit_choices(current_user)
    result, downloads, arguments = None, {}, {}
    if request.args and form.validate():
        try:
            period = _period(form)
        except statistics.PeriodRefused as refusal:
            flash(str(refusal), "error")
        else:
            result = figures.report(current_user, form.unit.data or None, period, utcnow())
            if result is None:
                refuse(404, entity="units", entity_id=form.unit.data)
            arguments = {"unit": result.unit_key, "from": period.start.isoformat(), "to": period.end.isoformat()}
            downloads = {fmt: url_for(endpoint, fmt=fmt, **arguments) for fmt in exports.FORMATS}
    return render_template("reports/statistics.html", form=form, result=result, downloads=downloads,
                           figures=figures.__name__.rsplit(".", 1)[-1], arguments=request.args)


def _figures_file(fmt, answer, figures):
    try:
        period = statistics.period_from_arguments(request.args)
    except statistics.PeriodRefused as refusal:
        flash(str(refusal), "error")
        form = StatisticsForm()
        form.unit.choices = unit_choices(current_user)
        return render_template("reports/statistics.html", form=form, result=None, downloads={},
                               figures=figures, arguments={}), 422
    response = answer(fmt, request.args.get("unit"), period)
    if response is None:
        refuse(404, entity="units", entity_id=request.args.get("unit"))
    return response


@bp.route("/reports/statistics")
@requires("reports.statistics")
def statistics_page():
    return _figures_page(statistics, "reports.statistics_file")


@bp.route("/reports/statistics.<any(pdf, csv, json, xlsx):fmt>")
@requires("reports.statistics")
def statistics_file(fmt):
    return _figures_file(fmt, statistics_download, "statistics")


# Issue 18: the ministry's indicators counted per child, beside the statistics of cases; scoped as they are.
@bp.route("/reports/indicators")
@requires("reports.statistics")
def indicators_page():
    return _figures_page(indicators, "reports.indicators_file")


@bp.route("/reports/indicators.<any(pdf, csv, json, xlsx):fmt>")
@requires("reports.statistics")
def indicators_file(fmt):
    return _figures_file(fmt, indicators_download, "indicators")


@bp.route("/audit/extract.pdf")
@requires("audit.read")
def audit_extract_pdf():
    _form, filters = filters_from_request()
    if filters is None:
        flash(_("Correct the filters before exporting."), "error")
        return redirect(url_for("audit.index", **request.args))
    document = audit_extract.print_extract(current_user, filters, utcnow())
    return download(document, "application/pdf", "audit-extract.pdf")
