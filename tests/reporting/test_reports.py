"""A unit's report: prepared with its figures, drafts saved, sent by one person with its figures frozen; reviewed by
the level above (comments, returned with a reason, accepted); consolidated; printed; in the trail."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.cases.services import Invalid, NotAllowed, WrongState
from app.extensions import db
from app.orm import utcnow
from app.reporting import services
from app.reporting.models import ReportComment
from tests.factories import audit_entries, make_case, pdf_text, register_child
from tests.reporting.conftest import written


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933", full_name="Trần Thị Mai")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", unit="295", full_name="Lê Văn Giám")


@pytest.fixture
def round_(make_round):
    return make_round()


def new_cases(figures) -> int:
    table = next(table for table in figures["groups"][0]["tables"] if table["key"] == "new_by_sex")
    return table["total"]["values"][0]


def test_a_report_is_prepared_with_the_unit_s_figures(worker, round_):
    make_case(worker)
    report = services.own_report(worker, round_)
    assert new_cases(services.current_figures(worker, report, report.due_at)) == 1


def test_figures_are_kept_in_named_groups_that_later_figures_can_join(worker, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    assert [group["key"] for group in report.figures["groups"]] == ["statistics", "indicators"]


def indicator(figures, table_key, row_key="total") -> int:
    """A figure of the report's indicators on children: a row's, or the table's total."""
    group = next(group for group in figures["groups"] if group["key"] == "indicators")
    table = next(table for table in group["tables"] if table["key"] == table_key)
    row = table["total"] if row_key == "total" else next(row for row in table["rows"] if row["key"] == row_key)
    return row["values"][0]


def test_a_report_is_prepared_with_the_register_s_indicators_on_children(worker, round_):
    register_child(worker, group="orphaned")
    register_child(worker, group="disabled")
    make_case(worker)
    figures = services.current_figures(worker, services.own_report(worker, round_), utcnow())
    assert indicator(figures, "special_by_group", "orphaned") == 1
    assert indicator(figures, "special_by_group") == 2
    assert indicator(figures, "with_case", "with_case") == 1
    assert {table["key"] for group in figures["groups"] if group["key"] == "indicators"
            for table in group["tables"]} >= {"abused_by_form", "abused_by_sex", "abused_by_age",
                                              "abused_by_ethnicity", "abused_by_setting", "at_risk",
                                              "special_by_group", "special_supported", "with_case"}


def test_a_sent_report_s_indicators_stay_as_sent_when_the_register_changes(worker, round_):
    register_child(worker)
    report = services.submit(worker, services.own_report(worker, round_), written())
    register_child(worker)
    register_child(worker, group="at_risk")
    db.session.expire_all()
    for figures in (report.figures, services.current_figures(worker, report, utcnow())):
        assert indicator(figures, "special_by_group") == 1
        assert indicator(figures, "at_risk") == 0


def test_the_district_s_indicators_are_the_sum_of_the_accepted_reports(make_user, supervisor, round_):
    parts = []
    for code, children in (("10933", 2), ("10900", 1)):
        worker = make_user("worker", unit=code)
        for _number in range(children):
            register_child(worker)
        report = services.submit(worker, services.own_report(worker, round_), written())
        services.accept(supervisor, report)
        parts.append(report.figures)
    consolidated = services.submit(supervisor, services.own_report(supervisor, round_), written())
    assert indicator(consolidated.figures, "special_by_group") == 3
    for key, row in (("special_by_group", "orphaned"), ("special_by_group", "total"), ("at_risk", "total"),
                     ("with_case", "with_case")):
        assert indicator(consolidated.figures, key, row) == sum(indicator(part, key, row) for part in parts)


