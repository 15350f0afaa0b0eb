"""Numbers as the reader's language writes them: 1.234 and 6,0 in Vietnamese, 1,234 and 6.0 in English."""
import pytest
from flask_babel import force_locale

from app.i18n import display_number


@pytest.mark.parametrize("locale, count, measure", [("vi", "1.234", "6,0"), ("en", "1,234", "6.0")])
def test_counts_group_thousands_and_measures_keep_one_decimal(app, locale, count, measure):
    with app.test_request_context(), force_locale(locale):
        assert (display_number(1234), display_number(6.0)) == (count, measure)


def test_a_missing_number_shows_nothing(app):
    with app.test_request_context():
        assert display_number(None) == ""
