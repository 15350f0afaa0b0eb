"""Successions are data: loaded whole or refused whole, and a second load changes nothing."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.units.models import Succession
from app.units.services import DATA_DIR, UnitFileError, load_units
from app.units.successions import editions_from_filename, load_successions
from tests.factories import audit_entries
from tests.reorganisation.conftest import hai_phong_2025

HEADER = "old_code,old_name,new_code,new_name,level,kind\n"


@pytest.fixture
def lists(units):
    load_units(hai_phong_2025(), "2025")


def count_links() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Succession))


def test_the_official_successions_of_hai_duong_load_with_every_kind(lists):
    result = load_successions((DATA_DIR / "hai_duong_2024_to_2025.csv").read_bytes(), "2024", "2025")

    kinds = dict(db.session.execute(sa.select(Succession.kind, sa.func.count()).group_by(Succession.kind)).all())
    assert result.added == count_links() == 245
    assert kinds == {"full": 173, "partial": 72}


def test_a_code_unknown_in_its_list_refuses_the_whole_file_with_its_line(lists):
    raw = (HEADER + "30,Tỉnh Hải Dương,31,Thành phố Hải Phòng,province,full\n"
           "99999,Xã Không Có,10930,Xã Mao Điền,commune,full\n"
           "10933,Xã Phúc Điền,88888,Xã Không Có,commune,partial\n").encode()

    with pytest.raises(UnitFileError) as refusal:
        load_successions(raw, "2024", "2025")

    assert [line for line, _reason in refusal.value.problems] == [3, 4]
    assert "99999" in str(refusal.value) and "88888" in str(refusal.value)
    assert count_links() == 0


def test_a_province_goes_whole_into_one_province(lists):
    raw = (HEADER + "30,Tỉnh Hải Dương,31,Thành phố Hải Phòng,province,partial\n").encode()

    with pytest.raises(UnitFileError) as refusal:
        load_successions(raw, "2024", "2025")

    assert [line for line, _reason in refusal.value.problems] == [2]


def test_a_commune_cannot_succeed_into_a_province(lists):
    raw = (HEADER + "10933,Xã Phúc Điền,31,Thành phố Hải Phòng,commune,full\n").encode()

    with pytest.raises(UnitFileError) as refusal:
        load_successions(raw, "2024", "2025")

    assert [line for line, _reason in refusal.value.problems] == [2]


def test_loading_the_same_successions_twice_changes_nothing(lists):
    raw = (DATA_DIR / "hai_duong_2024_to_2025.csv").read_bytes()
    load_successions(raw, "2024", "2025")
    entries = len(audit_entries())

    again = load_successions(raw, "2024", "2025")

    assert (again.added, again.changed, again.unchanged) == (0, 0, 245)
    assert len(audit_entries()) == entries


def test_the_load_is_one_entry_in_the_trail_naming_the_file_by_its_fingerprint(lists):
    load_successions((DATA_DIR / "hai_duong_2024_to_2025.csv").read_bytes(), "2024", "2025")

    entries = audit_entries(action="successions_loaded")
    assert len(entries) == 1
    assert '"added": 245' in entries[0].changes and "file_sha256" in entries[0].changes


def test_the_file_name_says_which_lists_it_links():
    assert editions_from_filename("data/vn_units_2024_to_2025.csv") == ("2024", "2025")
    assert editions_from_filename("successors.csv") is None


def test_the_command_loads_the_file_and_says_what_it_did(runner, lists):
    result = runner.invoke(args=["units", "succeed", str(DATA_DIR / "hai_duong_2024_to_2025.csv")])

    assert result.exit_code == 0, result.output
    assert "245" in result.output
    assert count_links() == 245


def test_the_command_refuses_a_bad_file_and_loads_nothing(runner, lists, tmp_path):
    bad = tmp_path / "bad_2024_to_2025.csv"
    bad.write_text(HEADER + "99999,Xã Không Có,10930,Xã Mao Điền,commune,full\n", encoding="utf-8")

    result = runner.invoke(args=["units", "succeed", str(bad)])

    assert result.exit_code != 0
    assert "99999" in result.output
    assert count_links() == 0


def test_an_island_district_without_communes_may_go_whole_into_a_special_zone(units):
    load_units("code,name,level,parent_code\n31,Thành phố Hải Phòng,province,\n"
               "11948,Đặc khu Bạch Long Vĩ,commune,31\n".encode(), "2025")
    load_units("code,name,level,parent_code\n31,Thành phố Hải Phòng,province,\n"
               "318,Huyện Bạch Long Vĩ,district,31\n".encode(), "2024")
    raw = (HEADER + "318,Huyện Bạch Long Vĩ,11948,Đặc khu Bạch Long Vĩ,commune,full\n").encode()

    assert load_successions(raw, "2024", "2025").added == 1


def test_a_refusal_names_how_many_problems_it_did_not_list(lists):
    raw = (HEADER + "".join(f"{99000 + n},Xã Không Có,10930,Xã Mao Điền,commune,full\n" for n in range(25))).encode()

    with pytest.raises(UnitFileError) as refusal:
        load_successions(raw, "2024", "2025")

    assert len(refusal.value.problems) == 21
    assert "5" in refusal.value.problems[-1][1]


def test_the_whole_countrys_successions_as_shipped_load_against_the_lists_shipped(app):
    for edition in ("2024", "2025"):
        load_units((DATA_DIR / f"vn_units_{edition}.csv").read_bytes(), edition)

    result = load_successions((DATA_DIR / "vn_units_2024_to_2025.csv").read_bytes(), "2024", "2025")

    assert result.added == count_links() == 10651
