"""Demonstration referrals in every state, providers, and a few open escalations, so that each working
role finds something waiting when it signs in."""
from __future__ import annotations

import sqlalchemy as sa

from app.cases.models import Case
from app.demo.cases import demo_communes
from app.demo.editions import Demo
from app.escalations import services as escalations
from app.extensions import db
from app.referrals import services
from app.referrals.models import Provider, Referral
from app.units.services import find_unit
from app.users.services import find_user

# (case number in the demo list, to: a demo place or provider index, urgent, consent, what happens to it)
REFERRALS = (
    (11, "province", True, "emergency_protection", ["sent"]),
    (7, "second", False, "child_and_carer", ["pending_approval"]),
    (13, "second", False, "child_and_carer", ["approve"]),
    (14, "second", False, "child_and_carer", ["approve", "accept"]),
    (16, 0, False, "child_and_carer", ["approve", "accept", "complete"]),
    (19, "second", False, "child_and_carer", ["approve", "decline"]),
    (20, "above", False, "child_and_carer", ["reject"]),
    (22, "province", False, "child_and_carer", ["withdraw"]),
    (25, 3, False, "child_and_carer", ["draft"]),
)
REASONS = {"decline": "Gia đình không cư trú tại địa bàn phường.", "reject": "Xã đủ điều kiện tự hỗ trợ.",
           "withdraw": "Gia đình đã tự đưa trẻ đến cơ sở."}


def seed_referrals(demo: Demo) -> int:
    """Create the demo referrals and escalations unless the demo cases already have referrals."""
    by_number = _cases_by_demo_number(demo)
    if not by_number or db.session.scalar(sa.select(sa.exists().where(
            Referral.case_id.in_([case.id for case in by_number.values()])))):
        return 0
    people = {part: find_user(demo.people[part]) for part in ("first_worker", "first_leader", "second_worker",
                                                               "supervisor", "officer", "to_province")}
    providers = [_provider(demo, *row) for row in demo.providers]
    for number, target, urgent, consent, steps in REFERRALS:
        to_unit = find_unit(demo.places[target], demo.edition) if isinstance(target, str) else None
        provider = providers[target] if isinstance(target, int) else None
        referral = services.refer(by_number[number], people["first_worker"], services.Request(
            to_unit=to_unit, provider=provider, reason="Cần hỗ trợ chuyên môn ngoài khả năng của xã.",
            service="Hỗ trợ tâm lý, y tế" if provider else None, urgent=urgent, consent=consent),
            send=steps != ["draft"])
        for step in steps:
            if step in ("sent", "pending_approval", "draft"):
                continue
            actor = _actor(demo, step, referral, people)
            services.act(referral, actor, step, REASONS.get(step))
    escalations.raise_by_hand(by_number[8], people["first_leader"], "Gia đình đe doạ cán bộ khi đến thăm nhà.")
    escalations.raise_by_hand(by_number[17], people["to_province"],
                              "Nghi có đường dây đưa trẻ sang tỉnh khác; cần công an tỉnh vào cuộc.")
    escalations.sweep()
    return len(REFERRALS)


def _provider(demo: Demo, place: str, kind: str, name: str, contact: str) -> Provider:
    existing = db.session.scalar(sa.select(Provider).where(Provider.name == name))
    return existing or services.register_provider(find_unit(demo.places[place], demo.edition), kind, name, contact)


def _cases_by_demo_number(demo: Demo) -> dict[int, Case]:
    """The demo list's cases by their number in it (app/demo/cases.py: every third one is the second commune's)."""
    communes = [unit.id for unit in demo_communes(demo)]
    ordered = list(db.session.scalars(sa.select(Case).where(Case.unit_id.in_(communes)).order_by(Case.id)))
    return dict(enumerate(ordered))


def _actor(demo: Demo, step: str, referral: Referral, people: dict):
    if step in ("approve", "reject"):
        return people["supervisor"]
    if step == "withdraw":
        return people["first_worker"]
    # Where the supervisor sits at the province (two levels), the province officer receives there.
    receivers = {demo.places["second"]: "second_worker", demo.places["above"]: "supervisor",
                 demo.places["province"]: "officer"}
    return people[receivers[referral.receiving_unit.code]]
