"""Every page of every role, on a 360 x 740 phone and a 1280 x 800 desktop, in Vietnamese (the default).

The pages come from the app's URL map: every GET route, its arguments filled with real ids from the demo data
that the role may read (FILLERS). A route that is no page (a download, the API) is listed in NOT_PAGES with the
reason; any other route with arguments fails the test until it has a filler, so a page added later is visited
without editing this file or is named here. A page the role is refused is not the role's: one refusal is checked.

On each page the browser measures (page_checks.js): nothing scrolls sideways; no word in a table cell breaks
across two lines; every link, button, field, select, summary and labelled checkbox or radio is 44 x 44 px at
least; text areas are full width, in the page's font and four lines tall; no text is under 14 px; and no English
text of the catalog shows on the Vietnamese page (the rule: english_messages). The page with its stylesheet and
scripts stays under 60 KB. A screenshot of each page at each size goes to
BROWSER_ARTIFACTS/pages/. Failures name the role, the page, the size and the element, all at once, so that
whoever changed the page can find what to fix.
"""
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from babel.messages.pofile import read_po

from app.access import scoped_audit_entries, scoped_cases, scoped_referrals, scoped_users
from app.audit.models import AuditEntry
from app.cases.models import Case
from app.cases.workflow import STATUSES
from app.deadlines.services import add_holiday, holidays_of
from app.extensions import db
from app.orm import utcnow
from app.referrals.models import Referral
from app.users.models import User
from app.users.services import find_user
from tests import database
from tests.browser import ARTIFACTS, sign_in
from tests.browser.conftest import serving

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHECKS = (Path(__file__).parent / "page_checks.js").read_text()
SIZES = ({"width": 360, "height": 740}, {"width": 1280, "height": 800})
PAGE_BUDGET = 60 * 1024
ROLES = {"worker": "worker.camphuc", "commune_leader": "leader.camphuc", "supervisor": "supervisor.camgiang",
         "province_officer": "officer.haiduong", "inspector": "inspector.haiduong", "admin": "admin",
         "intake": "hotline.haiduong", "department_officer": "department.health.haiduong"}

# GET routes that are not pages for people, or that the test cannot fill, each with the reason.
NOT_PAGES = {
    "static": "the stylesheet and scripts, counted in each page's weight",
    "audit.export": "a CSV download",
    "reports.audit_extract_pdf": "a PDF download",
    "reports.case_file_pdf": "a PDF download",
    "documents.form_pdf": "a PDF download: a statutory form",
    "attachments.download": "a download: a file attached to a case",
    "attachments.thumbnail": "an image the case page shows (tests/browser/test_attachments.py)",
    "reports.statistics_file": "the statistics as PDF, CSV, JSON or XLSX downloads",
    "reporting.document": "a sent report as PDF or XLSX downloads",
    "reports.indicators_file": "the indicators on children as PDF, CSV, JSON or XLSX downloads",
    "register.export": "the register as CSV or XLSX downloads",
}
NOT_PAGES_PREFIXES = {"api.": "the JSON API, for other systems"}

# More ways into one page, where the same route shows a different list.
VARIANTS = {
    "referrals.index": [{"box": "out"}, {"box": "approval"}],
    "escalations.index": [{"all": "1"}],
    "reports.statistics_page": [{"kind": "year", "year": date.today().year}],
    "reports.indicators_page": [{"kind": "year", "year": date.today().year}],
}


def _cases_by_status(user) -> list[Case]:
    """One case of each status that `user` may read, the first found."""
    found = {}
    for case in db.session.scalars(scoped_cases(user).order_by(Case.id)):
        found.setdefault(case.status, case)
    return [found[status] for status in STATUSES if status in found]


def _case_pages(user):
    return [{"reference": case.reference} for case in _cases_by_status(user)]


def _one_open_case(user):
    return [{"reference": case.reference} for case in _cases_by_status(user) if case.status != "closed"][:1]


def _one_case_history(user):
    """A case in progress, with much done to it already (assessed, planned, approved, logged)."""
    cases = _cases_by_status(user)
    chosen = [case for case in cases if case.status == "in_progress"] or cases[:1]
    return [{"reference": case.reference} for case in chosen[:1]]


def _children(user):
    return [{"child_id": case.child_id} for case in _cases_by_status(user)[:1]]


def _registered(user):
    """The child whose review is due first, and the next one, on the register `user` may read."""
    from app.access import scoped_register
    from app.register.models import RegisterEntry

    entries = db.session.scalars(scoped_register(user).order_by(RegisterEntry.next_review_on).limit(2))
    return [{"child_id": entry.child_id} for entry in entries]


def _not_registered(user):
    """A child with a case, not on the register: the page that adds them."""
    from app.register.models import RegisterEntry

    registered = set(db.session.scalars(db.select(RegisterEntry.child_id)))
    return [{"child_id": case.child_id} for case in _cases_by_status(user) if case.child_id not in registered][:1]


