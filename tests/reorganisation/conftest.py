import csv
import io

import pytest

from app.units.services import DATA_DIR, load_units
from app.units.successions import load_successions
from tests.factories import child_details, make_case

# In Hải Dương's 2024 list, three kinds of succession on 1 July 2025 (app/units/data/SOURCES.md):
WHOLE = "10966"  # Xã Tân Việt went whole into Xã Bình Giang (10966 of 2025)
DIVIDED = "10933"  # Xã Cẩm Phúc (by then Phúc Điền) was divided between Cẩm Giàng 10903 and Mao Điền 10930
UNNAMED = "10522"  # Phường Phạm Ngũ Lão was merged in January 2025: the file names no successor
CAM_GIANG, MAO_DIEN = "10903", "10930"


def hai_phong_2025() -> bytes:
    """Hải Phòng (31) of the 2025 list: the city and its communes, no districts."""
    rows = [row for row in csv.DictReader(io.StringIO((DATA_DIR / "vn_units_2025.csv").read_text("utf-8")))
            if row["code"] == "31" or row["parent_code"] == "31"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["code", "name", "level", "parent_code"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def successions(units):
    """Hải Dương 2024 and Hải Phòng 2025 loaded, with the official successions between them."""
    load_units(hai_phong_2025(), "2025")
    return load_successions((DATA_DIR / "hai_duong_2024_to_2025.csv").read_bytes(), "2024", "2025")


@pytest.fixture
def worker(make_user):
    return make_user("worker", unit=DIVIDED)


@pytest.fixture
def whole_worker(make_user):
    return make_user("worker", unit=WHOLE)


@pytest.fixture
def divided_case(worker):
    return make_case(worker, details=child_details(address_unit=worker.unit, address_detail="Thôn Phúc Điền"))


@pytest.fixture
def whole_case(whole_worker):
    return make_case(whole_worker, details=child_details(address_unit=whole_worker.unit, address_detail="Thôn 3"))
