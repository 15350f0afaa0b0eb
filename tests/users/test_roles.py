"""Which role may sit at which level of unit (DESIGN.md section 1)."""
import pytest

from app.access import Role, levels_for_role
from app.units.services import load_units
from app.users.services import UserRejected, check_role_fits_unit
from tests.factories import unit

FITS = {
    Role.WORKER: {"commune"},
    Role.COMMUNE_LEADER: {"commune"},
    Role.SUPERVISOR: {"district"},
    Role.PROVINCE_OFFICER: {"province", "district"},
    Role.INSPECTOR: {"province", "district"},
    Role.ADMIN: {"province", "district", "commune"},
    # Hotline 111 and the police, labour and health offices at every level receive reports (Decree 56 art. 26.1).
    Role.INTAKE: {"province", "district", "commune"},
    # A village is no unit of the list: its collaborator's account sits at the commune (issue 18, point 2).
    Role.COLLABORATOR: {"commune"},
    # A department or agency of the province reports to the province (the plan's section III).
    Role.DEPARTMENT_OFFICER: {"province"},
}
UNIT_OF_LEVEL = {"province": "30", "district": "295", "commune": "10933"}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("level", ["province", "district", "commune"])
def test_a_role_fits_only_its_levels_in_the_three_level_list(units, role, level):
    if level in FITS[role]:
        assert check_role_fits_unit(role.value, unit(UNIT_OF_LEVEL[level])) == role
    else:
        with pytest.raises(UserRejected):
            check_role_fits_unit(role.value, unit(UNIT_OF_LEVEL[level]))


def test_without_districts_the_supervisor_sits_at_the_province(app):
    load_units("code,name,level,parent_code\n31,Thành phố Hải Phòng,province,\n10933,Xã Cẩm Giàng,commune,31\n"
               .encode(), "2025")
    assert check_role_fits_unit("supervisor", unit("31", "2025")) == Role.SUPERVISOR
    assert levels_for_role(Role.SUPERVISOR, edition_has_districts=False) == ("province",)


def test_an_unknown_role_is_refused(units):
    with pytest.raises(UserRejected) as refusal:
        check_role_fits_unit("superuser", unit("30"))
    assert refusal.value.field == "role"
