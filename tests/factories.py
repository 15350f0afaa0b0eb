"""Test data with sensible defaults; pass only what a test is about."""
from itertools import count

from app.access import Role
from app.units.services import DATA_DIR, find_unit, load_units
from app.users.services import create_user

PASSWORD = "correct horse battery"
_numbers = count(1)

# A unit of the demo list that fits each role.
HOME_UNIT = {
    Role.WORKER: "10933",
    Role.COMMUNE_LEADER: "10933",
    Role.SUPERVISOR: "295",
    Role.PROVINCE_OFFICER: "30",
    Role.INSPECTOR: "30",
    Role.ADMIN: "30",
}


def load_hai_duong():
    return load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")


def make_user(role="worker", unit=None, username=None, password=PASSWORD, full_name="Nguyễn Văn Thử"):
    role = Role(role)
    return create_user(username=username or f"{role.value}{next(_numbers)}", full_name=full_name,
                       role=role.value, unit_code=unit or HOME_UNIT[role], password=password)


def unit(code, edition="2024"):
    return find_unit(code, edition)


def audit_entries(**criteria):
    """The trail's entries matching `criteria` (column=value), oldest first."""
    import sqlalchemy as sa

    from app.audit.models import AuditEntry
    from app.extensions import db

    query = sa.select(AuditEntry).filter_by(**criteria).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def last_audit_entry(**criteria):
    found = audit_entries(**criteria)
    return found[-1] if found else None
