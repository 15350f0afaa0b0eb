"""Searching the case list by a child's name: the typed words, in order, from the start of a word of the name
or of the other names, without diacritics."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.cases.services import open_case
from app.children.models import NameStart
from app.children.services import update_child
from app.extensions import db
from tests.factories import child_details, migration, report

NAMES = ("Nguyễn Văn An", "Nguyễn Văn Anh", "Trần Thị Đào", "Lê Văn Bé", "Phạm Thu Uyên")


@pytest.fixture
def worker(make_user, sign_in):
    return sign_in(make_user("worker"))


def child(worker, full_name, other_names=None):
    return open_case(worker, worker.unit, report(),
                     child_details=child_details(full_name=full_name, other_names=other_names)).child


def found(client, text) -> list[str]:
    response = client.get("/cases/", query_string={"q": text})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return sorted(name for name in NAMES if f">{name}<" in page)


def test_the_whole_name_without_diacritics_finds_the_child(client, worker):
    child(worker, "Nguyễn Văn An")
    child(worker, "Trần Thị Đào")
    assert found(client, "nguyen van an") == ["Nguyễn Văn An"]
    assert found(client, "TRAN THI DAO") == ["Trần Thị Đào"]


def test_the_last_word_may_be_unfinished(client, worker):
    child(worker, "Nguyễn Văn An")
    child(worker, "Nguyễn Văn Anh")
    assert found(client, "nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]


def test_the_words_may_start_at_any_word_of_the_name(client, worker):
    child(worker, "Nguyễn Văn An")
    child(worker, "Lê Văn Bé")
    assert found(client, "van an") == ["Nguyễn Văn An"]
    assert found(client, "van") == ["Lê Văn Bé", "Nguyễn Văn An"]


def test_a_part_inside_a_word_does_not_match(client, worker):
    child(worker, "Nguyễn Văn An")
    child(worker, "Phạm Thu Uyên")
    assert found(client, "uyen") == ["Phạm Thu Uyên"]


def test_other_names_are_searched_too(client, worker):
    child(worker, "Lê Văn Bé", other_names="Tí Nị")
    assert found(client, "ti ni") == ["Lê Văn Bé"]


@pytest.mark.parametrize("text", ["%", "_", "ng_yen", "n%n", "an'", "/"])
def test_typed_wildcards_and_quotes_match_only_themselves(client, worker, text):
    child(worker, "Nguyễn Văn An")
    assert found(client, text) == []


def test_a_corrected_name_is_found_and_the_old_one_is_not(client, worker):
    corrected = child(worker, "Nguyễn Văn An")
    update_child(corrected, child_details(full_name="Lê Văn Bé"), date.today(), corrected.version)
    db.session.commit()
    assert found(client, "nguyen") == [] and found(client, "le van be") == ["Lê Văn Bé"]


def test_the_migration_indexes_names_as_the_application_does(worker):
    child(worker, "Nguyễn Văn An", other_names="Bé Na")
    child(worker, "Trần  Thị Đào")
    written = db.session.execute(sa.select(NameStart.child_id, NameStart.start).order_by(NameStart.child_id,
                                                                                         NameStart.start)).all()
    revision = migration("6c2e8f4a1d37")
    db.session.execute(sa.delete(NameStart))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(revision.POSTGRESQL_BACKFILL))
    else:
        revision.backfill_here(db.session.connection())
    again = db.session.execute(sa.select(NameStart.child_id, NameStart.start).order_by(NameStart.child_id,
                                                                                       NameStart.start)).all()
    db.session.rollback()
    assert again == written


def test_a_search_of_marks_alone_finds_nothing(client, worker):
    child(worker, "Nguyễn Văn An")
    assert found(client, "\u0301\u0300") == []


def test_a_name_of_the_longest_length_in_a_script_that_folds_longer_is_accepted_and_found(client, worker):
    name = "한" * 200  # each syllable folds into two or three letters
    child(worker, name)
    page = client.get("/cases/", query_string={"q": "한"}).get_data(as_text=True)
    assert name in page
