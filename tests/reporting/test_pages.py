"""The reporting pages, in Vietnamese, for each role that uses them; bad input says why and changes nothing."""
import pytest

from app.extensions import db
from app.reporting import services
from tests.factories import make_case
from tests.reporting.conftest import written


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit="10933")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", unit="295")


def send_form(**overrides):
    return {**written(), "number": "15/BC-UBND", "signer_name": "Phạm Văn Chủ", "signer_title": "Chủ tịch",
            "send": "1", **overrides}


def test_the_worker_s_report_page_shows_the_duty_and_the_figures(client, sign_in, worker, make_round):
    report = services.own_report(worker, make_round())
    make_case(worker)
    sign_in(worker)
    page = client.get(f"/reporting/{report.id}").get_data(as_text=True)
    assert "Chưa gửi" in page and "hạn hết ngày" in page and "Kết quả thực hiện" in page
    assert "Trường hợp mới theo giới tính của trẻ" in page


def test_the_worker_sends_the_report_from_its_page(client, sign_in, worker, make_round):
    report = services.own_report(worker, make_round())
    sign_in(worker)
    response = client.post(f"/reporting/{report.id}", data=send_form())
    assert response.status_code == 302
    db.session.expire_all()
    assert report.status == "submitted" and report.number == "15/BC-UBND"
    assert "Đã gửi báo cáo lên Huyện Cẩm Giàng" in client.get(response.location).get_data(as_text=True)


def test_a_report_sent_with_a_section_missing_says_which_and_stays_a_draft(client, sign_in, worker, make_round):
    report = services.own_report(worker, make_round())
    sign_in(worker)
    response = client.post(f"/reporting/{report.id}", data=send_form(difficulties=""))
    assert response.status_code == 422
    assert "Hãy viết mục này trước khi gửi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert report.status == "draft" and report.sections == {}


def test_the_draft_is_saved_from_the_page(client, sign_in, worker, make_round):
    report = services.own_report(worker, make_round())
    sign_in(worker)
    client.post(f"/reporting/{report.id}", data={"results": "Đã thăm 5 gia đình.", "save": "1"})
    db.session.expire_all()
    assert report.status == "draft" and report.sections["results"] == "Đã thăm 5 gia đình."


def test_another_commune_s_report_answers_404(client, sign_in, make_user, worker, make_round):
    report = services.own_report(worker, make_round())
    sign_in(make_user("worker", unit="10966"))
    assert client.get(f"/reporting/{report.id}").status_code == 404


def test_the_district_s_board_shows_who_sent_and_who_is_late(client, sign_in, worker, supervisor, make_round):
    round_ = make_round()
    services.submit(worker, services.own_report(worker, round_), written())
    sign_in(supervisor)
    page = client.get(f"/reporting/rounds/{round_.id}").get_data(as_text=True)
    assert "Xã Cẩm Phúc" in page and "Đã gửi, chờ xem xét" in page and "đã gửi, chờ xem xét: 1" in page


def test_the_district_returns_a_report_with_a_reason_from_its_page(client, sign_in, worker, supervisor, make_round):
    report = services.submit(worker, services.own_report(worker, make_round()), written())
    sign_in(supervisor)
    client.post(f"/reporting/{report.id}/return", data={"reason": "Thiếu số liệu."})
    db.session.expire_all()
    assert report.status == "returned" and report.return_reason == "Thiếu số liệu."


def test_a_return_without_a_reason_says_why_and_changes_nothing(client, sign_in, worker, supervisor, make_round):
    report = services.submit(worker, services.own_report(worker, make_round()), written())
    sign_in(supervisor)
    response = client.post(f"/reporting/{report.id}/return", data={"reason": ""}, follow_redirects=True)
    assert "Hãy ghi rõ nội dung cần sửa" in response.get_data(as_text=True) or response.status_code == 200
    db.session.expire_all()
    assert report.status == "submitted"


def test_the_district_accepts_from_its_page(client, sign_in, worker, supervisor, make_round):
    report = services.submit(worker, services.own_report(worker, make_round()), written())
    sign_in(supervisor)
    client.post(f"/reporting/{report.id}/accept")
    db.session.expire_all()
    assert report.status == "accepted"


def test_a_sent_report_downloads_as_pdf_and_xlsx(client, sign_in, worker, make_round):
    report = services.submit(worker, services.own_report(worker, make_round()), written())
    sign_in(worker)
    assert client.get(f"/reporting/{report.id}.pdf").mimetype == "application/pdf"
    assert client.get(f"/reporting/{report.id}.xlsx").status_code == 200


def test_a_draft_does_not_print(client, sign_in, worker, make_round):
    report = services.own_report(worker, make_round())
    sign_in(worker)
    assert client.get(f"/reporting/{report.id}.pdf").status_code == 404


def test_the_inspector_reads_a_sent_report(client, sign_in, make_user, worker, make_round):
    report = services.submit(worker, services.own_report(worker, make_round()), written())
    sign_in(make_user("inspector"))
    page = client.get(f"/reporting/{report.id}").get_data(as_text=True)
    assert "Gửi báo cáo" not in page and "Chấp nhận báo cáo" not in page and "Nội dung results." in page


def test_waiting_for_you_names_the_report_to_send(client, sign_in, worker, make_round):
    make_round(due_in=2)
    sign_in(worker)
    assert "Báo cáo cần gửi" in client.get("/notifications/").get_data(as_text=True)


def test_the_reports_page_puts_the_next_duty_first(client, sign_in, worker, make_round):
    make_round(due_in=2)
    sign_in(worker)
    page = client.get("/reporting/").get_data(as_text=True)
    assert page.index("Báo cáo cần gửi") < page.index("Các kỳ báo cáo")


def test_the_district_sees_a_late_report_raised_and_acknowledges_it(client, sign_in, worker, supervisor, make_round):
    from datetime import timedelta

    from app.reporting.models import ReportEscalation

    report = services.own_report(worker, make_round())
    services.sweep_late(report.due_at + timedelta(hours=1))
    escalation = db.session.query(ReportEscalation).filter_by(report_id=report.id).one()
    sign_in(supervisor)
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Báo cáo chưa gửi đúng hạn" in page and "Xã Cẩm Phúc" in page
    client.post(f"/reporting/escalations/{escalation.id}/acknowledge")
    db.session.expire_all()
    assert escalation.acknowledged_by_id == supervisor.id


def test_another_district_cannot_acknowledge_it(client, sign_in, make_user, worker, make_round):
    from datetime import timedelta

    from app.reporting.models import ReportEscalation

    report = services.own_report(worker, make_round())
    services.sweep_late(report.due_at + timedelta(hours=1))
    escalation = db.session.query(ReportEscalation).filter_by(report_id=report.id).one()
    sign_in(make_user("supervisor", unit="288"))
    assert client.post(f"/reporting/escalations/{escalation.id}/acknowledge").status_code == 404
    db.session.expire_all()
    assert escalation.acknowledged_at is None
