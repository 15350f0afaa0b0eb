"""Facilities' overdue corrections raised before the 2025 reorganisation reach the province that succeeded."""
from datetime import datetime, time, timedelta

from app.escalations import services as escalations
from app.facilities import services
from app.notifications.services import notices_for
from app.reorganisation import services as reorganisation
from tests.factories import inspect, make_facility


def test_a_correction_raised_to_the_old_province_waits_for_the_new_province_s_officer(successions, make_user):
    today = services.today()
    now = datetime.combine(today, time(12), tzinfo=services.local_zone())
    district = make_user("inspector", unit="295")
    facility = make_facility(district)
    inspection = inspect(facility, district, today - timedelta(days=20), premises="not_met", violations="Bếp",
                         corrections=[("Sửa bếp", today - timedelta(days=1))])
    [correction] = inspection.corrections
    escalations.sweep(now)
    assert correction.raised_to.code == "30"

    reorganisation.reorganise("2024", "2025", "30")

    officer = make_user("province_officer", unit="31")
    [escalation] = notices_for(officer, now).correction_escalations
    assert escalation.correction == correction
    services.acknowledge(officer, escalation, now)
    assert escalation.acknowledged_by == officer
