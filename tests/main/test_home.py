"""The home of a commune worker and leader: what waits for them, and their commune's open work, each figure
opening the list behind it."""
import re
from datetime import date, timedelta

import pytest

from app.cases import services
from app.orm import utcnow
from tests.factories import make_case, make_referral

ACTION = services.PlannedAction("Thăm gia đình hằng tuần", "Cán bộ bảo vệ trẻ em xã", date(2030, 1, 1))


@pytest.fixture
def worker(make_user):
    return make_user("worker")


def figures(page: str) -> dict[str, int]:
    """Each figure of the overview by the link it opens."""
    overview = page[page.index('id="overview"'):]
    return {link.replace("&amp;", "&"): int(number) for link, number in re.findall(
        r'<a href="([^"]+)"[^>]*><span class="figure">(\d+)</span>', overview)}


def listed(client, link: str) -> int:
    """How many records the list at `link` shows."""
    page = client.get(link).text
    if link.startswith("/referrals/"):
        return len(re.findall(r'<tr class="[^"]*">\s*<td[^>]*><a href="/referrals/\d+"', page))
    if link.startswith("/escalations/"):
        return len(re.findall(r'<td[^>]*><a href="/cases/', page))
    return len(re.findall(r'<td data-label="[^"]*"><a href="/cases/', page))


def test_every_figure_of_the_worker_s_overview_is_the_count_of_the_list_it_opens(client, sign_in, worker,
                                                                                  make_user):
    leader = make_user("commune_leader")
    now = utcnow()
    make_case(worker, received_at=now - timedelta(hours=30))  # overdue, not assessed
    high = make_case(worker)
    services.assess(high, worker, {"sexual_abuse": True}, None, high.version)
    waiting = make_case(worker)
    services.assess(waiting, worker, {}, None, waiting.version)
    services.draft_plan(waiting, worker, "Trẻ an toàn", [ACTION], waiting.version)
    services.submit_plan(waiting, worker, waiting.version)
    make_referral(high, worker, to="295")
    make_referral(waiting, leader, to="10966", urgent=True)
    from app.escalations.services import raise_by_hand
    raise_by_hand(high, worker, "Gia đình không hợp tác.")
    make_case(make_user("worker", unit="10966"))  # another commune's: counted nowhere here
    sign_in(worker)
    shown = figures(client.get("/").text)
    assert len(shown) == 2 + 5 + 3 + 4
    assert shown["/cases/?open=y"] == 3 and shown["/cases/?awaiting=y&sort=due"] == 1
    assert shown["/referrals/?box=out&status=pending_approval"] == 1 and shown["/escalations/"] == 1
    for link, number in shown.items():
        assert listed(client, link) == number, link


def test_the_leader_sees_what_to_approve_first_and_the_overview(client, sign_in, worker, make_user):
    case = make_case(worker)
    services.assess(case, worker, {}, None, case.version)
    services.draft_plan(case, worker, "Trẻ an toàn", [ACTION], case.version)
    services.submit_plan(case, worker, case.version)
    sign_in(make_user("commune_leader"))
    page = client.get("/").text
    assert page.index('id="to-approve"') < page.index('id="waiting"') < page.index('id="overview"')
    assert case.reference in page[page.index('id="to-approve"'):page.index('id="waiting"')]
