"""The inspector's CSV export of the trail: through a real HTTP server, in batches, in a spreadsheet's terms."""
import csv
import http.cookiejar
import io
import re
import threading
import urllib.parse
import urllib.request

import pytest
from werkzeug.serving import make_server

from app.audit.recorder import Actor, actor_for, record
from app.audit.services import EXPORT_BATCH
from app.extensions import db
from tests.factories import PASSWORD, audit_entries, make_case, unit

TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")


@pytest.fixture
def served(app):
    """The app on a free local port, answering in threads of its own as in production."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def signed_in(base, username):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD}).encode()
    opener.open(f"{base}/auth/sign-in", data=form)
    return opener


def rows_of(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


def test_the_export_streams_every_entry_in_batches_through_a_real_server(served, make_user):
    inspector = make_user("inspector", full_name="Đặng Thanh Tra")
    people = [make_user("worker", full_name=name) for name in ("Phạm Thị Hoa", "Vũ Thị Lan")]
    for number in range(2 * EXPORT_BATCH + 500):
        person = people[number % 2]
        record(db.session, "sign_in", entity="users", entity_id=person.id, unit_path=person.unit.path,
               actor=actor_for(person))
    db.session.commit()
    browser = signed_in(served, inspector.username)
    expected = len(audit_entries(action="sign_in"))

    response = browser.open(f"{served}/audit/export.csv?action=sign_in")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Transfer-Encoding"] == "chunked"  # streamed, not built whole first
    body = response.read().decode("utf-8")
    assert body.startswith("\ufeff")
    heading, *rows = rows_of(body.removeprefix("\ufeff"))
    assert heading == ["Thời gian", "Người thực hiện", "Vai trò", "Đơn vị", "Việc đã làm", "Hồ sơ", "Chi tiết",
                       "Số mục", "Mã băm"]
    assert len(rows) == expected > 2 * EXPORT_BATCH
    ids = [int(row[7]) for row in rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    worker = rows[1]
    assert TIME.fullmatch(worker[0]) and worker[1] in ("Phạm Thị Hoa", "Vũ Thị Lan")
    assert worker[2] == "Cán bộ bảo vệ trẻ em cấp xã" and worker[3] == "Xã Cẩm Phúc"
    assert worker[4] == f"Cán bộ bảo vệ trẻ em cấp xã {worker[1]} đăng nhập."
    assert rows[0][4] == "Thanh tra Đặng Thanh Tra đăng nhập."


def test_the_export_is_refused_over_http_to_a_worker(served, make_user):
    worker = make_user("worker")
    with pytest.raises(urllib.error.HTTPError) as refusal:
        signed_in(served, worker.username).open(f"{served}/audit/export.csv")
    assert refusal.value.code == 403


def test_the_export_tells_each_entry_in_the_reader_s_language(client, make_user, sign_in):
    worker = make_user("worker", full_name="Phạm Thị Hoa")
    case = make_case(worker, place="Thôn Đông")
    sign_in(make_user("inspector"))
    client.post("/language", data={"locale": "en"})
    response = client.get("/audit/export.csv", query_string={"case": case.reference})
    assert response.mimetype == "text/csv"
    heading, *rows = rows_of(response.get_data(as_text=True).removeprefix("\ufeff"))
    assert heading == ["Time", "Person", "Role", "Unit", "What was done", "Case", "Details", "Entry number", "Hash"]
    created = next(row for row in rows if "opened case" in row[4])
    assert created[1].startswith("The command line (")
    assert created[4] == f"{created[1]} recorded a report and opened case {case.reference}."
    assert created[5] == case.reference
    assert "Status: Reported" in created[6] and "Place: Thôn Đông" in created[6] and "Unit: Xã Cẩm Phúc" in created[6]
    assert len(created[8]) == 64
    cells = " ".join(" ".join(row[:7]) for row in rows)
    assert "case_categories" not in cells and "received_at" not in cells and not re.search(r"\d{4}-\d\d-\d\d", cells)


# Nothing a spreadsheet would run (issue 14, point 11): the trail holds what strangers typed.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def exported_rows(client, make_user, sign_in) -> list[list[str]]:
    sign_in(make_user("inspector", unit="30"))
    client.post("/language", data={"locale": "en"})
    return rows_of(client.get("/audit/export.csv").get_data(as_text=True).removeprefix("\ufeff"))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_beginning_as_a_formula_is_exported_with_a_leading_quote(client, make_user, sign_in, start):
    name = f"{start}1+2"
    record(db.session, "sign_in_failed", changes={"reason": "unknown_user"},
           actor=Actor(name=name, unit_path=unit("30").path))
    db.session.commit()
    rows = exported_rows(client, make_user, sign_in)
    assert ["'" + name] == [row[1] for row in rows if row[1].endswith(name)]


def test_a_username_tried_at_sign_in_that_begins_as_a_formula_reaches_the_export_as_text(client, make_user,
                                                                                         sign_in):
    client.post("/auth/sign-in", data={"username": "=cmd|' /C calc'!A0", "password": "wrong"})
    rows = exported_rows(client, make_user, sign_in)
    tried = next(row for row in rows if "cmd|" in row[1])
    assert tried[1] == "'=cmd|' /c calc'!a0"


def test_a_case_reference_typed_in_an_address_reaches_the_export_only_as_text(client, make_user, sign_in):
    sign_in(make_user("worker"))
    reference = "=cmd|' -C calc'!A0"  # a slash would leave the case route, and nothing would be recorded
    assert client.get("/cases/" + urllib.parse.quote(reference, safe="")).status_code == 404
    client.post("/auth/sign-out")
    refused = next(row for row in exported_rows(client, make_user, sign_in) if reference in row[4])
    assert not any(cell.startswith(FORMULA_STARTS) for cell in refused)
