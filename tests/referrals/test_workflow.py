"""The referral's state machine, walked for every status, action, side and role."""
import itertools

import pytest

from app.access import Role
from app.cases.services import CaseRefused, NotAllowed, NotInThisStatus, RoleNotAllowed
from app.referrals import services, workflow
from app.referrals.models import Referral
from app.units.models import Unit

SIDES = {
    # side: the unit a person on that side belongs to, for a referral from commune 10933 to commune 10510
    workflow.SENDER: "10933",
    workflow.APPROVER: "295",
    workflow.RECEIVER: "10510",
}


def _referral(status, approved=False):
    """A referral in `status` that needs approval (it leaves commune 10933), held in memory only."""
    from app.cases.models import Case
    from tests.factories import unit

    sender, receiver = unit("10933"), unit("10510")
    return Referral(id=1, status=status, from_unit=sender, from_unit_id=sender.id, receiving_unit=receiver,
                    receiving_unit_id=receiver.id, to_unit=receiver, approval_needed=True,
                    approved_at=None if not approved else object(), urgent=True,
                    case=Case(reference="HD-10933-2026-0001", status="assessing", unit=sender))


class Person:
    def __init__(self, role, unit: Unit):
        self.role, self.unit, self.unit_id = role, unit, unit.id


@pytest.mark.parametrize("status,action", list(itertools.product(workflow.STATUSES, workflow.ACTIONS)))
def test_every_status_and_action_is_allowed_exactly_as_the_table_says(units, status, action):
    from tests.factories import unit

    rule = workflow.TRANSITIONS.get((status, action))
    for side, role in itertools.product(SIDES, Role):
        # Beyond the table: approving needs a referral awaiting approval; completing, one approved.
        referral = _referral(status, approved=action not in ("approve", "reject"))
        person = Person(role.value, unit(SIDES[side]))
        try:
            services.check(referral, person, action)
            outcome = "allowed"
        except NotInThisStatus:
            outcome = "no such step"
        except RoleNotAllowed:
            outcome = "wrong role"
        except NotAllowed:
            outcome = "wrong side"
        if rule is None:
            assert outcome == "no such step", (side, role)
        elif rule.party != side:
            assert outcome == "wrong side", (side, role)
        elif role not in rule.roles:
            assert outcome == "wrong role", (side, role)
        else:
            assert outcome == "allowed", (side, role)


def test_the_table_names_only_known_statuses_and_actions():
    for (status, action), rule in workflow.TRANSITIONS.items():
        assert status in workflow.STATUSES and action in workflow.ACTIONS
        assert rule.next_status is None or rule.next_status in workflow.STATUSES


def test_a_referral_already_approved_cannot_be_approved_again(units):
    from tests.factories import unit

    with pytest.raises(CaseRefused):
        services.check(_referral("sent", approved=True), Person("supervisor", unit("295")), "approve")
