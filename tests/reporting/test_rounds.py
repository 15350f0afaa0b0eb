"""The reporting calendar: the province's officer sets rounds, every unit that reports gets its report, rounds
recur: the sweep sets the next one when a period ends, or the officer sets it early."""
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.cases.services import Invalid, NotAllowed, WrongState
from app.deadlines.services import local_zone
from app.escalations import services as escalations
from app.extensions import db
from app.reporting import services
from app.reporting.models import Report, ReportRound
from app.units.models import Unit


def reports_of(round_):
    return list(db.session.scalars(sa.select(Report).where(Report.round_id == round_.id)))


def test_a_round_gives_every_commune_district_and_the_province_a_report(make_round):
    round_ = make_round()
    levels = [report.unit.level for report in reports_of(round_)]
    assert levels.count("commune") == 235 and levels.count("district") == 12 and levels.count("province") == 1


def test_communes_are_due_on_the_round_s_day_and_consolidating_units_on_theirs(make_round):
    round_ = make_round()
    by_code = {report.unit.code: report for report in reports_of(round_)}
    assert by_code["10933"].due_day == round_.due_on
    assert by_code["295"].due_day == round_.consolidation_due_on == by_code["30"].due_day


def test_only_the_province_s_officer_sets_rounds(make_user, make_round):
    with pytest.raises(NotAllowed):
        make_round(by=make_user("supervisor"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportRound)) == 0


def test_a_period_that_ends_before_it_starts_is_refused_and_nothing_is_written(officer):
    with pytest.raises(Invalid) as refused:
        services.create_round(officer, "year", date(2026, 6, 30), date(2026, 1, 1), date(2026, 7, 10),
                              date(2026, 7, 20))
    assert "period_end" in refused.value.fields
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0


def test_consolidated_reports_cannot_be_due_before_the_units_reports(officer):
    with pytest.raises(Invalid) as refused:
        services.create_round(officer, "year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 10),
                              date(2026, 7, 5))
    assert "consolidation_due_on" in refused.value.fields


def test_a_half_yearly_round_recurs_for_the_next_half_year(officer):
    first = services.create_round(officer, "half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 10),
                                  date(2026, 7, 20), "half")
    following = services.repeat_round(officer, first)
    assert (following.period_start, following.period_end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert (following.due_on, following.consolidation_due_on) == (date(2027, 1, 10), date(2027, 1, 20))
    assert len(reports_of(following)) == 248


def test_the_month_of_action_recurs_every_year(officer):
    june = services.create_round(officer, "month_of_action", date(2026, 6, 1), date(2026, 6, 30), date(2026, 7, 5),
                                 date(2026, 7, 10), "year")
    following = services.repeat_round(officer, june)
    assert (following.period_start, following.period_end) == (date(2027, 6, 1), date(2027, 6, 30))


def test_a_round_is_repeated_once(officer):
    first = services.create_round(officer, "year", date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 10),
                                  date(2026, 1, 20), "year")
    services.repeat_round(officer, first)
    with pytest.raises(WrongState):
        services.repeat_round(officer, first)


def test_a_round_set_once_does_not_recur(officer):
    first = services.create_round(officer, "year", date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 10),
                                  date(2026, 1, 20), "none")
    with pytest.raises(WrongState):
        services.repeat_round(officer, first)


def test_the_round_page_sets_a_round_in_vietnamese(client, sign_in, officer):
    sign_in(officer)
    page = client.get("/reporting/rounds/new")
    assert "Đặt kỳ báo cáo" in page.get_data(as_text=True)
    response = client.post("/reporting/rounds/new", data={
        "kind": "month_of_action", "period_start": "2026-06-01", "period_end": "2026-06-30", "due_on": "2026-07-05",
        "consolidation_due_on": "2026-07-10", "recurrence": "year"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(ReportRound.kind)) == "month_of_action"


def test_the_round_page_refuses_bad_days_with_a_message_and_writes_nothing(client, sign_in, officer):
    sign_in(officer)
    response = client.post("/reporting/rounds/new", data={
        "kind": "year", "period_start": "2026-06-30", "period_end": "2026-01-01", "due_on": "2026-07-05",
        "consolidation_due_on": "2026-07-10", "recurrence": "year"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportRound)) == 0


def test_a_supervisor_may_not_open_the_round_form(client, sign_in, make_user):
    sign_in(make_user("supervisor"))
    assert client.get("/reporting/rounds/new").status_code in (403, 404)


def test_units_of_the_list_are_all_in_a_round_of_the_province(make_round):
    round_ = make_round()
    assert len(reports_of(round_)) == db.session.scalar(
        sa.select(sa.func.count()).select_from(Unit).where(Unit.edition == "2024"))


# Recurring on schedule: the deadline sweep sets the next round on its first day.

def at(day, hour=8):
    return datetime.combine(day, time(hour), tzinfo=local_zone())


def half_year(officer, recurrence="half"):
    return services.create_round(officer, "half_year", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 10),
                                 date(2026, 7, 20), recurrence)


