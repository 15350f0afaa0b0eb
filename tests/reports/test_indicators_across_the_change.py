"""The indicators on children across the reorganisation of 1 July 2025, as the statistics count it: the new province's
year counts every child once, and the old area can still be reported on."""
from app.extensions import db
from app.orm import utcnow
from app.reports import indicators
from tests.reports import test_across_the_change as statistics_across

YEAR = statistics_across.YEAR
# The statistics' fixtures: the reorganisation's successions, and the cases on either side of it.
successions, across = statistics_across.successions, statistics_across.across


def abused(*cases):
    for case in cases:
        case.harm_status = "abused"
    db.session.commit()


def figures(viewer, unit_code):
    return indicators.report(viewer, unit_code, YEAR, utcnow()).summary()


def test_the_new_province_counts_every_child_of_the_year_once(across):
    abused(across["before"]["whole_open"], across["after"]["tue_tinh"])
    year = figures(across["officer"], "31")
    assert year["with_case"]["with_case"] == 7
    assert year["abused_children"]["total"] == 2


def test_the_old_area_counts_the_children_of_its_cases_from_before_the_change(across):
    abused(across["before"]["whole_open"], across["after"]["tue_tinh"])
    old = figures(across["officer"], "2024/30")
    assert old["with_case"]["with_case"] == 5
    assert old["abused_children"]["total"] == 1
