"""The header's menu: the pages a role may open, in the order shown.

It is on every page, so each role's links are built once per language and process: asking `can` and `url_for`
and translating each label on every page cost a twentieth of a case list's time.
"""
from functools import lru_cache

from flask import request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from app.access import role_can

# The page, its label, and the capability it needs (None: everyone signed in).
MENU = (
    ("main.home", _l("Home"), None),
    ("cases.index", _l("Cases"), "cases.read"),
    ("referrals.index", _l("Referrals"), "cases.read"),
    ("escalations.index", _l("Escalations"), "cases.read"),
    ("notifications.index", _l("Waiting for you"), "cases.read"),
    ("referrals.providers", _l("Providers"), "providers.manage"),
    ("reports.statistics_page", _l("Statistics"), "reports.statistics"),
    ("users.index", _l("Accounts"), "users.manage"),
    ("holidays.index", _l("Holidays"), "holidays.manage"),
    ("audit.index", _l("Audit trail"), "audit.read"),
)


def menu_for(user) -> tuple[tuple[str, str, str], ...]:
    """(endpoint, path, label) of each page in the menu of `user`, in the reader's language."""
    return _menu(user.role, str(get_locale()), request.script_root)


@lru_cache(maxsize=64)
def _menu(role: str, locale: str, _script_root: str) -> tuple[tuple[str, str, str], ...]:
    # The script root is in the key because the paths start with it. The locale is the request's already;
    # forcing it keeps what is cached a function of the key alone.
    with force_locale(locale):
        return tuple((endpoint, url_for(endpoint), str(label)) for endpoint, label, capability in MENU
                     if capability is None or role_can(role, capability))