def test_the_sweep_sets_the_next_round_on_the_first_day_of_the_next_period(officer):
    first = half_year(officer)
    assert escalations.sweep(at(date(2026, 6, 30), 23)).rounds == []
    [number] = escalations.sweep(at(date(2026, 7, 1))).rounds
    following = db.session.get(ReportRound, number)
    assert (following.period_start, following.period_end, following.due_on) == (
        date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 10))
    assert following.previous_id == first.id and following.created_by_id is None
    assert following.recurrence == "half" and len(reports_of(following)) == 248


def test_the_sweep_sets_the_next_round_once(officer):
    half_year(officer)
    assert len(services.recur(at(date(2026, 7, 1)))) == 1
    assert services.recur(at(date(2026, 7, 2))) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportRound)) == 2


def test_the_next_month_of_action_is_set_on_1_june_not_when_the_last_one_ended(officer):
    june = services.create_round(officer, "month_of_action", date(2026, 6, 1), date(2026, 6, 30), date(2026, 7, 5),
                                 date(2026, 7, 10), "year")
    assert services.recur(at(date(2027, 5, 31), 23)) == []
    [number] = services.recur(at(date(2027, 6, 1)))
    assert db.session.get(ReportRound, number).previous_id == june.id


def test_a_round_set_early_by_hand_is_not_set_again_by_the_sweep(officer):
    first = half_year(officer)
    services.repeat_round(officer, first)
    assert services.recur(at(date(2026, 7, 1))) == []


def test_a_round_set_once_is_not_repeated_by_the_sweep(officer):
    half_year(officer, recurrence="none")
    assert services.recur(at(date(2027, 1, 1))) == []


def test_the_trail_tells_that_the_sweep_set_the_round(app, officer):
    from app.audit.narrative import narrate
    from tests.factories import last_audit_entry

    half_year(officer)
    services.recur(at(date(2026, 7, 1)))
    with app.test_request_context(), force_locale("vi"):
        told = narrate([last_audit_entry(entity="report_rounds", action="create")])[0].sentence
    assert "Hệ thống rà soát thời hạn đã đặt kỳ báo cáo" in told and "01/07/2026 – 31/12/2026" in told
    assert "vào ngày đầu kỳ" in told


def test_the_round_page_says_when_the_next_round_is_set_and_that_it_was(client, sign_in, officer):
    first = half_year(officer)
    sign_in(officer)
    client.post("/language", data={"locale": "vi"})
    page = client.get(f"/reporting/rounds/{first.id}").get_data(as_text=True)
    assert "từ 01/07/2026 đến 31/12/2026, sẽ được đặt tự động vào ngày đầu kỳ" in page
    assert f"/reporting/rounds/{first.id}/repeat" in page
    assert "sẽ có ngay báo cáo cần lập cho kỳ 01/07/2026 – 31/12/2026" in page  # said before the tap
    [number] = services.recur(at(date(2026, 7, 1)))
    page = client.get(f"/reporting/rounds/{first.id}").get_data(as_text=True)
    assert "được đặt tự động vào ngày đầu kỳ" in page and f"/reporting/rounds/{number}" in page
    assert f"/reporting/rounds/{first.id}/repeat" not in page
    following = client.get(f"/reporting/rounds/{number}").get_data(as_text=True)
    assert "Được đặt tự động vào ngày đầu kỳ, là kỳ tiếp theo của" in following
