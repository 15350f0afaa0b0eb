"""The holiday calendar: one for the whole installation, kept by the province's administrators."""
from datetime import date

from app.deadlines.models import Holiday
from app.extensions import db


def holidays():
    return [(holiday.day, holiday.name) for holiday in db.session.scalars(db.select(Holiday))]


def test_a_province_administrator_adds_and_removes_a_holiday(client, sign_in, make_user):
    sign_in(make_user("admin", unit="30"))
    response = client.post("/admin/holidays/", data={"day": "2026-09-02", "name": "Quốc khánh"})
    assert response.status_code == 302 and holidays() == [(date(2026, 9, 2), "Quốc khánh")]
    holiday = db.session.scalars(db.select(Holiday)).one()
    assert client.post(f"/admin/holidays/{holiday.id}/delete").status_code == 302
    assert holidays() == []


def test_an_administrator_below_the_province_reads_the_calendar_but_cannot_change_it(client, sign_in, make_user):
    db.session.add(Holiday(day=date(2026, 9, 2), name="Quốc khánh"))
    db.session.commit()
    holiday_id = db.session.scalars(db.select(Holiday.id)).one()
    sign_in(make_user("admin", unit="295"))
    client.post("/language", data={"locale": "en"})
    page = client.get("/admin/holidays/?year=2026").get_data(as_text=True)
    assert "Quốc khánh" in page and "kept by the administrators of the province" in page and "Remove" not in page
    assert client.post("/admin/holidays/", data={"day": "2026-09-03", "name": "Nghỉ"}).status_code == 403
    assert client.post(f"/admin/holidays/{holiday_id}/delete").status_code == 403
    assert holidays() == [(date(2026, 9, 2), "Quốc khánh")]
