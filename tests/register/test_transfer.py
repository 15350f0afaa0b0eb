"""The register out to a spreadsheet and back (issue 18, point 3): an export in the import's columns, scoped and in
the trail; reading a file (XLSX, CSV in UTF-8, Windows-1258 or Windows-1252) checks and matches each row and changes
nothing."""
import csv
import io
import random
import json
import time
import unicodedata
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.children.models import Child
from app.extensions import db
from app.register import transfer
from tests.factories import audit_entries, register_child

TODAY = date(2026, 11, 28)
HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Nhóm", "Thuộc nhóm từ ngày", "Nơi sống",
          "Ở cùng ai", "Xã"]


@pytest.fixture
def worker(make_user):
    return make_user("worker")


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text):
    """`text` as Windows writes it in code page 1258: the letters the code page holds (ă, ê, ơ, đ...) whole, the
    five tone marks as combining characters after them."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def csv_bytes(rows, encoding="utf-8-sig", delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    if encoding == "cp1258":
        return windows_1258(out.getvalue())
    return out.getvalue().encode(encoding, errors="replace")


def libreoffice_xlsx(rows, title=None):
    """A workbook as LibreOffice Calc saves one: its application name in the document's properties, dates as date
    cells, a 12-digit ID typed as a number (leading zeros gone), and, where asked, a title merged across the
    columns above the header."""
    book = Workbook()
    book.properties.creator = ""
    sheet = book.active
    sheet.title = "Sheet1"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_export_holds_the_import_s_columns_and_only_the_reader_s_register(app, make_user, sign_in, client,
                                                                             worker):
    mine = register_child(worker, today=TODAY)
    register_child(make_user("worker", unit="10966"), today=TODAY)
    sign_in(worker)
    response = client.get("/register/export.csv")
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert response.status_code == 200 and rows[0] == HEADER
    assert len(rows) == 2 and rows[1][0] == mine.child.full_name and rows[1][4] == "Trẻ em mồ côi cả cha và mẹ"


def test_an_export_is_in_the_trail(app, sign_in, client, worker):
    register_child(worker, today=TODAY)
    sign_in(worker)
    client.get("/register/export.xlsx")
    [entry] = audit_entries(action="register_exported")
    assert json.loads(entry.changes) == {"children": 1, "format": "xlsx"} and entry.unit_path == worker.unit.path


def test_the_admin_exports_nothing(app, make_user, sign_in, client):
    sign_in(make_user("admin"))
    assert client.get("/register/export.csv").status_code == 403


def test_an_exported_list_comes_back_matched_child_by_child(app, sign_in, client, worker):
    entry = register_child(worker, today=TODAY)
    sign_in(worker)
    data = client.get("/register/export.xlsx").data
    reading = transfer.check(worker, data, "danh-sach.xlsx", TODAY)
    assert [(row.status, row.child_id) for row in reading.rows] == [("matched", entry.child_id)]


def test_reading_a_file_changes_nothing(worker):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Child))
    transfer.check(worker, csv_bytes([HEADER, ["Đỗ Thị Hoa", "Nữ", "04/03/2017", "", "Trẻ em bị bỏ rơi", "", "", "",
                                               ""]]), "a.csv", TODAY)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Child)) == before


def test_a_row_is_matched_by_the_personal_id(worker):
    from tests.factories import child_details
    from app.children.services import new_child

    child = register_child(worker, child=new_child(child_details(address_unit=worker.unit,
                                                                 id_number="030215001234")), today=TODAY).child
    row = [child.full_name, "Nam", child.date_of_birth.strftime("%d/%m/%Y"), "030215001234", "Trẻ em khuyết tật",
           "", "", "", ""]
    reading = transfer.check(worker, csv_bytes([HEADER, row]), "a.csv", TODAY)
    assert (reading.rows[0].status, reading.rows[0].child_id) == ("matched", child.id)


def test_a_row_is_matched_by_the_name_without_diacritics_and_the_birth_date(worker):
    entry = register_child(worker, today=TODAY)
    row = ["NGUYEN VAN AN", "Nam", entry.child.date_of_birth.strftime("%d/%m/%Y"), "", "Trẻ em khuyết tật", "", "",
           "", ""]
    reading = transfer.check(worker, csv_bytes([HEADER, row]), "a.csv", TODAY)
    assert (reading.rows[0].status, reading.rows[0].child_id) == ("matched", entry.child_id)


def test_an_id_on_record_for_another_child_is_a_conflict_with_its_reason(worker):
    from tests.factories import child_details
    from app.children.services import new_child

    register_child(worker, child=new_child(child_details(address_unit=worker.unit, id_number="030215001234")),
                   today=TODAY)
    row = ["Trần Thị Bích", "Nữ", "01/01/2016", "030215001234", "Trẻ em khuyết tật", "", "", "", ""]
    reading = transfer.check(worker, csv_bytes([HEADER, row]), "a.csv", TODAY)
    assert reading.rows[0].status == "conflicting" and "Nguyễn Văn An" in reading.rows[0].reasons[0]


def test_a_child_on_another_commune_s_register_is_a_conflict(make_user, worker):
    officer = make_user("province_officer")
    other = register_child(make_user("worker", unit="10966"), today=TODAY)
    row = [other.child.full_name, "Nam", other.child.date_of_birth.strftime("%d/%m/%Y"), "", "Trẻ em khuyết tật",
           "", "", "", ""]
    # The province officer reads every commune's register; a worker of Cẩm Phúc does not see Tân Việt's child at
    # all: for them the row is new.
    assert transfer.check(officer, csv_bytes([HEADER, row]), "a.csv", TODAY).rows[0].status == "conflicting"
    assert transfer.check(worker, csv_bytes([HEADER, row]), "a.csv", TODAY).rows[0].status == "new"


def test_invalid_rows_say_why(worker):
    rows = [HEADER, ["", "Nam", "31/02/2016", "12345", "Không rõ", "", "", "", ""]]
    [row] = transfer.check(worker, csv_bytes(rows), "a.csv", TODAY).rows
    assert row.status == "invalid" and len(row.reasons) == 4


def test_a_csv_in_windows_1258_is_read_as_such_and_told(worker):
    rows = [HEADER, ["Đỗ Thị Hoa", "Nữ", "04/03/2017", "", "Trẻ em bị bỏ rơi", "", "", "Ông bà nội", ""]]
    reading = transfer.check(worker, csv_bytes(rows, "cp1258"), "a.csv", TODAY)
    assert reading.encoding == "cp1258"
    assert reading.rows[0].values["full_name"] == "Đỗ Thị Hoa" and reading.rows[0].status == "new"


def test_a_csv_in_windows_1252_is_read_as_such_and_lost_letters_are_told(worker):
    rows = [["Full name", "Sex", "Date of birth", "Personal ID number", "Group", "In the group since", "Lives",
             "With whom", "Commune"],
            ["Do Thi Hoa", "Female", "04/03/2017", "", "Abandoned", "", "", "", ""],
            ["Lê Thị Mỹ", "Female", "04/03/2016", "", "Abandoned", "", "", "", ""]]
    reading = transfer.check(worker, csv_bytes(rows, "cp1252", delimiter=";"), "a.csv", TODAY)
    assert reading.encoding == "cp1252" and reading.warnings
    assert reading.rows[0].values["full_name"] == "Do Thi Hoa" and reading.rows[0].status == "new"


def test_an_xlsx_saved_by_libreoffice_with_a_merged_title_row_is_read(worker):
    data = libreoffice_xlsx([HEADER, ["Đỗ Thị Hoa", "Nữ", date(2017, 3, 4), 30215001234, "Trẻ em bị bỏ rơi",
                                      date(2026, 1, 5), "", "", ""]],
                            title="DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT XÃ CẨM PHÚC")
    reading = transfer.check(worker, data, "danh-sach.xlsx", TODAY)
    [row] = reading.rows
    assert row.number == 3 and row.status == "new"
    assert row.values["id_number"] == "030215001234" and row.values["date_of_birth"] == "2017-03-04"


def test_a_file_without_the_columns_is_refused(worker):
    with pytest.raises(transfer.FileRefused):
        transfer.check(worker, csv_bytes([["a", "b"], ["1", "2"]]), "a.csv", TODAY)


def test_a_file_that_is_not_a_workbook_is_refused(worker):
    with pytest.raises(transfer.FileRefused):
        transfer.check(worker, b"PK\x03\x04 not really", "a.xlsx", TODAY)


def test_5000_rows_with_50_bad_ones_are_read_and_the_bad_ones_named(worker):
    rng = random.Random(18)
    bad = set(rng.sample(range(5000), 50))
    rows = [HEADER]
    for index in range(5000):
        born = date(2012 + index % 12, 1 + index % 12, 1 + index % 28)
        rows.append([f"Nguyễn Văn Số {index}", "Nam", "" if index in bad else born.strftime("%d/%m/%Y"),
                     f"030{index:09d}", "Trẻ em khuyết tật", "", "", "", ""])
    started = time.perf_counter()
    reading = transfer.check(worker, csv_bytes(rows), "a.csv", TODAY)
    assert time.perf_counter() - started < 30
    assert reading.count("invalid") == 50 and reading.count("new") == 4950
    assert {row.number - 2 for row in reading.rows if row.status == "invalid"} == bad


def upload(client, data, filename="danh-sach.csv"):
    return client.post("/register/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_the_preview_is_kept_in_the_database_and_confirming_writes_every_row(app, sign_in, client, worker):
    from app.register.models import RegisterEntry, RegisterImport

    entry = register_child(worker, today=TODAY)
    sign_in(worker)
    rows = [HEADER, ["Đỗ Thị Hoa", "Nữ", "04/03/2017", "", "Trẻ em bị bỏ rơi", "", "", "", ""],
            [entry.child.full_name, "Nam", entry.child.date_of_birth.strftime("%d/%m/%Y"), "", "Trẻ em khuyết tật",
             "", "", "", ""]]
    response = upload(client, csv_bytes(rows, "cp1258"))
    kept = db.session.scalar(sa.select(RegisterImport))
    assert response.status_code == 302 and response.headers["Location"] == f"/register/import/{kept.id}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 1
    page = client.get(f"/register/import/{kept.id}").get_data(as_text=True)
    assert "Đỗ Thị Hoa" in page and "1258" in page
    client.post("/language", data={"locale": "en"})
    assert client.post(f"/register/import/{kept.id}").status_code == 302
    again = client.get(f"/register/import/{kept.id}")
    assert again.status_code == 302 and again.headers["Location"] == "/register/"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 2
    assert "added to the register: 1; children whose entry changed: 1; rows already as the register has them: 0" \
        in client.get("/register/").get_data(as_text=True)
    db.session.refresh(entry)
    assert {group.group_key for group in entry.current_groups} == {"orphaned", "disabled"}


def test_a_file_with_a_bad_row_writes_nothing(app, sign_in, client, worker):
    from app.register.models import RegisterEntry, RegisterImport

    sign_in(worker)
    rows = [HEADER, ["Đỗ Thị Hoa", "Nữ", "04/03/2017", "", "Trẻ em bị bỏ rơi", "", "", "", ""],
            ["Lê Văn Bình", "Nam", "không rõ", "", "Trẻ em bị bỏ rơi", "", "", "", ""]]
    upload(client, csv_bytes(rows))
    kept = db.session.scalar(sa.select(RegisterImport))
    assert client.post(f"/register/import/{kept.id}").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Child)) == 0


def test_another_person_s_preview_is_not_found(app, make_user, sign_in, client, worker):
    from app.register.models import RegisterImport

    sign_in(worker)
    upload(client, csv_bytes([HEADER, ["Đỗ Thị Hoa", "Nữ", "04/03/2017", "", "Trẻ em bị bỏ rơi", "", "", "", ""]]))
    kept = db.session.scalar(sa.select(RegisterImport))
    other = app.test_client()
    other.post("/auth/sign-in", data={"username": make_user("worker").username, "password": "correct horse battery"})
    assert other.post(f"/register/import/{kept.id}").status_code == 404


def test_a_file_that_cannot_be_read_is_explained_and_nothing_kept(app, sign_in, client, worker):
    from app.register.models import RegisterImport

    sign_in(worker)
    response = upload(client, b"PK\x03\x04broken", "danh-sach.xlsx")
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(RegisterImport)) is None


def test_a_collaborator_does_not_import(app, make_user, sign_in, client):
    sign_in(make_user("collaborator"))
    assert client.get("/register/import").status_code == 403


def test_a_child_of_the_file_registered_by_someone_else_meanwhile_refuses_the_file(app, sign_in, client, worker,
                                                                                    monkeypatch):
    """Both pass the check: the database refuses the second, and the import says so; nothing is written."""
    from app.register.models import RegisterEntry, RegisterImport
    from tests.factories import make_case

    child = make_case(worker).child
    sign_in(worker)
    upload(client, csv_bytes([HEADER, [child.full_name, "Nam", child.date_of_birth.strftime("%d/%m/%Y"), "",
                                       "Trẻ em khuyết tật", "", "", "", ""]]))
    kept = db.session.scalar(sa.select(RegisterImport))
    written = transfer._write

    def meanwhile(*arguments):
        count = written(*arguments)
        db.session.add(RegisterEntry(child_id=child.id, unit_id=worker.unit_id, registered_on=TODAY,
                                     next_review_on=TODAY))
        return count

    monkeypatch.setattr(transfer, "_write", meanwhile)
    response = client.post(f"/register/import/{kept.id}")
    assert response.status_code == 422 and "có người đã đưa một trẻ trong tệp vào danh sách" in response.get_data(
        as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 0


def confirmed(client, rows, filename="danh-sach.csv"):
    from app.register.models import RegisterImport

    upload(client, csv_bytes(rows), filename)
    kept = db.session.scalar(sa.select(RegisterImport).order_by(RegisterImport.id.desc()).limit(1))
    return client.post(f"/register/import/{kept.id}")


def entries_after(last_id):
    return [entry for entry in audit_entries() if entry.id > last_id and entry.action != "register_viewed"]


def test_a_confirmed_import_is_one_entry_per_child_changed_and_none_for_a_child_it_leaves_as_it_was(
        app, sign_in, client, worker):
    from flask_babel import force_locale

    from app.audit.narrative import narrate
    from app.audit.services import verify_chain
    from app.children.services import new_child
    from tests.factories import child_details, last_audit_entry

    given_group = register_child(worker, today=TODAY)
    unchanged = register_child(worker, child=new_child(child_details(address_unit=worker.unit, full_name="Lê Thị Mai",
                                                                     sex="female")), group="disabled", today=TODAY)
    sign_in(worker)
    last = last_audit_entry().id
    rows = [HEADER, ["Đỗ Thị Hoa", "Nữ", "04/03/2017", "", "Trẻ em bị bỏ rơi", "", "", "", ""],
            ["Nguyễn Văn An", "Nam", "02/04/2015", "", "Trẻ em khuyết tật", "01/09/2026", "", "", ""],
            ["Lê Thị Mai", "Nữ", "02/04/2015", "", "Trẻ em khuyết tật", "", "", "", ""]]
    assert confirmed(client, rows).status_code == 302
    written = entries_after(last)
    assert [entry.action for entry in written] == ["register_imported"] * 2
    hoa = db.session.scalar(sa.select(Child).where(Child.full_name == "Đỗ Thị Hoa"))
    added = next(entry for entry in written if entry.entity_id != str(given_group.id))
    assert added.unit_path == worker.unit.path
    details = json.loads(added.changes)
    assert details["file"] == "danh-sach.csv"
    assert {(row["entity"], row["action"]) for row in details["rows"]} == {
        ("children", "create"), ("register_entries", "create"), ("register_groups", "create")}
    assert next(row for row in details["rows"] if row["entity"] == "children")["changes"]["full_name"] == \
        [None, "Đỗ Thị Hoa"] and hoa is not None
    assert str(unchanged.id) not in {entry.entity_id for entry in written}
    with force_locale("en"):
        told = {entry.entity_id: item for entry, item in zip(written, narrate(written), strict=True)}
    assert "put the child Đỗ Thị Hoa on the commune's register, from the imported file “danh-sach.csv”" in \
        told[added.entity_id].sentence
    assert "recorded the child Nguyễn Văn An in the group “With a disability” since 01/09/2026, from the " \
        "imported file “danh-sach.csv”" in told[str(given_group.id)].sentence
    assert ("Group", None, "Abandoned") in {(change.label, change.before, change.after)
                                                     for change in told[added.entity_id].changes}
    with force_locale("vi"):
        [vietnamese] = narrate([added])
    assert "đã đưa trẻ Đỗ Thị Hoa vào danh sách trẻ em của xã khi nhập tệp “danh-sach.csv”" in vietnamese.sentence
    assert verify_chain().ok


def test_a_situation_the_file_changes_is_told_in_the_child_s_one_entry(app, sign_in, client, worker):
    from flask_babel import force_locale

    from app.audit.narrative import narrate
    from tests.factories import last_audit_entry

    entry = register_child(worker, group="disabled", today=TODAY)
    sign_in(worker)
    last = last_audit_entry().id
    assert confirmed(client, [HEADER, ["Nguyễn Văn An", "Nam", "02/04/2015", "", "Trẻ em khuyết tật", "",
                                       "Ở với gia đình nhận chăm sóc thay thế", "Bà Lê Thị Năm", ""]]).status_code \
        == 302
    [written] = entries_after(last)
    db.session.refresh(entry)
    assert (entry.living_place, entry.lives_with) == ("foster_family", "Bà Lê Thị Năm")
    with force_locale("en"):
        [told] = narrate([written])
    assert "changed the register entry of the child Nguyễn Văn An, from the imported file “danh-sach.csv”: Lives, " \
        "With whom" in told.sentence


def registered_in_tan_viet(make_user, id_number="030215001234"):
    from app.children.services import new_child
    from tests.factories import child_details

    other = make_user("worker", unit="10966")
    return register_child(other, child=new_child(child_details(address_unit=other.unit, id_number=id_number)),
                          today=TODAY)


def test_a_personal_id_on_another_commune_s_register_is_a_conflict_naming_that_commune_and_nothing_of_the_child(
        make_user, worker):
    elsewhere = registered_in_tan_viet(make_user)
    row = ["Trần Thị Bích", "Nữ", "01/01/2016", "030215001234", "Trẻ em khuyết tật", "", "", "", ""]
    [read] = transfer.check(worker, csv_bytes([HEADER, row]), "a.csv", TODAY).rows
    assert read.status == "conflicting"
    assert elsewhere.unit.name in read.reasons[0] and elsewhere.child.full_name not in read.reasons[0]
    db.session.commit()
    [mine] = audit_entries(action="register_import_found_elsewhere", unit_path=worker.unit.path)
    [theirs] = audit_entries(action="register_import_found_elsewhere", entity_id=str(elsewhere.id))
    assert json.loads(mine.changes) == {"file": "a.csv", "matches": 1} and theirs.unit_path == elsewhere.unit.path


def test_a_child_registered_elsewhere_between_the_preview_and_the_confirmation_refuses_the_file(
        app, make_user, sign_in, client, worker):
    from app.register.models import RegisterEntry, RegisterImport

    sign_in(worker)
    upload(client, csv_bytes([HEADER, ["Nguyễn Văn An", "Nam", "02/04/2015", "030215001234", "Trẻ em khuyết tật",
                                       "", "", "", ""]]))
    kept = db.session.scalar(sa.select(RegisterImport))
    registered_in_tan_viet(make_user)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Child))
    assert client.post(f"/register/import/{kept.id}").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Child)) == before
    assert audit_entries(action="register_imported") == []
