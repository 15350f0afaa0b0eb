"""The referral's state machine: one table of (status, action) -> (next status, party, roles).

A party is the side of the referral a person must be on: the sending unit's people, the
supervisor above the sender, or the receiving unit's people. The services check the
table first, then the conditions that depend on the referral itself (an approval only
where one is needed, a reason for reject and decline).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.access import Role

STATUSES = {
    "draft": _l("Draft"),
    "pending_approval": _l("Awaiting approval"),
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "completed": _l("Completed"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
# The receiving unit may read and work the case while the referral is in one of these.
GIVING_ACCESS = ("accepted", "completed")

ACTIONS = {
    "send": _l("Send"),
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "accept": _l("Accept"),
    "decline": _l("Decline"),
    "complete": _l("Mark completed"),
    "withdraw": _l("Withdraw"),
}
NEEDS_REASON = ("reject", "decline")

SENDER, APPROVER, RECEIVER = "sender", "approver", "receiver"
PARTIES = {
    SENDER: _l("the sending unit"),
    APPROVER: _l("a supervisor above the sending unit"),
    RECEIVER: _l("the receiving unit"),
}
WORKING_ROLES = frozenset({Role.WORKER, Role.COMMUNE_LEADER, Role.SUPERVISOR, Role.PROVINCE_OFFICER})
APPROVING_ROLES = frozenset({Role.SUPERVISOR})


@dataclass(frozen=True)
class Rule:
    next_status: str | None  # None: decided when sending (awaiting approval, or sent at once)
    party: str
    roles: frozenset[Role]


TRANSITIONS: dict[tuple[str, str], Rule] = {
    ("draft", "send"): Rule(None, SENDER, WORKING_ROLES),
    ("draft", "withdraw"): Rule("withdrawn", SENDER, WORKING_ROLES),
    ("pending_approval", "approve"): Rule("sent", APPROVER, APPROVING_ROLES),
    ("pending_approval", "reject"): Rule("rejected", APPROVER, APPROVING_ROLES),
    ("pending_approval", "withdraw"): Rule("withdrawn", SENDER, WORKING_ROLES),
    # An urgent referral goes out at once; its approval follows while it is sent or accepted.
    ("sent", "approve"): Rule("sent", APPROVER, APPROVING_ROLES),
    ("sent", "reject"): Rule("rejected", APPROVER, APPROVING_ROLES),
    ("sent", "accept"): Rule("accepted", RECEIVER, WORKING_ROLES),
    ("sent", "decline"): Rule("declined", RECEIVER, WORKING_ROLES),
    ("sent", "withdraw"): Rule("withdrawn", SENDER, WORKING_ROLES),
    ("accepted", "approve"): Rule("accepted", APPROVER, APPROVING_ROLES),
    ("accepted", "reject"): Rule("rejected", APPROVER, APPROVING_ROLES),
    ("accepted", "complete"): Rule("completed", RECEIVER, WORKING_ROLES),
}
