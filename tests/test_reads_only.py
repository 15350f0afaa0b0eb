"""Views marked reads_only run outside a transaction; a write there is refused, a refusal is still recorded."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.deadlines.models import Holiday
from app.extensions import db
from app.orm import WriteRefused
from tests.factories import audit_entries


@pytest.mark.parametrize("write", ["commit", "flush"])
def test_writing_outside_a_transaction_is_refused_and_nothing_is_kept(app, write):
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    db.session.add(Holiday(day=date(2026, 9, 2), name="Quốc khánh"))
    with pytest.raises(WriteRefused):
        getattr(db.session, write)()
    db.session.rollback()
    assert db.session.scalar(sa.select(Holiday)) is None and audit_entries(entity="holidays") == []


def test_a_refusal_in_the_case_list_is_still_recorded(client, make_user, sign_in):
    sign_in(make_user("admin"))
    assert client.get("/cases/").status_code == 403
    refusal = audit_entries(action="access_denied")[-1]
    assert '"/cases/"' in refusal.changes
