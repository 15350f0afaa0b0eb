"""`flask seed demo` has report rounds: the current one with a report in each state, and a late one."""
import sqlalchemy as sa

from app.demo.cli import seed_demo
from app.extensions import db
from app.orm import utcnow
from app.reporting import services
from app.reporting.models import Report, ReportRound
from app.users.services import find_user


def test_the_demo_has_a_current_round_with_a_report_in_each_state(app):
    seed_demo()
    current = db.session.scalar(sa.select(ReportRound).where(ReportRound.kind == "half_year"))
    statuses = set(db.session.scalars(sa.select(Report.status).where(Report.round_id == current.id)))
    assert statuses == {"draft", "submitted", "returned", "accepted"}


def test_the_demo_worker_has_a_late_month_of_action_report_to_send(app):
    seed_demo()
    worker = find_user("worker.camphuc")
    late = [report for report in services.duties_for(worker, utcnow()).to_send if report.late(utcnow())]
    assert [report.round.kind for report in late] == ["month_of_action"]


def test_seeding_the_demo_twice_adds_no_round(app):
    seed_demo()
    seed_demo()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportRound)) == 2
