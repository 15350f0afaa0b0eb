"""The header's menu: the pages a role may open, in the order shown.

It is on every page, so each role's links are built once per language and process: asking `can` and `url_for`
and translating each label on every page cost a twentieth of a case list's time.
"""
from functools import lru_cache

from flask import request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from app.access import role_can

# The page, its label, the capability it needs (None: everyone signed in), and whether the header's count of what
# waits for the reader goes with it.
MENU = (
    ("main.home", _l("Home"), None, False),
    ("cases.index", _l("Cases"), "cases.read", False),
    ("register.index", _l("Register of children"), "register.read", False),
    ("cases.received", _l("Reports you recorded"), "cases.forward", False),
    ("referrals.index", _l("Referrals"), "cases.read", False),
    ("escalations.index", _l("Escalations"), "cases.read", False),
    ("notifications.index", _l("Waiting for you"), None, True),
    ("referrals.providers", _l("Providers"), "providers.manage", False),
    ("facilities.index", _l("Care facilities"), "facilities.read", False),
    ("reorganisation.overview", _l("Reorganisation"), "units.reorganise", False),
    ("reports.statistics_page", _l("Statistics"), "reports.statistics", False),
    ("attachments.usage", _l("Space taken by files"), "attachments.usage", False),
    ("reporting.index", _l("Periodic reports"), "reporting.read", False),
    ("users.index", _l("Accounts"), "users.manage", False),
    ("holidays.index", _l("Holidays"), "holidays.manage", False),
    ("standards.standards", _l("Service standards"), "standards.manage", False),
    ("audit.index", _l("Audit trail"), "audit.read", False),
)


def menu_for(user) -> tuple[tuple[str, str, bool], ...]:
    """(path, label, badge) of each page in the menu of `user`, in the reader's language."""
    return _menu(user.role, str(get_locale()), request.script_root)


@lru_cache(maxsize=64)
def _menu(role: str, locale: str, _script_root: str) -> tuple[tuple[str, str, bool], ...]:
    # The script root is in the key because the paths start with it. The locale is the request's already;
    # forcing it keeps what is cached a function of the key alone.
    with force_locale(locale):
        return tuple((url_for(endpoint), str(label), badge) for endpoint, label, capability, badge in MENU
                     if capability is None or role_can(role, capability))
