"""The case's state machine: one table of (status, action) -> (next status, roles allowed).

Every change of a case goes through `allowed()`; the pages show only what it allows,
and the services refuse anything else. Conditions beyond status and role (a plan must
be submitted before approval, the drafter cannot approve) live in the services.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.access import Role

STATUSES = {
    "reported": _l("Reported"),
    "assessing": _l("Assessing"),
    "planning": _l("Planning"),
    "in_progress": _l("Plan in progress"),
    "monitoring": _l("Monitoring"),
    "closed": _l("Closed"),
}
OPEN_STATUSES = tuple(status for status in STATUSES if status != "closed")

ACTIONS = {
    "edit": _l("Edit the report"),
    "assess": _l("Record the initial assessment"),
    "emergency": _l("Record emergency measures"),
    "propose_isolation": _l("Propose a temporary isolation"),
    "decide_isolation": _l("Decide the temporary isolation"),
    "decline_isolation": _l("Decline the temporary isolation"),
    "end_isolation": _l("Record the end of the isolation"),
    "detail": _l("Record the detailed assessment"),
    "draft_plan": _l("Draft the support plan"),
    "submit_plan": _l("Submit the plan for approval"),
    "approve_plan": _l("Approve the plan"),
    "return_plan": _l("Return the plan"),
    "log": _l("Add to the timeline"),
    "complete_action": _l("Record a plan action as done"),
    "review": _l("Review the situation (Mẫu 06)"),
    "new_plan": _l("Draft a new plan"),
    "propose_closure": _l("Propose closure"),
    "approve_closure": _l("Approve closure"),
    "reopen": _l("Reopen"),
}

W, L = Role.WORKER, Role.COMMUNE_LEADER
# Temporary isolation is the commune chairman's decision (Decree 56/2017 art. 32, Mẫu 07): the worker proposes it,
# a commune leader decides or declines it, at any open status.
# Supervisors and province officers follow cases from above; they may add notes to the timeline.
FOLLOWERS = {W, L, Role.SUPERVISOR, Role.PROVINCE_OFFICER}

TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[Role]]] = {
    ("reported", "edit"): ("reported", frozenset({W, L})),
    ("reported", "assess"): ("assessing", frozenset({W, L})),
    ("reported", "emergency"): ("reported", frozenset({W, L})),
    ("reported", "propose_isolation"): ("reported", frozenset({W, L})),
    ("reported", "decide_isolation"): ("reported", frozenset({L})),
    ("reported", "decline_isolation"): ("reported", frozenset({L})),
    ("reported", "end_isolation"): ("reported", frozenset({W, L})),
    ("reported", "log"): ("reported", frozenset(FOLLOWERS)),
    ("assessing", "edit"): ("assessing", frozenset({W, L})),
    ("assessing", "assess"): ("assessing", frozenset({W, L})),
    ("assessing", "emergency"): ("assessing", frozenset({W, L})),
    ("assessing", "propose_isolation"): ("assessing", frozenset({W, L})),
    ("assessing", "decide_isolation"): ("assessing", frozenset({L})),
    ("assessing", "decline_isolation"): ("assessing", frozenset({L})),
    ("assessing", "end_isolation"): ("assessing", frozenset({W, L})),
    ("assessing", "detail"): ("assessing", frozenset({W, L})),
    ("assessing", "draft_plan"): ("planning", frozenset({W, L})),
    ("assessing", "log"): ("assessing", frozenset(FOLLOWERS)),
    ("planning", "edit"): ("planning", frozenset({W, L})),
    ("planning", "draft_plan"): ("planning", frozenset({W, L})),
    ("planning", "emergency"): ("planning", frozenset({W, L})),
    ("planning", "propose_isolation"): ("planning", frozenset({W, L})),
    ("planning", "decide_isolation"): ("planning", frozenset({L})),
    ("planning", "decline_isolation"): ("planning", frozenset({L})),
    ("planning", "end_isolation"): ("planning", frozenset({W, L})),
    ("planning", "detail"): ("planning", frozenset({W, L})),
    ("planning", "submit_plan"): ("planning", frozenset({W, L})),
    ("planning", "approve_plan"): ("in_progress", frozenset({L})),
    ("planning", "return_plan"): ("planning", frozenset({L})),
    ("planning", "log"): ("planning", frozenset(FOLLOWERS)),
    ("in_progress", "edit"): ("in_progress", frozenset({W, L})),
    ("in_progress", "emergency"): ("in_progress", frozenset({W, L})),
    ("in_progress", "propose_isolation"): ("in_progress", frozenset({W, L})),
    ("in_progress", "decide_isolation"): ("in_progress", frozenset({L})),
    ("in_progress", "decline_isolation"): ("in_progress", frozenset({L})),
    ("in_progress", "end_isolation"): ("in_progress", frozenset({W, L})),
    ("in_progress", "log"): ("in_progress", frozenset(FOLLOWERS)),
    ("in_progress", "complete_action"): ("in_progress", frozenset({W, L})),
    ("in_progress", "review"): ("monitoring", frozenset({W, L})),
    ("in_progress", "propose_closure"): ("in_progress", frozenset({W, L})),
    ("in_progress", "approve_closure"): ("closed", frozenset({L})),
    ("monitoring", "edit"): ("monitoring", frozenset({W, L})),
    ("monitoring", "emergency"): ("monitoring", frozenset({W, L})),
    ("monitoring", "propose_isolation"): ("monitoring", frozenset({W, L})),
    ("monitoring", "decide_isolation"): ("monitoring", frozenset({L})),
    ("monitoring", "decline_isolation"): ("monitoring", frozenset({L})),
    ("monitoring", "end_isolation"): ("monitoring", frozenset({W, L})),
    ("monitoring", "log"): ("monitoring", frozenset(FOLLOWERS)),
    ("monitoring", "complete_action"): ("monitoring", frozenset({W, L})),
    ("monitoring", "review"): ("monitoring", frozenset({W, L})),
    ("monitoring", "new_plan"): ("planning", frozenset({W, L})),
    ("monitoring", "propose_closure"): ("monitoring", frozenset({W, L})),
    ("monitoring", "approve_closure"): ("closed", frozenset({L})),
    ("closed", "reopen"): ("assessing", frozenset({W, L})),
}

# Decree 56/2017 art. 30: a case closes after a review on Mẫu 06 done since the last plan was approved, unless the
# reason itself makes a review impossible (the child moved away and the file was handed over, died, or turned 16;
# Law on Children art. 1). Every reason of closure is in this table.
CLOSURE_NEEDS_REVIEW: dict[str, bool] = {
    "safe_stable": True,
    "other": True,
    "moved_away": False,
    "died": False,
    "turned_16": False,
}


def allowed(status: str, action: str, role: str) -> bool:
    rule = TRANSITIONS.get((status, action))
    return rule is not None and Role(role) in rule[1]


def next_status(status: str, action: str) -> str:
    return TRANSITIONS[(status, action)][0]


def actions_for(status: str, role: str) -> list[str]:
    return [action for action in ACTIONS if allowed(status, action, role)]
