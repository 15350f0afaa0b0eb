import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.demo.cases import seed_cases
from app.demo.referrals import seed_referrals
from app.units.services import DATA_DIR, load_units
from app.users.services import create_user, find_user

seed_cli = AppGroup("seed", help="Load demonstration data.")

DEMO_PASSWORD = "ThuNghiem-2024"
DEMO_ACCOUNTS = (
    # username, full name, role, unit code
    ("worker.camphuc", "Nguyễn Thị Lan", "worker", "10933"),
    ("leader.camphuc", "Trần Văn Hùng", "commune_leader", "10933"),
    ("worker.tanviet", "Phạm Thị Hoa", "worker", "10966"),
    ("leader.tanviet", "Hoàng Văn Nam", "commune_leader", "10966"),
    ("supervisor.camgiang", "Lê Minh Tuấn", "supervisor", "295"),
    ("officer.haiduong", "Vũ Thị Mai", "province_officer", "30"),
    ("inspector.haiduong", "Đỗ Quang Huy", "inspector", "30"),
    ("hotline.haiduong", "Bùi Thị Thu", "intake", "30"),
    ("admin", "Quản trị hệ thống", "admin", "30"),
)
# The title each demo leader signs decisions under (Mẫu 05, 07).
DEMO_OFFICES = {"leader.camphuc": "chairman", "leader.tanviet": "vice_chairman"}


def seed_demo() -> list[tuple[str, str, str]]:
    """Load the demo units, accounts, cases and referrals, leaving what is already there as it is."""
    load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")
    accounts = []
    for username, full_name, role, unit_code in DEMO_ACCOUNTS:
        user = find_user(username) or create_user(username=username, full_name=full_name, role=role,
                                                  unit_code=unit_code, password=DEMO_PASSWORD,
                                                  office=DEMO_OFFICES.get(username))
        accounts.append((user.username, user.role, user.unit.label))
    seed_cases()
    seed_referrals()
    return accounts


@seed_cli.command("demo")
def demo():
    """Hải Dương 2024 units and one account per role (idempotent)."""
    accounts = seed_demo()
    click.echo(_("Demo sign-ins (password for all: %(password)s):", password=DEMO_PASSWORD))
    for username, role, unit in accounts:
        click.echo(f"  {username:<22} {role:<17} {unit}")
