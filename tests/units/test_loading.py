import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.access import units_under
from app.extensions import db
from app.units.models import Unit
from app.units.services import DATA_DIR, UnitFileError, edition_from_filename, load_units
from tests.factories import unit

HEADER = "code,name,level,parent_code\n"
SMALL = HEADER + "30,Tỉnh Hải Dương,province,\n295,Huyện Cẩm Giàng,district,30\n10933,Xã Cẩm Phúc,commune,295\n"


def count_units(edition="2024"):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(Unit.edition == edition))


def test_loading_builds_the_tree(app):
    load_units(SMALL.encode(), "2024")
    commune = unit("10933")
    assert (commune.name, commune.level, commune.parent.code, commune.parent.parent.code) == \
        ("Xã Cẩm Phúc", "commune", "295", "30")


def test_loading_twice_changes_nothing(app):
    load_units(SMALL.encode(), "2024")
    result = load_units(SMALL.encode(), "2024")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert count_units() == 3


def test_a_renamed_unit_is_updated_in_place(app):
    load_units(SMALL.encode(), "2024")
    result = load_units(SMALL.replace("Xã Cẩm Phúc", "Xã Cẩm Phúc Mới").encode(), "2024")
    assert result.updated == 1 and unit("10933").name == "Xã Cẩm Phúc Mới"


@pytest.mark.parametrize("encode", [
    lambda text: ("\ufeff" + text).encode(),
    lambda text: text.replace("\n", "\r\n").encode(),
    lambda text: ("\ufeff" + text.replace("\n", "\r\n")).encode(),
], ids=["bom", "crlf", "bom-crlf"])
def test_a_byte_order_mark_and_windows_line_ends_are_accepted(app, encode):
    load_units(encode(SMALL), "2024")
    assert unit("10933").parent.code == "295"


@pytest.mark.parametrize("text, line, reason", [
    (SMALL + "10966,Xã Tân Việt,commune,296\n", 5, "unknown parent unit 296"),
    (SMALL + "295,Huyện Khác,district,30\n", 5, "duplicate code 295 (first on line 3)"),
    (SMALL + "10966,Xã Tân Việt,hamlet,295\n", 5, "unknown level 'hamlet' (expected: province, district, commune)"),
    ("code,name,level\n30,Tỉnh Hải Dương,province\n", 1, "missing column: parent_code"),
    (SMALL + "296,Huyện Bình Giang,district,10933\n", 5, "a district cannot belong to a commune"),
    (SMALL + "10966,,commune,295\n", 5, "the name is empty"),
    (SMALL + "30A,Tỉnh X,province,\n", 5, "the code '30A' is not a number"),
], ids=["unknown-parent", "duplicate-code", "unknown-level", "missing-column", "wrong-parent-level",
        "empty-name", "bad-code"])
def test_a_bad_file_is_refused_with_line_and_reason_and_loads_nothing(app, text, line, reason):
    with pytest.raises(UnitFileError) as refusal, force_locale("en"):
        load_units(text.encode("utf-8"), "2024")
    assert (line, reason) in refusal.value.problems
    assert count_units() == 0


def test_a_file_that_is_not_utf8_is_refused(app):
    with pytest.raises(UnitFileError):
        load_units(SMALL.encode("utf-16"), "2024")
    assert count_units() == 0


def test_a_parent_may_come_from_an_earlier_load(app):
    load_units(SMALL.encode(), "2024")
    load_units((HEADER + "10936,Xã Cẩm Điền,commune,295\n").encode(), "2024")
    assert unit("10936").parent.code == "295"


def test_the_2025_list_reuses_codes_without_touching_2024(app):
    load_units(SMALL.encode(), "2024")
    load_units((HEADER + "31,Thành phố Hải Phòng,province,\n10933,Xã Cẩm Giàng,commune,31\n").encode(), "2025")
    assert unit("10933", "2024").name == "Xã Cẩm Phúc"
    assert unit("10933", "2025").parent.code == "31"


