"""Test data with sensible defaults; pass only what a test is about."""
from datetime import date
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
    Role.COLLABORATOR: "10933",
    Role.DEPARTMENT_OFFICER: "30",
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


def make_user(role="worker", unit=None, username=None, password=PASSWORD, full_name="Nguyễn Văn Thử",
              department=None):
    """An account; a department officer's belongs to `department` (by default the health department of its
    province)."""
    role = Role(role)
    unit = unit or HOME_UNIT[role]
    if role == Role.DEPARTMENT_OFFICER and department is None:
        department = make_department("Sở Y tế", unit)
    return create_user(username=username or f"{role.value}{next(_numbers)}", full_name=full_name,
                       role=role.value, unit_code=unit, password=password, department=department)


def make_department(name="Sở Y tế", province="30", edition="2024"):
    """The department `name` of the province, made once."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.reporting.models import Department

    place = find_unit(province, edition)
    found = db.session.scalar(sa.select(Department).where(Department.province_id == place.id,
                                                          Department.name == name))
    if found is None:
        found = Department(province_id=place.id, name=name)
        db.session.add(found)
        db.session.commit()
    return found


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


def photo(size=(640, 480), colour=(200, 60, 40), orientation=None, gps=True, camera=True, kind="JPEG") -> bytes:
    """A photo as a phone saves it: with its GPS position, the camera's make and model, and an orientation."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, colour)
    # The top-left corner marked, to tell where it went once the orientation is applied.
    image.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    if camera:
        exif[0x010F], exif[0x0110] = "Apple", "iPhone 15"  # Make, Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (106.0, 20.0, 15.0)}
    out = io.BytesIO()
    image.save(out, kind, exif=exif)
    return out.getvalue()


def attach_file(case, by, data=None, filename="anh-vet-thuong.jpg", kind="injury_photo", stream=None, **details):
    """`data` (a photo by default), or what `stream` gives, attached to `case` by `by`."""
    import io
    from datetime import date

    from app.attachments.services import attach

    values = {"description": "Vết bầm ở cánh tay trái", "made_on": date(2026, 12, 1)}
    values.update(details)
    stream = stream or io.BytesIO(photo() if data is None else data)
    return attach(by, case, stream=stream, filename=filename, kind=kind, **values)


# Files for the attachment tests (issue 17): a phone's photo, bad files, PDFs.

def stored_image(data: bytes):
    """The picture a store holds, decoded by Pillow."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def decompression_bomb_png(width: int, height: int) -> bytes:
    """A PNG a few hundred kilobytes long whose pixels would take `width` × `height` bytes once decoded."""
    import struct
    import zlib

    compressor, row, body = zlib.compressobj(9), b"\x00" * (width + 1), []
    for _ in range(height):
        body.append(compressor.compress(row))
    body.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", b"".join(body))
            + _png_chunk(b"IEND", b""))


def zip_bomb() -> bytes:
    """A zip of a few tens of kilobytes holding 50 MB of zeros, named like a photo inside."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("anh.jpg", "w") as member:
            for _ in range(50):
                member.write(b"\x00" * (1024 * 1024))
    return out.getvalue()


def pdf(script: str | None = None, padding: int = 0) -> bytes:
    """A one-page PDF; with `script`, JavaScript run when it is opened; with `padding`, that many more bytes in a
    stream of its own (a scan's image)."""
    import io
    import os

    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if padding:
        scan = StreamObject()
        scan.set_data(os.urandom(padding))
        writer._add_object(scan)
    if script:
        action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                   NameObject("/JS"): TextStringObject(script)})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def heic_photo() -> bytes:
    """A HEIC photo as an iPhone saves it, with the camera and the GPS position in its EXIF."""
    import io

    from PIL import Image

    image = Image.new("RGB", (64, 48), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 15"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (106.0, 20.0, 15.0)}
    out = io.BytesIO()
    image.save(out, "HEIF", exif=exif.tobytes())
    return out.getvalue()


class EndlessStream:
    """A request body that never ends (`head`, then zeros), counting what is read of it."""

    def __init__(self, head: bytes = b""):
        self.head, self.read_bytes = head, 0

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "the whole body was asked for"
        piece = (self.head[self.read_bytes:] + b"\x00" * size)[:size]
        self.read_bytes += len(piece)
        return piece


def stored_files() -> list:
    """Every file under the filesystem store's folder."""
    from pathlib import Path

    from flask import current_app

    root = Path(current_app.config["ATTACHMENT_DIR"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def nothing_stored() -> bool:
    """No attachment's row, no chunk of bytes, no file."""
    import sqlalchemy as sa

    from app.attachments.models import Attachment, AttachmentChunk
    from app.extensions import db

    rows = db.session.scalar(sa.select(sa.func.count()).select_from(Attachment))
    chunks = db.session.scalar(sa.select(sa.func.count()).select_from(AttachmentChunk))
    return rows == 0 and chunks == 0 and stored_files() == []


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


def make_facility(by, unit_code="10933", edition="2024", name="Trung tâm Bảo trợ xã hội tỉnh", **details):
    """A facility registered by `by` (an officer or inspector), in the commune coded `unit_code`."""
    from app.facilities.services import Details, register_facility

    values = {"kind": "social_assistance_centre", "name": name, "address": "Thôn Nghĩa Phú", "capacity": 40,
              "licence_number": "12/GP-SLĐTBXH", "licence_issuer": "Sở Lao động - Thương binh và Xã hội",
              "licence_issued_on": date(2022, 3, 1), "licence_expires_on": date(2027, 3, 1)}
    values.update(details)
    return register_facility(by, unit(unit_code, edition), Details(**values))


ALL_MET = {"licence": "met", "capacity": "met", "staff": "met", "premises": "met", "records": "met",
           "admission": "met", "care_plan": "met", "protection": "met", "schooling_health": "met"}


def inspect(facility, by, day, corrections=(), violations=None, follows_up=None, resolved=(), **findings):
    """An inspection planned and recorded on `day`: every item met unless `findings` says otherwise; `corrections`
    are (what, due day) pairs."""
    from app.facilities.services import NewCorrection, plan_inspection, record_inspection

    inspection = plan_inspection(by, facility, day, "Đoàn kiểm tra Sở LĐTBXH: ông Phạm Văn Hùng (trưởng đoàn)",
                                 follows_up)
    return record_inspection(by, inspection, {**ALL_MET, **findings}, violations,
                             [NewCorrection(what, due) for what, due in corrections], list(resolved))
