from app.users.services import find_user
from tests.factories import PASSWORD


def create(runner, *extra, password=PASSWORD, username="lan.nguyen", role="worker", unit="10933"):
    return runner.invoke(args=["users", "create", "--username", username, "--role", role, "--unit", unit,
                               "--password-stdin", *extra], input=password + "\n")


def test_create_makes_an_account_with_the_password_from_stdin(runner, units):
    result = create(runner)
    assert result.exit_code == 0, result.output
    user = find_user("lan.nguyen")
    assert (user.role, user.unit.code) == ("worker", "10933")


def test_create_prompts_for_the_password_when_not_given_on_stdin(runner, units):
    result = runner.invoke(args=["users", "create", "--username", "hoa", "--role", "worker", "--unit", "10933"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert find_user("hoa") is not None


def test_create_refuses_a_role_at_the_wrong_level_and_creates_nothing(runner, units):
    result = create(runner, role="worker", unit="295")
    assert result.exit_code != 0 and "unit" in result.output
    assert find_user("lan.nguyen") is None


def test_create_refuses_a_weak_password(runner, units):
    result = create(runner, password="12345")
    assert result.exit_code != 0 and find_user("lan.nguyen") is None


def test_create_refuses_an_unknown_unit(runner, units):
    assert create(runner, unit="99999").exit_code != 0


def test_create_refuses_a_taken_username(runner, units):
    create(runner)
    assert create(runner).exit_code != 0


def test_deactivate_stops_the_account(runner, units):
    create(runner)
    assert runner.invoke(args=["users", "deactivate", "lan.nguyen"]).exit_code == 0
    assert find_user("lan.nguyen").active is False


def test_deactivate_names_an_unknown_account(runner, units):
    assert runner.invoke(args=["users", "deactivate", "nobody"]).exit_code != 0


def test_list_shows_every_account(runner, units):
    create(runner)
    create(runner, username="tuan", role="supervisor", unit="295")
    output = runner.invoke(args=["users", "list"]).output
    assert "lan.nguyen\tworker\t10933\tactive" in output and "tuan\tsupervisor\t295" in output


def test_create_records_a_commune_leader_s_office(runner, units):
    result = create(runner, "--office", "vice_chairman", role="commune_leader")
    assert result.exit_code == 0, result.output
    assert find_user("lan.nguyen").office == "vice_chairman"


def test_create_refuses_an_office_to_anyone_but_a_commune_leader(runner, units):
    result = create(runner, "--office", "chairman", role="worker")
    assert result.exit_code != 0 and "office" in result.output and find_user("lan.nguyen") is None


def test_create_places_a_department_officer_in_a_department_named_as_on_the_province_s_list(runner, units):
    from tests.factories import make_department

    make_department("Tỉnh đoàn Hải Dương")
    result = runner.invoke(args=["users", "create", "--username", "doan", "--role", "department_officer", "--unit",
                                 "30", "--department", "Tỉnh đoàn Hải Dương", "--password-stdin"],
                           input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert find_user("doan").department.name == "Tỉnh đoàn Hải Dương"
    refused = runner.invoke(args=["users", "create", "--username", "doan2", "--role", "department_officer", "--unit",
                                  "30", "--department", "Sở Không Có", "--password-stdin"],
                            input="correct horse battery\n")
    assert refused.exit_code != 0 and find_user("doan2") is None
