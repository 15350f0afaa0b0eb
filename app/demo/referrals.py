"""Demonstration referrals in every state, providers, and a few open escalations, so that each working
role finds something waiting when it signs in."""
from __future__ import annotations

import sqlalchemy as sa

from app.cases.models import Case
from app.escalations import services as escalations
from app.extensions import db
from app.referrals import services
from app.referrals.models import Provider, Referral
from app.units.services import find_unit
from app.users.services import find_user

PROVIDERS = (
    ("295", "police", "Công an huyện Cẩm Giàng", "Thị trấn Cẩm Giang, 0220 3786 113"),
    ("295", "health", "Trung tâm Y tế huyện Cẩm Giàng", "0220 3786 115"),
    ("30", "social_work_centre", "Trung tâm Công tác xã hội tỉnh Hải Dương", "0220 3852 111"),
    ("10933", "health", "Trạm Y tế xã Cẩm Phúc", "0220 3786 200"),
)
# (case number in the demo list, to: unit code or provider index, urgent, consent, what happens to it)
REFERRALS = (
    (11, "30", True, "emergency_protection", ["sent"]),
    (7, "10966", False, "child_and_carer", ["pending_approval"]),
    (13, "10966", False, "child_and_carer", ["approve"]),
    (14, "10966", False, "child_and_carer", ["approve", "accept"]),
    (16, 0, False, "child_and_carer", ["approve", "accept", "complete"]),
    (19, "10966", False, "child_and_carer", ["approve", "decline"]),
    (20, "295", False, "child_and_carer", ["reject"]),
    (22, "30", False, "child_and_carer", ["withdraw"]),
    (25, 3, False, "child_and_carer", ["draft"]),
)
REASONS = {"decline": "Gia đình không cư trú tại địa bàn phường.", "reject": "Xã đủ điều kiện tự hỗ trợ.",
           "withdraw": "Gia đình đã tự đưa trẻ đến cơ sở."}


def seed_referrals() -> int:
    """Create the demo referrals and escalations unless the demo cases already have referrals."""
    by_number = _cases_by_demo_number()
    if not by_number or db.session.scalar(sa.select(sa.exists().where(
            Referral.case_id.in_([case.id for case in by_number.values()])))):
        return 0
    people = {name: find_user(name) for name in ("worker.camphuc", "leader.camphuc", "worker.tanviet",
                                                   "supervisor.camgiang", "officer.haiduong")}
    providers = [_provider(*row) for row in PROVIDERS]
    for number, target, urgent, consent, steps in REFERRALS:
        to_unit = find_unit(target, "2024") if isinstance(target, str) else None
        provider = providers[target] if isinstance(target, int) else None
        referral = services.refer(by_number[number], people["worker.camphuc"], services.Request(
            to_unit=to_unit, provider=provider, reason="Cần hỗ trợ chuyên môn ngoài khả năng của xã.",
            service="Hỗ trợ tâm lý, y tế" if provider else None, urgent=urgent, consent=consent),
            send=steps != ["draft"])
        for step in steps:
            if step in ("sent", "pending_approval", "draft"):
                continue
            actor = _actor(step, referral, people)
            services.act(referral, actor, step, REASONS.get(step))
    escalations.raise_by_hand(by_number[8], people["leader.camphuc"], "Gia đình đe doạ cán bộ khi đến thăm nhà.")
    escalations.raise_by_hand(by_number[17], people["supervisor.camgiang"],
                              "Nghi có đường dây đưa trẻ sang tỉnh khác; cần công an tỉnh vào cuộc.")
    escalations.sweep()
    return len(REFERRALS)


def _provider(unit_code: str, kind: str, name: str, contact: str) -> Provider:
    existing = db.session.scalar(sa.select(Provider).where(Provider.name == name))
    return existing or services.register_provider(find_unit(unit_code, "2024"), kind, name, contact)


def _cases_by_demo_number() -> dict[int, Case]:
    """The demo list's cases by their number in it (app/demo/cases.py: every third one is Tân Việt's)."""
    ordered = list(db.session.scalars(sa.select(Case).where(Case.reference.like("HD-109%")).order_by(Case.id)))
    return dict(enumerate(ordered))


def _actor(step: str, referral: Referral, people: dict):
    if step in ("approve", "reject"):
        return people["supervisor.camgiang"]
    if step == "withdraw":
        return people["worker.camphuc"]
    receivers = {"10966": "worker.tanviet", "295": "supervisor.camgiang", "30": "officer.haiduong"}
    return people[receivers[referral.receiving_unit.code]]
