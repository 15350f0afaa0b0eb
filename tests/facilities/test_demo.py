"""`flask seed demo` registers two care facilities, each inspected once, one with an open correction."""
import sqlalchemy as sa

from app.extensions import db


def test_the_demo_has_two_facilities_inspected_once_each_one_with_an_open_correction(runner, app):
    from app.facilities.models import Correction, Facility, Inspection

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    facilities = list(db.session.scalars(sa.select(Facility)))
    assert len(facilities) == 2
    recorded = list(db.session.scalars(sa.select(Inspection).where(Inspection.recorded_at.is_not(None))))
    assert sorted(inspection.facility_id for inspection in recorded) == sorted(f.id for f in facilities)
    open_ = list(db.session.scalars(sa.select(Correction).where(Correction.done_on.is_(None))))
    assert len({correction.inspection.facility_id for correction in open_}) == 1
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Facility)) == 2
