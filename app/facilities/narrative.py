"""How the trail tells the facilities' changes and views (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.narrative import Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.audit.recorder import ACTIONS
from app.facilities.checklist import CHECKLIST, KINDS, PLACEMENT_KINDS, RESULTS
from app.facilities.models import Correction, CorrectionEscalation, Facility, Inspection, Placement

ACTIONS["facility_viewed"] = _l("Facility viewed")


def _facilities(session, ids) -> dict[int, str]:
    return dict(session.execute(sa.select(Facility.id, Facility.name).where(Facility.id.in_(ids))).all())


def _parts(model, *joins):
    def load(session, ids) -> dict[int, str]:
        query = sa.select(model.id, Facility.name)
        for join in joins:
            query = query.join(join)
        return dict(session.execute(query.where(model.id.in_(ids))).all())

    return load


def _name(reading: Reading) -> str:
    return reading.subject or _("no. %(id)s", id=reading.entry.entity_id)


def _findings(reading: Reading, value) -> str:
    if not isinstance(value, dict):
        return "–"
    return "; ".join(f"{reading.narrator.label_of(CHECKLIST, key)}: {reading.narrator.label_of(RESULTS, result)}"
                     for key, result in value.items())


def _facility_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s registered the care facility %(facility)s.", actor=reading.actor, facility=_name(reading))
    return None


def _placement_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s recorded a child placed at the facility %(facility)s (%(kind)s) since %(since)s.",
                 actor=reading.actor, facility=_name(reading), kind=reading.shown("kind", reading.after("kind")),
                 since=reading.shown("since", reading.after("since")))
    if reading.action == "update" and reading.after("until"):
        return _("%(actor)s recorded that a child left the facility %(facility)s on %(day)s.", actor=reading.actor,
                 facility=_name(reading), day=reading.shown("until", reading.after("until")))
    return None


def _inspection_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s planned an inspection of the facility %(facility)s on %(day)s.", actor=reading.actor,
                 facility=_name(reading), day=reading.shown("inspected_on", reading.after("inspected_on")))
    if reading.action == "update" and reading.changed("recorded_at") and reading.after("recorded_at"):
        return _("%(actor)s recorded the findings of the inspection of the facility %(facility)s.",
                 actor=reading.actor, facility=_name(reading))
    return None


def _correction_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s required the facility %(facility)s to correct by %(day)s: %(what)s",
                 actor=reading.actor, facility=_name(reading), day=reading.shown("due_on", reading.after("due_on")),
                 what=reading.after("description"))
    if reading.action == "update" and reading.after("done_on"):
        return _("%(actor)s recorded a correction of the facility %(facility)s done on %(day)s.",
                 actor=reading.actor, facility=_name(reading), day=reading.shown("done_on", reading.after("done_on")))
    return None


def _escalation_sentence(reading: Reading) -> str | None:
    words = {"actor": reading.actor, "facility": _name(reading),
             "unit": reading.shown("to_unit_id", reading.after("to_unit_id"))}
    if reading.action == "create" and (reading.after("level") or 1) > 1:
        return _("Nobody acknowledged in time a correction of the facility %(facility)s past its deadline; the "
                 "deadline sweep raised it to %(unit)s.", **words)
    if reading.action == "create":
        return _("A correction of the facility %(facility)s was past its deadline and not found done; the deadline "
                 "sweep raised it to %(unit)s.", **words)
    if reading.action == "update" and reading.after("acknowledged_at") and not reading.before("acknowledged_at"):
        return _("%(actor)s acknowledged that the facility %(facility)s had not made a correction in time.", **words)
    return None


describe_reference("facility", _facilities)
describe_reference("facility_placement", _parts(Placement, Placement.facility))
describe_reference("facility_inspection", _parts(Inspection, Inspection.facility))
describe_reference("facility_correction", _parts(Correction, Correction.inspection, Inspection.facility))
describe_reference("facility_correction_escalation", _parts(CorrectionEscalation, CorrectionEscalation.correction,
                                                            Correction.inspection, Inspection.facility))
describe_table(
    Facility, sentence=_facility_sentence, subject="facility",
    record=lambda reading: _("the care facility %(facility)s", facility=_name(reading)),
    fields={"kind": _l("Kind of facility"), "name": _l("Name"), "address": _l("Address"),
            "unit_id": _l("Commune"), "capacity": _l("Capacity (children)"),
            "licence_number": _l("Licence number"), "licence_issuer": _l("Issued by"),
            "licence_issued_on": _l("Licence issued on"), "licence_expires_on": _l("Licence expires on"),
            "provider_id": _l("Provider in the register")},
    hidden=("id", "created_at", "version"), values={"kind": KINDS},
    references={"unit_id": "unit", "provider_id": "provider"})
describe_table(
    Placement, sentence=_placement_sentence, subject="facility_placement",
    record=lambda reading: _("a child's stay at the facility %(facility)s", facility=_name(reading)),
    fields={"kind": _l("Why the child lives there"), "child_id": _l("Child"), "since": _l("Since"),
            "until": _l("Until"), "recorded_by_id": _l("Recorded by")},
    hidden=("id", "facility_id", "case_id", "measure_id"), values={"kind": PLACEMENT_KINDS},
    references={"child_id": "child", "recorded_by_id": "person"})
describe_table(
    Inspection, sentence=_inspection_sentence, subject="facility_inspection",
    record=lambda reading: _("an inspection of the facility %(facility)s", facility=_name(reading)),
    fields={"inspected_on": _l("Day of the inspection"), "team": _l("Inspection team"),
            "findings": _l("Checklist"), "violations": _l("Violations found"), "recorded_at": _l("Recorded at"),
            "recorded_by_id": _l("Recorded by"), "planned_by_id": _l("Planned by"),
            "unit_id": _l("Inspecting unit")},
    hidden=("id", "facility_id", "follows_up_id", "version"), formats={"findings": _findings},
    references={"recorded_by_id": "person", "planned_by_id": "person", "unit_id": "unit"})
describe_table(
    Correction, sentence=_correction_sentence, subject="facility_correction",
    record=lambda reading: _("a correction required of the facility %(facility)s", facility=_name(reading)),
    fields={"description": _l("What must be corrected"), "due_on": _l("Deadline"), "done_on": _l("Done on"),
            "done_note": _l("Note")},
    hidden=("id", "inspection_id", "version"))
describe_table(
    CorrectionEscalation, sentence=_escalation_sentence, subject="facility_correction_escalation",
    record=lambda reading: _("a correction of the facility %(facility)s, past its deadline, raised to the level "
                             "above", facility=_name(reading)),
    fields={"to_unit_id": _l("Raised to"), "from_unit_id": _l("From the unit"), "level": _l("Level"),
            "raised_at": _l("Raised at"), "acknowledged_at": _l("Acknowledged at"),
            "acknowledged_by_id": _l("Acknowledged by")},
    hidden=("id", "correction_id", "previous_id", "version"),
    references={"to_unit_id": "unit", "from_unit_id": "unit", "acknowledged_by_id": "person"})
describe_action("facility_viewed", lambda reading: _("%(actor)s viewed the facility %(facility)s.",
                                                     actor=reading.actor, facility=_name(reading)),
                subject="facility")