def _referrals(user):
    """One referral of each state that `user` may see."""
    found = {}
    for referral in db.session.scalars(scoped_referrals(user).order_by(Referral.id)):
        found.setdefault(referral.status, referral)
    return [{"number": referral.id} for referral in found.values()]


def _audit_entries(user):
    """The newest change, creation and reading in the reader's scope."""
    entries = []
    for action in ("update", "create", "read"):
        entry = db.session.scalar(scoped_audit_entries(user).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id.desc()).limit(1))
        if entry:
            entries.append({"entry_id": entry.id})
    return entries


def _users(user):
    other = db.session.scalar(scoped_users(user).where(User.username == "worker.camphuc"))
    return [{"user_id": other.id}] if other else []


def _report_rounds(user):
    from app.access import scoped_report_rounds
    from app.reporting.models import ReportRound

    return [{"number": number} for number in db.session.scalars(
        scoped_report_rounds(user).with_only_columns(ReportRound.id).order_by(ReportRound.id))]


def _unit_reports(user):
    """The reader's own unit's report in each round, and one report below it of each state."""
    from app.access import scoped_unit_reports
    from app.reporting.models import Report

    found = {}
    for report in db.session.scalars(scoped_unit_reports(user).order_by(Report.id)):
        own = report.unit_id == user.unit_id and report.department_id == user.department_id
        found.setdefault("own" if own else report.status, report)
    return [{"number": report.id} for report in found.values()]


def _facilities(user):
    """The facilities `user` may read, the one with open corrections first."""
    from app.access import scoped_facilities
    from app.facilities.models import Facility

    return [{"facility_id": facility.id}
            for facility in db.session.scalars(scoped_facilities(user).order_by(Facility.id))]


def _managed_facilities(user):
    from app.access import may_manage_facility, scoped_facilities

    return [{"facility_id": facility.id} for facility in db.session.scalars(scoped_facilities(user))
            if may_manage_facility(user, facility)][:1]


def _inspections(user):
    """A recorded inspection and a planned one, of the facilities `user` may read."""
    from app.access import scoped_facilities
    from app.facilities.models import Facility, Inspection

    readable = scoped_facilities(user).with_only_columns(Facility.id)
    found = {}
    for inspection in db.session.scalars(db.select(Inspection).where(Inspection.facility_id.in_(readable))
                                         .order_by(Inspection.id)):
        found.setdefault(inspection.is_recorded, inspection)
    return [{"number": inspection.id} for inspection in found.values()]


def _an_import_preview(user):
    """A list of the person's own register read back as an import, to preview (for those who import)."""
    from app.access import can, scoped_register
    from app.register import transfer
    from app.register.models import RegisterEntry

    entries = list(db.session.scalars(scoped_register(user).order_by(RegisterEntry.id).limit(5)))
    if not (can(user, "register.import") and entries):
        return []
    reading = transfer.check(user, transfer.export(user, entries, "csv"), "danh-sach.csv", date.today())
    kept = transfer.stage(user, reading, "danh-sach.csv")
    db.session.commit()
    return [{"import_id": kept.id}]


# How to fill each route's arguments for a role: real ids that role may open (none: not the role's page).
FILLERS = {
    "cases.show": _case_pages,
    "cases.history": _one_case_history,
    "referrals.create": _one_open_case,
    "referrals.show": _referrals,
    "children.show": _children,
    "children.edit": _children,
    "register.show": _registered,
    "register.add": _not_registered,
    "register.situation": _registered,
    "register.import_preview": _an_import_preview,
    "audit.detail": _audit_entries,
    "users.edit": _users,
    "users.password": _users,
    "users.deactivate": _users,
    "reporting.round_board": _report_rounds,
    "reporting.show": _unit_reports,
    "facilities.show": _facilities,
    "facilities.edit": _managed_facilities,
    "facilities.inspection": _inspections,
}