def test_a_subtree_holds_the_unit_and_everything_below_it(units):
    district = unit("295")
    codes = set(db.session.scalars(sa.select(Unit.code).where(Unit.id.in_(units_under(district)))))
    assert "295" in codes and "10933" in codes
    assert "10966" not in codes  # Tân Việt lies in Bình Giang (296)
    assert len(codes) == 1 + db.session.scalar(
        sa.select(sa.func.count()).select_from(Unit).where(Unit.parent_id == district.id))


def test_the_whole_country_loads(app):
    result = load_units((DATA_DIR / "vn_units_2024.csv").read_bytes(), "2024")
    assert result.created == 11239
    assert count_units() == 11239


def test_the_edition_is_read_from_the_file_name():
    assert edition_from_filename("data/vn_units_2025.csv") == "2025"
    assert edition_from_filename("units.csv") is None


def test_the_load_command_reports_what_it_did(runner, tmp_path):
    path = tmp_path / "units_2024.csv"
    path.write_text(SMALL, encoding="utf-8")
    result = runner.invoke(args=["units", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "3" in result.output and count_units() == 3


def test_the_load_command_names_the_bad_line_and_exits_non_zero(runner, tmp_path):
    path = tmp_path / "units_2024.csv"
    path.write_text(SMALL + "10966,Xã Tân Việt,commune,296\n", encoding="utf-8")
    result = runner.invoke(args=["units", "load", str(path)])
    assert result.exit_code != 0
    assert "5" in result.output and "296" in result.output
    assert count_units() == 0


def test_the_load_command_needs_an_edition_it_cannot_guess(runner, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(SMALL, encoding="utf-8")
    assert runner.invoke(args=["units", "load", str(path)]).exit_code != 0
    assert runner.invoke(args=["units", "load", str(path), "--edition", "2024"]).exit_code == 0


@pytest.mark.parametrize("edition", ["20%5", "2025/x", "", "a_b"])
def test_a_list_name_with_other_than_letters_and_digits_is_refused(app, edition):
    with pytest.raises(UnitFileError):
        load_units(SMALL.encode(), edition)
    assert count_units(edition) == 0


@pytest.mark.parametrize("row, reason", [
    ("10966," + "X" * 201 + ",commune,295", "the name is longer than 200 characters"),
    ("1" * 17 + ",Xã Dài,commune,295", "is not a number"),
    ("²,Xã Số,commune,295", "is not a number"),
], ids=["long-name", "long-code", "unicode-digit"])
def test_values_that_do_not_fit_are_refused(app, row, reason):
    with pytest.raises(UnitFileError) as refusal, force_locale("en"):
        load_units((SMALL + row + "\n").encode(), "2024")
    assert any(line == 5 and reason in text for line, text in refusal.value.problems)
    assert count_units() == 0


def test_a_level_change_that_would_strand_children_is_refused(app):
    load_units(SMALL.encode(), "2024")
    with pytest.raises(UnitFileError) as refusal:
        load_units((HEADER + "295,Huyện Cẩm Giàng,commune,30\n").encode(), "2024")
    assert refusal.value.problems[0][0] == 2
    assert unit("295").level == "district"


def test_a_level_change_that_would_misplace_an_account_is_refused(app, runner):
    load_units(SMALL.encode(), "2024")
    runner.invoke(args=["users", "create", "--username", "tuan", "--role", "supervisor", "--unit", "295",
                        "--password-stdin"], input="correct horse battery\n")
    load_units((HEADER + "30,Tỉnh Hải Dương,province,\n10933,Xã Cẩm Phúc,commune,30\n").encode(), "2024")
    with pytest.raises(UnitFileError) as refusal, force_locale("en"):
        load_units((HEADER + "295,Huyện Cẩm Giàng,commune,30\n").encode(), "2024")
    assert "tuan (District supervisor)" in str(refusal.value.problems)
