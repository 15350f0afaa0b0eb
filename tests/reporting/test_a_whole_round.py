"""A whole round of Hải Dương's 235 communes: some send, the rest are late and raised; one is returned and sent
again; the districts and the province consolidate, and their figures are the sum of the accepted reports."""
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.reporting import figures, services
from app.reporting.models import ReportEscalation
from tests.factories import make_case
from tests.reporting.conftest import written

SENDING = {"295": ("10933", "10900", "10894"), "288": ("10507", "10510")}


def sent_values(report):
    """Every table's rows and totals, as (table, row) -> values, for comparison."""
    return {(table["key"], row["key"]): row["values"]
            for table in report.figures["groups"][0]["tables"]
            for row in table["rows"] + ([table["total"]] if table["total"] else [])}


def test_a_round_of_235_communes(make_user, make_round):
    round_ = make_round(due_in=10)
    officer = make_user("province_officer")
    supervisors = {district: make_user("supervisor", unit=district) for district in SENDING}
    accepted = []
    for district, communes in SENDING.items():
        for number, code in enumerate(communes):
            worker = make_user("worker", unit=code)
            for _case in range(number + 1):
                make_case(worker)
            report = services.submit(worker, services.own_report(worker, round_), written())
            if code == "10900":
                services.return_report(supervisors[district], report, "Bổ sung số trẻ được hỗ trợ.")
                make_case(worker)
                report = services.submit(worker, report, written(results="Đã bổ sung."))
            services.accept(supervisors[district], report)
            accepted.append(report)

    after_the_day = services.own_report(officer, round_).round.due_on
    late_moment = services.end_of_day(after_the_day) + timedelta(hours=1)
    board = services.board(supervisors["295"], round_, late_moment)
    assert board.count("accepted") == 3 and board.count("late") == len(board.lines) - 3
    raised = services.sweep_late(late_moment)
    assert len(raised) == 235 - 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportEscalation)
                             .where(ReportEscalation.to_unit_id == supervisors["295"].unit_id)) == len(board.lines) - 3

    districts = []
    for supervisor in supervisors.values():
        consolidated = services.submit(supervisor, services.own_report(supervisor, round_), written())
        services.accept(officer, consolidated)
        districts.append(consolidated)
    province = services.submit(officer, services.own_report(officer, round_), written())

    assert sent_values(province) == sent_values_of(figures.total([report.figures for report in accepted]))
    assert sent_values(province) == sent_values_of(figures.total([report.figures for report in districts]))
    new = sent_values(province)[("new_by_sex", "total")]
    assert new == [1 + 2 + 3 + 1 + 2 + 1]  # 10900 sent again with one more case
    assert [part["code"] for part in province.parts] == ["288", "295"]


def sent_values_of(taken):
    return {(table["key"], row["key"]): row["values"]
            for table in taken["groups"][0]["tables"]
            for row in table["rows"] + ([table["total"]] if table["total"] else [])}


def test_a_sent_report_keeps_its_figures_when_its_cases_change_later(make_user, make_round):
    round_ = make_round()
    worker = make_user("worker", unit="10933")
    case = make_case(worker)
    report = services.submit(worker, services.own_report(worker, round_), written())
    before = sent_values(report)
    case.child.sex = "female"
    make_case(worker)
    db.session.commit()
    db.session.expire_all()
    assert sent_values(services.get_report(worker, report.id)) == before