def get_routes(app) -> dict[str, list[str]]:
    """Every GET route's endpoint and its arguments, but those listed in NOT_PAGES."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES \
                or rule.endpoint.startswith(tuple(NOT_PAGES_PREFIXES)):
            continue
        routes[rule.endpoint] = sorted(rule.arguments)
    return routes


def pages_for(app, user) -> list[tuple[str, str]]:
    """(name, path) of each page to visit for `user` (None: signed out)."""
    pages = []
    with app.test_request_context():
        from flask import url_for

        for endpoint, arguments in sorted(get_routes(app).items()):
            if arguments:
                fillings = FILLERS[endpoint](user) if user else []
            else:
                fillings = [{}, *VARIANTS.get(endpoint, [])]
            for values in fillings:
                path = url_for(endpoint, **values)
                pages.append((endpoint + ("?" + urlencode(values) if values else ""), path))
    return pages


def english_messages() -> list[tuple[str, re.Pattern]]:
    """The catalog's English phrases that must not show on a Vietnamese page.

    A message counts when its Vietnamese differs from its English. Its text is split at the placeholders, and
    a piece counts if it has two words of two letters or more: a single word ("Total", "PDF", "English" on the
    language switch) may rightly stand on a Vietnamese page as a name or an abbreviation; two English words in
    a row are a sentence or a label left untranslated. Pieces match whole words, case and all.
    """
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as stream:
        catalog = read_po(stream)
    phrases = set()
    for message in catalog:
        if not message.id or not message.string or message.string == message.id:
            continue
        for source in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]", source):
                piece = " ".join(piece.split()).strip(" .,:;·–-()")
                if len(re.findall(r"\b[A-Za-z]{2,}\b", piece)) >= 2:
                    phrases.add(piece)
    return [(phrase, re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"))
            for phrase in sorted(phrases)]


ENGLISH = english_messages()


@pytest.fixture(scope="module")
def demo_server(_app):
    """The demo data, served once for every role's visit (the pages only read it); emptied afterwards."""
    with _app.app_context():
        try:
            with serving(_app) as url:
                today = utcnow().date()
                if not holidays_of(today.year):  # so that the calendar's list has a row
                    add_holiday(today.replace(month=9, day=2), "Quốc khánh")
                yield _app, url
        finally:
            db.session.rollback()
            db.session.remove()
            database.wipe()


def test_every_get_route_is_a_page_visited_or_named_with_its_reason(demo_server):
    app, _url = demo_server
    routes = get_routes(app)
    unknown = [endpoint for endpoint, arguments in routes.items() if arguments and endpoint not in FILLERS]
    assert unknown == [], "add a filler to FILLERS or a reason to NOT_PAGES for these routes"
    stale = [endpoint for endpoint in [*FILLERS, *NOT_PAGES, *VARIANTS] if endpoint not in app.view_functions]
    assert stale == [], "these routes are gone: remove them from the lists"
    users = [find_user(username) for username in ROLES.values()]
    unfilled = [endpoint for endpoint in FILLERS if not any(FILLERS[endpoint](user) for user in users)]
    assert unfilled == [], "no role finds an id in the demo data for these routes"


@pytest.mark.parametrize("role", [*ROLES, "signed_out"])
def test_every_page_fits_a_phone_and_a_desktop_and_speaks_vietnamese(browser, demo_server, dialect, role):
    app, url = demo_server
    user = find_user(ROLES[role]) if role in ROLES else None
    context = browser.new_context(viewport=SIZES[0], locale="vi-VN")
    page = context.new_page()
    if user:
        sign_in(page, url, user.username)
    problems, seen, assets = [], set(), {}
    for name, path in pages_for(app, user):
        for size in SIZES:
            page.set_viewport_size(size)
            response = page.goto(url + path)
            shown = page.url.removeprefix(url)
            where = f"{role} · {name} ({path}{' → ' + shown if shown != path else ''}) at {size['width']}px"
            if response.status == 403:
                if ("refused", size["width"]) in seen:
                    continue  # not this role's page; a refusal is checked once
                seen.add(("refused", size["width"]))
                where += " (refused)"
            elif response.status >= 400:
                problems.append(f"{where}: answered {response.status}")
                continue
            # A redirect (to the sign-in page, to the home page) leads to a page checked once.
            checked = page.url if shown == path else urlsplit(page.url).path
            if (checked, size["width"]) in seen:
                continue
            seen.add((checked, size["width"]))
            slug = re.sub(r"[^\w.-]+", "-", name if shown == path else urlsplit(shown).path).strip("-") or "home"
            page.screenshot(path=_screenshot(dialect, role, slug, size), full_page=True)
            problems += [f"{where}: {problem}" for problem in _problems(page, response, assets)]
    context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _screenshot(dialect: str, role: str, slug: str, size: dict) -> Path:
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{dialect}-{role}-{slug}-{size['width']}.png"


def _problems(page, response, assets: dict) -> list[str]:
    """What the page now shown does wrong: the browser's measures, English text, and its weight."""
    found = page.evaluate(CHECKS)
    problems = [f"{check}: {element} — {detail}" for check, element, detail in found["problems"]]
    problems += [f"English text: “{phrase}”" for phrase, pattern in ENGLISH if pattern.search(found["text"])]
    for asset in found["assets"]:
        if asset not in assets:
            assets[asset] = len(page.context.request.get(asset).body())
    weight = len(response.body()) + sum(assets[asset] for asset in found["assets"])
    if weight > PAGE_BUDGET:
        problems.append(f"weighs {weight // 1024} KB with its stylesheet and scripts "
                        f"(at most {PAGE_BUDGET // 1024} KB)")
    return problems
