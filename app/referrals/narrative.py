"""How the trail tells referrals and the provider register (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy.orm import aliased

from app.audit.narrative import Reading, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.referrals.models import CONSENTS, PROVIDER_KINDS, Provider, Referral
from app.referrals.workflow import STATUSES
from app.units.models import Unit


def _providers(session, ids) -> dict[int, str]:
    return dict(session.execute(sa.select(Provider.id, Provider.name).where(Provider.id.in_(ids))).all())


def _receivers(session, ids) -> dict[int, str]:
    """Whom each referral went to: a unit, or a provider in a unit's register."""
    to_unit = aliased(Unit)
    rows = session.execute(sa.select(Referral.id, to_unit.name, Provider.name)
                           .outerjoin(to_unit, to_unit.id == Referral.to_unit_id)
                           .outerjoin(Provider, Provider.id == Referral.provider_id).where(Referral.id.in_(ids)))
    return {referral_id: unit or provider for referral_id, unit, provider in rows}


def _receiver(reading: Reading) -> str:
    if reading.subject is not None:
        return reading.subject
    if reading.value("provider_id"):
        return reading.shown("provider_id", reading.value("provider_id"))
    if reading.value("to_unit_id"):
        return reading.shown("to_unit_id", reading.value("to_unit_id"))
    return _("another unit")


def _referral_sentence(reading: Reading) -> str | None:
    words = {"actor": reading.actor, "case": reading.case, "number": reading.entry.entity_id,
             "receiver": _receiver(reading), "reason": reading.value("closing_reason") or "–"}
    if reading.action == "create":
        status = reading.after("status")
        if status == "draft":
            return _("%(actor)s drafted referral %(number)s of case %(case)s to %(receiver)s.", **words)
        if status == "pending_approval":
            return _("%(actor)s referred case %(case)s to %(receiver)s (referral %(number)s); it waits for "
                     "approval.", **words)
        if reading.after("urgent"):
            return _("%(actor)s referred case %(case)s to %(receiver)s urgently (referral %(number)s).", **words)
        return _("%(actor)s referred case %(case)s to %(receiver)s (referral %(number)s).", **words)
    if reading.action != "update":
        return None
    if reading.after("approved_at") and not reading.before("approved_at"):
        return _("%(actor)s approved referral %(number)s of case %(case)s to %(receiver)s.", **words)
    sentences = {
        "pending_approval": _("%(actor)s sent referral %(number)s of case %(case)s to %(receiver)s for approval."),
        "sent": _("%(actor)s sent referral %(number)s of case %(case)s to %(receiver)s."),
        "accepted": _("%(actor)s accepted referral %(number)s of case %(case)s."),
        "declined": _("%(actor)s declined referral %(number)s of case %(case)s: %(reason)s."),
        "completed": _("%(actor)s marked referral %(number)s of case %(case)s completed."),
        "rejected": _("%(actor)s rejected referral %(number)s of case %(case)s: %(reason)s."),
        "withdrawn": _("%(actor)s withdrew referral %(number)s of case %(case)s."),
    } if reading.changed("status") else {}
    sentence = sentences.get(reading.after("status"))
    return sentence % words if sentence else None


def _provider(reading: Reading) -> str:
    return reading.subject or reading.value("name") or _("no. %(id)s", id=reading.entry.entity_id)


def _provider_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s added %(provider)s to the register of %(unit)s.", actor=reading.actor,
                 provider=_provider(reading), unit=reading.shown("unit_id", reading.after("unit_id")))
    if reading.became("active", False):
        return _("%(actor)s stopped offering %(provider)s.", actor=reading.actor, provider=_provider(reading))
    if reading.became("active", True):
        return _("%(actor)s offered %(provider)s again.", actor=reading.actor, provider=_provider(reading))
    return None


describe_reference("provider", _providers)
describe_reference("referral_receiver", _receivers)
describe_table(
    Referral, sentence=_referral_sentence, subject="referral_receiver",
    record=lambda reading: _("referral %(number)s of case %(case)s", number=reading.entry.entity_id,
                             case=reading.case),
    fields={"status": _l("Status"), "to_unit_id": _l("To the unit"), "provider_id": _l("To the provider"),
            "transfer": _l("Transfer of the case"), "service": _l("Service asked for"), "reason": _l("Reason"),
            "urgent": _l("Urgent"), "consent": _l("Consent"), "closing_reason": _l("Why it ended"),
            "from_unit_id": _l("From the unit"), "receiving_unit_id": _l("Answered by the unit"),
            "approval_needed": _l("Needs approval"), "approval_due_at": _l("To be approved by"),
            "approved_by_id": _l("Approved by"), "approved_at": _l("Approved at"), "sent_at": _l("Sent at"),
            "answer_due_at": _l("To be answered by"), "answered_by_id": _l("Answered by"),
            "answered_at": _l("Answered at"), "completed_at": _l("Completed at"), "closed_by_id": _l("Ended by"),
            "created_by_id": _l("Written by")},
    hidden=("id", "case_id", "created_at", "updated_at", "version"),
    values={"status": STATUSES, "consent": CONSENTS},
    references={"to_unit_id": "unit", "from_unit_id": "unit", "receiving_unit_id": "unit", "provider_id": "provider",
                "approved_by_id": "person", "answered_by_id": "person", "closed_by_id": "person",
                "created_by_id": "person"})
describe_table(
    Provider, sentence=_provider_sentence, subject="provider",
    record=lambda reading: _("the provider %(provider)s", provider=_provider(reading)),
    fields={"name": _l("Name"), "kind": _lp("service provider", "Kind"), "unit_id": _l("In the register of"),
            "contact": _l("Contact"), "active": _l("Offered")},
    hidden=("id", "created_at"), values={"kind": PROVIDER_KINDS}, references={"unit_id": "unit"})