def test_a_sent_report_shows_and_prints_its_indicators(client, sign_in, worker, round_):
    register_child(worker)
    report = services.submit(worker, services.own_report(worker, round_), written())
    title = "Trẻ em có hoàn cảnh đặc biệt theo nhóm (Điều 10 Luật Trẻ em)"
    assert title in pdf_text(services_export(report, worker, "pdf")).replace("\n", " ")
    sheet = load_workbook(__import__("io").BytesIO(services_export(report, worker, "xlsx"))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert title in values and "CHỈ SỐ VỀ TRẺ EM" in values
    sign_in(worker)
    client.post("/language", data={"locale": "vi"})
    page = client.get(f"/reporting/{report.id}").get_data(as_text=True)
    assert "Chỉ số về trẻ em" in page and title in page


def test_a_draft_is_saved_without_being_sent(worker, round_):
    report = services.save_draft(worker, services.own_report(worker, round_), {"results": "Đã thăm 12 gia đình."})
    assert report.status == "draft" and report.sections["results"] == "Đã thăm 12 gia đình."
    assert report.figures_json is None and report.submitted_at is None


def test_a_report_is_sent_only_with_every_section_written(worker, round_):
    report = services.own_report(worker, round_)
    with pytest.raises(Invalid) as refused:
        services.submit(worker, report, written(proposals=""))
    assert list(refused.value.fields) == ["proposals"]
    db.session.rollback()
    assert services.own_report(worker, round_).status == "draft"


def test_a_sent_report_s_figures_stay_as_sent_when_cases_change(worker, round_):
    make_case(worker)
    report = services.submit(worker, services.own_report(worker, round_), written())
    make_case(worker)
    make_case(worker)
    db.session.expire_all()
    assert new_cases(services.current_figures(worker, report, report.due_at)) == 1
    assert new_cases(report.figures) == 1


def test_one_person_sends_it_and_it_is_not_sent_twice(make_user, worker, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    assert report.submitted_by_id == worker.id
    with pytest.raises(WrongState):
        services.submit(make_user("commune_leader", unit="10933"), report, written())


def test_another_commune_neither_reads_nor_writes_the_report(make_user, worker, round_):
    other = make_user("worker", unit="10966")
    report = services.own_report(worker, round_)
    assert services.get_report(other, report.id) is None
    with pytest.raises(NotAllowed):
        services.save_draft(other, report, written())


def test_the_district_accepts_a_commune_s_report(worker, supervisor, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    services.accept(supervisor, report)
    assert report.status == "accepted" and report.reviewed_by_id == supervisor.id


def test_a_returned_report_carries_its_reason_and_is_sent_again(worker, supervisor, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    services.return_report(supervisor, report, "Thiếu số liệu trẻ em được hỗ trợ.")
    assert report.status == "returned" and report.return_reason == "Thiếu số liệu trẻ em được hỗ trợ."
    services.submit(worker, report, written(results="Đã bổ sung."))
    assert report.status == "submitted" and report.return_reason is None


def test_a_report_is_not_returned_without_a_reason(worker, supervisor, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    with pytest.raises(Invalid):
        services.return_report(supervisor, report, "  ")
    db.session.rollback()
    assert services.get_report(supervisor, report.id).status == "submitted"


def test_only_the_level_above_reviews(make_user, worker, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    with pytest.raises(NotAllowed):
        services.accept(make_user("province_officer"), report)
    with pytest.raises(NotAllowed):
        services.accept(make_user("supervisor", unit="288"), report)


def test_the_unit_and_the_level_above_comment(worker, supervisor, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    services.comment(supervisor, report, "Đề nghị ghi rõ số lượt thăm.")
    services.comment(worker, report, "Đã ghi rõ.")
    assert [note.body for note in db.session.scalars(sa.select(ReportComment))] == [
        "Đề nghị ghi rõ số lượt thăm.", "Đã ghi rõ."]


def test_the_district_consolidates_the_sum_of_the_accepted_reports(make_user, supervisor, round_):
    accepted = 0
    for code, cases in (("10933", 2), ("10900", 1)):
        worker = make_user("worker", unit=code)
        for _number in range(cases):
            make_case(worker)
        report = services.submit(worker, services.own_report(worker, round_), written())
        services.accept(supervisor, report)
        accepted += cases
    not_accepted = make_user("worker", unit="10894")  # sent, not yet accepted
    make_case(not_accepted)
    services.submit(not_accepted, services.own_report(not_accepted, round_), written())
    consolidated = services.submit(supervisor, services.own_report(supervisor, round_),
                                   written(results="Huyện tổng hợp."))
    assert new_cases(consolidated.figures) == accepted
    assert sorted(part["code"] for part in consolidated.parts) == ["10900", "10933"]


def test_nothing_is_consolidated_before_a_report_is_accepted(supervisor, round_):
    with pytest.raises(WrongState):
        services.submit(supervisor, services.own_report(supervisor, round_), written())


def test_a_sent_report_prints_with_the_national_header_number_and_signer(worker, round_):
    report = services.submit(worker, services.own_report(worker, round_), written(),
                             number="15/BC-UBND", signer_name="Phạm Văn Chủ", signer_title="Chủ tịch")
    text = pdf_text(services_export(report, worker, "pdf"))
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 15/BC-UBND",
                  "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Chủ"):
        assert words in text


def services_export(report, by, fmt):
    from app.reporting import documents

    return documents.export(report, fmt, by, report.submitted_at)


def test_a_sent_report_s_figures_export_as_xlsx(worker, round_):
    make_case(worker)
    report = services.submit(worker, services.own_report(worker, round_), written())
    sheet = load_workbook(__import__("io").BytesIO(services_export(report, worker, "xlsx"))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Trường hợp mới theo giới tính của trẻ" in values and 1 in values


def test_sending_and_printing_are_in_the_trail(worker, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    [sent] = [entry for entry in audit_entries(entity="unit_reports", action="update")
              if '"submitted"' in (entry.changes or "")]
    assert "figures_json" in sent.changes
    services_export(report, worker, "pdf")
    assert audit_entries(entity="unit_reports", action="unit_report_printed")


def test_inspectors_read_sent_reports_not_drafts(make_user, worker, round_):
    inspector = make_user("inspector")
    draft = services.own_report(worker, round_)
    assert services.get_report(inspector, draft.id) is None
    services.submit(worker, draft, written())
    assert services.get_report(inspector, draft.id) is not None


def test_an_inspector_s_board_lists_the_reports_sent_to_their_unit_once_sent_and_no_unsent_own_report(
        make_user, worker, round_):
    inspector = make_user("inspector", unit="295")
    before = services.board(inspector, round_, utcnow())
    assert before.lines == [] and before.own is None
    services.submit(worker, services.own_report(worker, round_), written())
    after = services.board(inspector, round_, utcnow())
    assert [line.report.unit.code for line in after.lines] == ["10933"]


def test_the_worker_s_waiting_list_names_the_report_due_within_a_week(worker, make_round):
    round_ = make_round(due_in=3)
    duties = services.duties_for(worker, round_.created_at)
    assert [report.unit.code for report in duties.to_send] == ["10933"]


def test_the_district_s_waiting_list_names_the_reports_to_review(worker, supervisor, round_):
    services.submit(worker, services.own_report(worker, round_), written())
    assert [report.unit.code for report in services.duties_for(supervisor, round_.created_at).to_review] == ["10933"]


def test_a_late_report_is_raised_to_the_district_once(worker, supervisor, round_):
    report = services.own_report(worker, round_)
    later = report.due_at + timedelta(hours=1)
    raised = services.sweep_late(later)
    assert len(raised) == 235 - 0 and services.sweep_late(later) == []
    mine = services.duties_for(supervisor, later).escalations
    assert {escalation.report.unit.parent.code for escalation in mine} == {"295"}


def test_a_late_report_nobody_acknowledged_goes_to_the_province(worker, round_, make_user):
    report = services.own_report(worker, round_)
    services.sweep_late(report.due_at + timedelta(hours=1))
    services.sweep_late(report.due_at + timedelta(days=5))
    [higher] = [escalation for escalation in _escalations_of(report) if escalation.level == 2]
    assert higher.to_unit.code == "30" and higher.from_unit.code == "295"


def test_an_acknowledged_late_report_goes_no_higher(worker, supervisor, round_):
    report = services.own_report(worker, round_)
    services.sweep_late(report.due_at + timedelta(hours=1))
    [first] = _escalations_of(report)
    services.acknowledge(supervisor, first)
    services.sweep_late(report.due_at + timedelta(days=5))
    assert _escalations_of(report) == [first]


def _escalations_of(report):
    from app.reporting.models import ReportEscalation

    return list(db.session.scalars(sa.select(ReportEscalation).where(ReportEscalation.report_id == report.id)
                                   .order_by(ReportEscalation.level)))


def test_the_existing_sweep_raises_late_reports(worker, round_):
    from app.escalations import services as escalations

    report = services.own_report(worker, round_)
    assert len(escalations.sweep(report.due_at + timedelta(hours=1)).reports) == 235


def test_the_trail_tells_a_sent_report_in_words_not_its_raw_data(client, sign_in, make_user, worker, round_):
    report = services.submit(worker, services.own_report(worker, round_), written())
    sign_in(make_user("inspector"))
    told = ""
    for entry in audit_entries(entity="unit_reports", action="update", entity_id=str(report.id)):
        page = client.get(f"/audit/{entry.id}").get_data(as_text=True)
        told += page[page.index("<main"):page.index("</ul>", page.index('class="changes"'))]
    assert "đã gửi báo cáo của Xã Cẩm Phúc kỳ" in told and "bảng số liệu, giữ nguyên như khi gửi" in told
    assert "Kết quả thực hiện: Nội dung results." in told and '"groups"' not in told and "Người gửi" in told


def test_the_sweep_command_says_how_many_late_reports_it_raised(app, worker, make_round):
    from datetime import timedelta

    from app.escalations.cli import escalate

    report = services.own_report(worker, make_round())
    services.sweep_late(report.due_at + timedelta(hours=1))  # raised already: the command raises none again
    output = app.test_cli_runner().invoke(escalate).output
    assert "Reports not sent in time raised: 0." in output or "Báo cáo chưa gửi đúng hạn đã báo lên: 0." in output


def test_the_trail_names_a_report_and_its_round_as_people_do_never_by_number(app, worker, supervisor, round_):
    from flask_babel import force_locale

    from app.audit.narrative import narrate
    from tests.factories import last_audit_entry

    report = services.submit(worker, services.own_report(worker, round_), written())
    services.comment(supervisor, report, "Bổ sung số liệu.")
    period = f"{round_.period_start:%d/%m/%Y} – {round_.period_end:%d/%m/%Y}"
    with app.test_request_context(), force_locale("en"):
        told = {entity: narrate([last_audit_entry(entity=entity)])[0].sentence
                for entity in ("report_rounds", "unit_reports", "unit_report_comments")}
    assert f"the report of {report.unit.name} for Six-monthly child-protection report {period}" in told[
        "unit_reports"]
    assert f"Six-monthly child-protection report {period}" in told["report_rounds"]
    assert report.unit.name in told["unit_report_comments"]
    assert not any(f"report {report.id}" in text or f"round {round_.id}" in text for text in told.values())
    with app.test_request_context(), force_locale("vi"):
        in_vietnamese = narrate([last_audit_entry(entity="unit_reports")])[0].sentence
    assert f"đã gửi báo cáo của {report.unit.name} kỳ Báo cáo sáu tháng" in in_vietnamese
