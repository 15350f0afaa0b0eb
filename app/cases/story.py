"""The case's story: every step, referral, escalation and note, oldest first, each with who and when.

It is read from the case's own records (the report, the steps as they were taken, the referrals and
escalations, the timeline people write), in the reader's language, for the case page and the case file.
The History tab is something else: every change to every field, from the audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.cases.models import CLOSURE_REASONS, RISK_LEVELS, SOURCES, TIMELINE_KINDS, Case, CaseStep, TimelineEntry
from app.extensions import db
from app.reorganisation.history import case_moves
from app.units.services import name_in_its_time


@dataclass(frozen=True)
class StoryItem:
    at: datetime
    who: str  # a person's full name, a unit's name, or "automatically"
    what: str  # what happened, as a sentence
    words: str | None = None  # what a person wrote with it (a note, a reason), shown as written
    note: bool = False  # a note someone wrote on the timeline, rather than a step


def case_story(case: Case) -> list[StoryItem]:
    items = [_report(case)]
    items += [_step(step) for step in db.session.scalars(
        sa.select(CaseStep).where(CaseStep.case_id == case.id).options(selectinload(CaseStep.user)))]
    items += [StoryItem(entry.occurred_at, entry.author.full_name, str(TIMELINE_KINDS[entry.kind]), entry.text, True)
              for entry in db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id)
                                              .options(selectinload(TimelineEntry.author)))]
    for referral in case.referrals:
        items += _referral(referral)
    for escalation in case.escalations:
        items += _escalation(escalation)
    items += _moves(case)
    return sorted(items, key=lambda item: item.at)


def _moves(case: Case) -> list[StoryItem]:
    """The reorganisations that carried the case: from its unit as it was called then to its new one."""
    items = []
    for move in case_moves(case):
        who = move.run.started_by.full_name if move.run.started_by else _("automatically")
        words = {"old": name_in_its_time(move.from_unit), "day": move.run.effective_on.strftime("%d/%m/%Y")}
        if move.rule == "full":
            items.append(StoryItem(move.moved_at, who, _(
                "Administrative units reorganised from %(day)s: the case went from %(old)s to %(new)s, its whole "
                "successor.", new=move.to_unit.name, **words)))
            continue
        words["held"] = move.held_by.name
        items.append(StoryItem(move.moved_at, who, _(
            "Administrative units reorganised from %(day)s: %(old)s was divided, so %(held)s holds the case until "
            "its new commune is chosen.", **words) if move.rule == "partial" else _(
            "Administrative units reorganised from %(day)s: the official list names no successor of %(old)s, so "
            "%(held)s holds the case until its new commune is chosen.", **words)))
        if move.to_unit is not None:
            items.append(StoryItem(move.decided_at or move.moved_at,
                                   move.decided_by.full_name if move.decided_by else _("automatically"),
                                   _("New commune chosen: %(new)s.", new=move.to_unit.name)))
    return items


def _report(case: Case) -> StoryItem:
    return StoryItem(case.received_at, case.created_by.full_name if case.created_by else _("automatically"),
                     _("Report received (%(source)s) and the case opened.", source=SOURCES[case.source]))


def _step(step: CaseStep) -> StoryItem:
    who = step.user.full_name
    if step.action == "assess":
        what = _("Initial assessment; risk: %(risk)s.", risk=RISK_LEVELS[step.detail])
    elif step.action == "propose_closure":
        what = _("Closure proposed: %(reason)s.", reason=CLOSURE_REASONS[step.detail])
    elif step.action == "approve_closure" and step.detail:
        what = _("Closure approved (%(reason)s): the case is closed.", reason=CLOSURE_REASONS[step.detail])
    elif step.action == "emergency" and step.detail == "isolation":
        what = _("Emergency measures recorded, with a temporary isolation of the child (Mẫu 07).")
    else:
        what = {
            "propose_isolation": _("Temporary isolation proposed to a commune leader."),
            "decide_isolation": _("Temporary isolation decided (Mẫu 07)."),
            "decline_isolation": _("Temporary isolation declined."),
            "emergency": _("Emergency measures recorded."),
            "end_isolation": _("The temporary isolation ended."),
            "detail": _("Detailed assessment and case meeting recorded."),
            "draft_plan": _("Support plan drafted."),
            "new_plan": _("New support plan drafted."),
            "submit_plan": _("Support plan submitted for approval."),
            "approve_plan": _("Support plan approved."),
            "return_plan": _("Support plan returned."),
            "review": _("Reviewed on the criteria of Mẫu 06."),
            "approve_closure": _("Closure approved: the case is closed."),
        }[step.action]
    return StoryItem(step.taken_at, who, what, step.note)


def _referral(referral) -> list[StoryItem]:
    number, receiver = referral.id, referral.receiver_label
    opened = (_("Referral %(number)d to %(receiver)s kept as a draft.", number=number, receiver=receiver)
              if referral.status == "draft" else
              _("Urgent referral %(number)d to %(receiver)s.", number=number, receiver=receiver) if referral.urgent
              else _("Referral %(number)d to %(receiver)s.", number=number, receiver=receiver))
    items = [StoryItem(referral.created_at, referral.created_by.full_name, opened, referral.reason)]
    if referral.approved_at:
        items.append(StoryItem(referral.approved_at, referral.approved_by.full_name,
                               _("Referral %(number)d approved.", number=number)))
    if referral.answered_at:
        accepted = referral.status != "declined"
        items.append(StoryItem(referral.answered_at, referral.answered_by.full_name,
                               _("Referral %(number)d accepted.", number=number) if accepted
                               else _("Referral %(number)d declined.", number=number),
                               None if accepted else referral.closing_reason))
    if referral.completed_at:
        items.append(StoryItem(referral.completed_at, name_in_its_time(referral.receiving_unit),
                               _("Referral %(number)d completed.", number=number)))
    if referral.status in ("rejected", "withdrawn"):
        # Nothing changes a referral once it is rejected or withdrawn: its last change is that step.
        items.append(StoryItem(referral.updated_at, referral.closed_by.full_name,
                               _("Referral %(number)d rejected.", number=number) if referral.status == "rejected"
                               else _("Referral %(number)d withdrawn.", number=number), referral.closing_reason))
    return items


def _escalation(escalation) -> list[StoryItem]:
    items = [StoryItem(escalation.raised_at,
                       escalation.raised_by.full_name if escalation.raised_by else _("automatically"),
                       _("Escalated to %(unit)s.", unit=name_in_its_time(escalation.to_unit)), escalation.explanation)]
    if escalation.acknowledged_at:
        items.append(StoryItem(escalation.acknowledged_at, escalation.acknowledged_by.full_name,
                               _("Escalation acknowledged at %(unit)s.", unit=name_in_its_time(escalation.to_unit)),
                               escalation.acknowledgement_note))
    return items
