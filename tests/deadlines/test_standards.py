"""The province's service standards page: its administrators set them, others read them."""
from app.deadlines.services import initial_assessment_working_days
from tests.factories import unit


def test_a_province_administrator_sets_the_initial_assessment_standard(client, sign_in, make_user):
    sign_in(make_user("admin", unit="30"))
    response = client.post("/admin/standards/", data={"initial_assessment_working_days": "3"})
    assert response.status_code == 302
    assert initial_assessment_working_days(unit("10933")) == 3


def test_a_bad_service_standard_is_refused_with_a_message_and_nothing_changes(client, sign_in, make_user):
    sign_in(make_user("admin", unit="30"))
    client.post("/language", data={"locale": "en"})
    page = client.post("/admin/standards/", data={"initial_assessment_working_days": "45"}).text
    assert "Number must be between 1 and 20." in page
    assert initial_assessment_working_days(unit("10933")) == 2


def test_an_administrator_below_the_province_reads_the_standard_but_cannot_set_it(client, sign_in, make_user):
    sign_in(make_user("admin", unit="295"))
    client.post("/language", data={"locale": "en"})
    assert "due 2 working days after the report" in client.get("/admin/standards/").text
    assert client.post("/admin/standards/", data={"initial_assessment_working_days": "3"}).status_code == 403
    assert initial_assessment_working_days(unit("10933")) == 2


def test_only_administrators_open_the_standards_page(client, sign_in, make_user):
    sign_in(make_user("commune_leader"))
    assert client.get("/admin/standards/").status_code == 403
