"""The holiday calendar that working-day deadlines skip, and the province's service standards, kept by
administrators."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import may_keep_holidays, may_set_standards, refuse, requires
from app.deadlines import services
from app.deadlines.forms import HolidayForm, ServiceStandardForm
from app.deadlines.models import Holiday
from app.extensions import db
from app.orm import utcnow

bp = Blueprint("holidays", __name__, url_prefix="/admin/holidays", template_folder="templates")
standards_bp = Blueprint("standards", __name__, url_prefix="/admin/standards", template_folder="templates")


@bp.route("/", methods=["GET", "POST"])
@requires("holidays.manage")
def index():
    year = min(max(request.args.get("year", utcnow().year, type=int), 2000), 2100)
    form = HolidayForm()
    keeper = may_keep_holidays(current_user)
    if request.method == "POST" and not keeper:
        refuse(403)
    if form.validate_on_submit():
        try:
            holiday = services.add_holiday(form.day.data, form.name.data)
        except services.HolidayRejected as refusal:
            form.day.errors.append(str(refusal))
        else:
            flash(_("%(day)s added to the holidays.", day=holiday.day.strftime("%d/%m/%Y")), "success")
            return redirect(url_for("holidays.index", year=holiday.day.year))
    return render_template("deadlines/holidays.html", form=form, year=year, holidays=services.holidays_of(year),
                           keeper=keeper)


@bp.route("/<int(max=2147483647):holiday_id>/delete", methods=["POST"])
@requires("holidays.manage")
def delete(holiday_id):
    if not may_keep_holidays(current_user):
        refuse(403)
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None:
        refuse(404, entity="holidays", entity_id=holiday_id)
    year = holiday.day.year
    services.remove_holiday(holiday)
    flash(_("The holiday was removed. Deadlines already set keep their dates."), "success")
    return redirect(url_for("holidays.index", year=year))


@standards_bp.route("/", methods=["GET", "POST"])
@requires("standards.manage")
def standards():
    province = services.province_of(current_user.unit)
    keeper = may_set_standards(current_user)
    if request.method == "POST" and not keeper:
        refuse(403)
    days = services.initial_assessment_working_days(province)
    form = ServiceStandardForm(data={"initial_assessment_working_days": days})
    if form.validate_on_submit():
        try:
            services.set_initial_assessment_standard(province, form.initial_assessment_working_days.data)
        except services.StandardRejected as refusal:
            form.initial_assessment_working_days.errors.append(str(refusal))
        else:
            flash(_("The service standard was saved. It applies to reports received from now on."), "success")
            return redirect(url_for("standards.standards"))
    return render_template("deadlines/standards.html", form=form, province=province, days=days, keeper=keeper,
                           default=services.DEFAULT_INITIAL_ASSESSMENT_WORKING_DAYS)
