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
    Role.INTAKE: "30",
}


def load_hai_duong():
    return load_units((DATA_DIR / "hai_duong_2024.csv").read_bytes(), "2024")


# A province as the 2025 list has them (two levels of local government since 1 July 2025): communes right under it.
TWO_LEVELS = """code,name,level,parent_code
31,Thành phố Hải Phòng,province,
10933,Xã Cẩm Giàng,commune,31
10966,Xã Tuệ Tĩnh,commune,31
"""


def load_two_levels():
    return load_units(TWO_LEVELS.encode(), "2025")


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


def child_details(**overrides):
    from datetime import date

    from app.children.services import ChildDetails

    values = {"full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": date(2015, 4, 2)}
    values.update(overrides)
    return ChildDetails(**values)


def report(**overrides):
    from datetime import timedelta

    from app.cases.services import Report
    from app.orm import utcnow

    values = {"source": "hotline_111", "received_at": utcnow() - timedelta(hours=1), "categories": ["violence"],
              "description": "Hàng xóm báo trẻ bị đánh nhiều lần.", "immediate_danger": False}
    values.update(overrides)
    return Report(**values)


def case_kept_from_before(by, years, **report_overrides):
    """A case of a person `years` old at the report (16 or 17), taken while the limit was 18, before the under-16
    rule (Law on Children art. 1): opened as cases are today, then given the birth date it was recorded with."""
    from datetime import timedelta

    from app.deadlines.services import local_zone
    from app.extensions import db

    case = make_case(by, **report_overrides)
    day = case.received_at.astimezone(local_zone()).date()
    born = day.replace(year=day.year - years) - timedelta(days=1)
    case.child.date_of_birth, case.child.birth_year = born, born.year
    db.session.commit()
    return case


def make_case(by, unit=None, child=None, details=None, **report_overrides):
    from app.cases.services import open_case

    return open_case(by, by.unit if unit is None else unit, report(**report_overrides),
                     child=child, child_details=None if child else details or child_details())


def make_referral(case, by, to=None, provider=None, send=True, **overrides):
    """A referral of `case` by `by`, to the unit coded `to` in the case's list (default: the district above) or to
    `provider`."""
    from app.referrals.services import Request, refer

    values = {"reason": "Cần hỗ trợ tâm lý cho trẻ.", "consent": "child_and_carer"}
    values.update(overrides)
    target = None if provider else unit(to or "295", case.unit.edition)
    return refer(case, by, Request(to_unit=target, provider=provider, **values), send=send)


def make_provider(unit_code="295", kind="health", name="Trung tâm Y tế huyện Cẩm Giàng"):
    from app.referrals.services import register_provider

    return register_provider(unit(unit_code), kind, name, None)


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, as a reader's copy and paste would give it."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def migration(revision: str):
    """The migration module of `revision`, for tests of the SQL it runs."""
    import importlib.util
    from pathlib import Path

    [path] = (Path(__file__).parents[1] / "migrations" / "versions").glob(f"*_{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Mẫu 06 answered at its best: the harm gone, the abuser kept away, no obstacles, the child able to protect themselves.
GOOD_REVIEW = {"harm": "low", "abuser_access": "low", "care_obstacles": "low", "self_protection": "high"}


def record_review(case, by, scores=None, note=None, **notes):
    """A review on Mẫu 06's criteria (Decree 56/2017 art. 30), by default all good."""
    from app.cases.services import review

    return review(case, by, scores or GOOD_REVIEW, note, case.version, notes=notes)


def isolate(case, worker, leader, first, last, **extension):
    """A temporary isolation from `first` to `last`, proposed by `worker` and decided by `leader` (art. 32)."""
    from app.cases.services import IsolationProposal, decide_isolation, propose_isolation

    propose_isolation(case, worker, IsolationProposal(
        reason="Cha đánh trẻ nhiều lần", place="Nhà bà ngoại", with_whom="Bà ngoại Trần Thị Mơ", first_day=first,
        last_day=last, **extension), case.version)
    return decide_isolation(case, leader, case.version)


def register_child(by, child=None, group="orphaned", since=None, today=None, **situation):
    """`child` (default: a new one, with no case) on the register of `by`'s commune, in `group`."""
    from datetime import date

    from app.children.services import new_child
    from app.extensions import db
    from app.register.services import Membership, Situation, register_child as register

    today = today or date.today()
    child = child or new_child(child_details(address_unit=by.unit))
    values = {"living_place": "with_relatives", "lives_with": "Bà ngoại"}
    values.update(situation)
    entry = register(by, child, Situation(**values), Membership(group=group, since=since or today), today)
    db.session.commit()
    return entry
