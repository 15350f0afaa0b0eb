"""The case file (hồ sơ) as a PDF: what a worker prints for a case meeting.

The file is a list of section builders, each turning the case into flowables. A new part of the case adds
its builder to SECTIONS and nothing else changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import pgettext
from reportlab.platypus import KeepTogether, Spacer

from app.access import scoped_cases
from app.attachments.case_file import attachments_section
from app.audit.recorder import record
from app.cases import checklist, workflow
from app.cases.models import (CARER_CONSENTS, CATEGORIES, CHILD_CONSENTS, CLOSURE_REASONS, DATA_GROUNDS,
                              FORMER_REVIEW_CRITERIA, HARM_STATUSES, REVIEW_CRITERIA, RISK_LEVELS, SOURCES,
                              TIMELINE_KINDS, Assessment, Case, Plan, TimelineEntry)
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Child
from app.deadlines.services import due_label, local_zone
from app.extensions import db
from app.i18n import display_date, display_datetime
from app.referrals.workflow import STATUSES as REFERRAL_STATUSES
from app.reorganisation.history import holder_of, whereabouts
from app.reports import pdf
from app.units.services import name_in_its_time


@dataclass(frozen=True)
class Printing:
    """Who prints, and when: the footer of every page says it."""

    by: object
    at: datetime
    width: float


Section = Callable[[Case, Printing], list]


def _heading(title: str) -> list:
    return [pdf.para(title, "heading")]


def _user_name(user) -> str:
    return user.full_name if user else "–"


def child_section(case: Case, printing: Printing) -> list:
    child = case.child
    born = display_date(child.date_of_birth) if child.date_of_birth else str(child.birth_year)
    pairs = [(_("Full name"), child.name_shown), (_("Other names"), child.other_names or "–"),
             (_("Sex"), SEXES[child.sex]), (_("Born"), born),
             (_("Age at the report"), child.age_on(case.received_at.astimezone(local_zone()).date())),
             (_("Personal ID number"), child.id_number or "–"), (_("Ethnicity"), child.ethnicity or "–"),
             (_("Address"), ", ".join(part for part in (child.address_detail, child.address_unit and
                                                         name_in_its_time(child.address_unit)) if part) or "–"),
             (pgettext("child's school", "School"), child.school or "–"),
             (_("Special circumstances"), "; ".join(str(SPECIAL_CIRCUMSTANCES.get(key, key))
                                                    for key in child.special_circumstances or []) or "–")]
    for carer in child.carers:
        age = _("%(age)d years old", age=carer.age) if carer.age is not None else None
        pairs.append((_("Carer"), " · ".join(part for part in (carer.name, carer.relationship_to_child, carer.phone,
                                                               age, carer.occupation) if part)))
    return _heading(_("About the child")) + pdf.facts(pairs, printing.width)


def unit_facts(case: Case) -> list[tuple[str, str]]:
    """The case's unit: where a reorganisation moved it, the unit now and the former one as it was called then; a
    closed case that stayed at its ended unit, that unit and the one that holds it now."""
    where = whereabouts(case)
    if where.holder != where.unit:
        return [(_("Unit"), name_in_its_time(where.unit)), (_("Current unit"), where.holder.label)]
    if not where.moved:
        return [(_("Unit"), case.unit.label)]
    now = case.unit.label
    if where.waiting:
        now += " · " + _("%(unit)s holds the case until its new commune is chosen.", unit=case.unit.name)
    return [(_("Current unit"), now)] + [(_("Former unit"), name_in_its_time(move.from_unit)) for move in where.moves]


def summary_section(case: Case, printing: Printing) -> list:
    reporter = case.reporter_name if case.reporter_may_be_named else (_("(not to be named)")
                                                                      if case.reporter_name else "–")
    pairs = [(_("Reference"), case.reference), *unit_facts(case),
             (_("Status"), workflow.STATUSES[case.status]),
             (_("Risk"), RISK_LEVELS[case.risk_level] if case.risk_level else _("not assessed yet")),
             (_("Categories"), ", ".join(str(CATEGORIES[key]) for key in case.categories)),
             (_("Received"), f"{display_datetime(case.received_at)} · {SOURCES[case.source]}"),
             (_("Reported by"), reporter),
             (_("Reporter's phone or address"), (case.reporter_contact or "–") if case.reporter_may_be_named
              else (_("(not to be named)") if case.reporter_contact else "–")),
             (_("Where"), case.place or "–"),
             (_("Abused or at risk"), HARM_STATUSES[case.harm_status] if case.harm_status else _("not recorded")),
             (_("The child is in immediate danger"), _("Yes") if case.immediate_danger else _("No")),
             (_("What happened"), case.description),
             (_("Harm that may follow for the child"), case.harm_foreseen or "–"),
             (_("Action already taken"), case.action_taken or "–"),
             (_("Consent to keeping the data"), "; ".join(
                 [str(CHILD_CONSENTS[case.child_consent]) if case.child_consent else _("not recorded"),
                  str(CARER_CONSENTS[case.carer_consent]) if case.carer_consent else _("not recorded")]
                 + ([_("legal ground") + ": " + str(DATA_GROUNDS[case.data_ground])] if case.data_ground else []))),
             (_("Assigned worker"), _user_name(case.assigned_worker))]
    for deadline in case.deadlines:
        pairs.append((deadline.label, f"{display_datetime(deadline.due_at)} · {due_label(deadline, printing.at)}"))
    if case.closure_reason:
        closure = f"{CLOSURE_REASONS[case.closure_reason]} {case.closure_note or ''}".strip()
        if case.closed_at:
            closure += " · " + _("closed on %(day)s", day=display_date(case.closed_at))
        pairs.append((_("Closure"), closure))
    return _heading(_("About the case")) + pdf.facts(pairs, printing.width)


def assessments_section(case: Case, printing: Printing) -> list:
    flowables = _heading(_("Assessments"))
    for assessment in case.assessments:
        kind = _("Initial assessment") if assessment.kind == "initial" else _("Detailed assessment")
        block = [pdf.para(f"{kind} · {display_datetime(assessment.created_at)} · {_user_name(assessment.created_by)}",
                          "subheading")]
        if assessment.risk_level:
            block.append(pdf.para(RISK_LEVELS[assessment.risk_level], bold_prefix=_("Risk") + ":"))
            for key, yes in (assessment.answers or {}).items():
                if yes and key in checklist.QUESTIONS:
                    block.append(pdf.para("• " + str(checklist.QUESTIONS[key][1])))
        flowables.append(KeepTogether(block))
        if assessment.summary:
            flowables.extend(pdf.paragraphs(assessment.summary))
        if assessment.meeting_minutes:
            flowables.append(pdf.para(_("Case meeting") + ":", "subheading"))
            flowables.extend(pdf.paragraphs(assessment.meeting_minutes))
    if not case.assessments:
        flowables.append(pdf.para(_("No assessment yet.")))
    return flowables


def emergency_section(case: Case, printing: Printing) -> list:
    if not case.emergency_measures:
        return []
    flowables = _heading(_("Emergency measures"))
    for measure in case.emergency_measures:
        flowables.append(pdf.para(f"{display_datetime(measure.taken_at)} · {_user_name(measure.created_by)}",
                                  "subheading"))
        flowables.extend(pdf.paragraphs(measure.description))
        if measure.isolation:
            flowables.extend(pdf.paragraphs(_(
                "Temporary isolation at %(place)s, with %(carer)s, from %(first)s to %(last)s.",
                place=measure.isolation_place, carer=measure.isolation_with or "–",
                first=display_date(measure.isolation_from), last=display_date(measure.isolation_until))))
            if measure.extension_number:
                flowables.extend(pdf.paragraphs(_(
                    "Longer than 15 days at the written request of %(authority)s, no. %(number)s of %(day)s.",
                    authority=measure.extension_authority, number=measure.extension_number,
                    day=display_date(measure.extension_date))))
            if measure.isolation_status == "decided":
                flowables.append(pdf.para(_("Decided by %(name)s at %(when)s.", name=measure.decided_by,
                                            when=display_datetime(measure.decided_at))))
            elif measure.isolation_status == "declined":
                flowables.extend(pdf.paragraphs(_("Declined by %(name)s at %(when)s: %(reason)s",
                                                  name=measure.decided_by, when=display_datetime(measure.decided_at),
                                                  reason=measure.decision_note)))
        if measure.isolation_ended_on:
            flowables.extend(pdf.paragraphs(_("The isolation ended on %(day)s: %(note)s",
                                              day=display_date(measure.isolation_ended_on),
                                              note=measure.isolation_end_note)))
    return flowables


def _approval(plan: Plan) -> str:
    if plan.status == "approved":
        return _("Approved by %(name)s on %(day)s.", name=_user_name(plan.decided_by),
                 day=display_date(plan.decided_at))
    if plan.status == "returned":
        return _("Returned by %(name)s: %(reason)s", name=_user_name(plan.decided_by), reason=plan.return_reason)
    if plan.status == "submitted":
        return _("Waiting for a commune leader to approve it.")
    return _("Draft, not yet submitted.")


def plan_section(case: Case, printing: Printing) -> list:
    flowables = _heading(_("Support plan"))
    for number, plan in enumerate(case.plans, start=1):
        flowables.append(pdf.para(_("Plan %(n)d, drafted by %(name)s on %(day)s", n=number,
                                    name=_user_name(plan.drafted_by), day=display_date(plan.created_at)),
                                  "subheading"))
        flowables.append(pdf.para(_("Goals") + ":", "subheading"))
        flowables.extend(pdf.paragraphs(plan.goals))
        if plan.actions:
            width = printing.width
            flowables.append(pdf.grid([pgettext("support plan", "Action"), _("Responsible person or organisation"),
                                       _("Due date")],
                                      [[action.description, action.responsible, display_date(action.due_date)]
                                       for action in plan.actions], [width * 0.55, width * 0.3, width * 0.15]))
        flowables.append(pdf.para(_approval(plan), bold_prefix=_("Approval") + ":"))
    if not case.plans:
        flowables.append(pdf.para(_("No plan yet.")))
    return flowables


def timeline_section(case: Case, printing: Printing) -> list:
    """Each entry as a line saying when, what kind and by whom, then its text as paragraphs (an entry may be
    longer than a page)."""
    flowables = _heading(_("Timeline"))
    entries = sorted(case.timeline, key=lambda entry: (entry.occurred_at, entry.id))
    if not entries:
        return flowables + [pdf.para(_("Nothing recorded yet."))]
    for entry in entries:
        flowables.append(pdf.para(f"{display_datetime(entry.occurred_at)} · {TIMELINE_KINDS[entry.kind]} · "
                                  f"{_user_name(entry.author)}", "subheading"))
        flowables.extend(pdf.paragraphs(entry.text))
    return flowables


def reviews_section(case: Case, printing: Printing) -> list:
    """Each review as recorded: on Mẫu 06's criteria, every answer saying whether it is the good one, with its note;
    or, recorded before them, on the former criteria, labelled so."""
    if not case.reviews:
        return []
    flowables = _heading(_("Reviews (Mẫu 06)"))
    for review in case.reviews:
        flowables.append(pdf.para(f"{display_datetime(review.created_at)} · {_user_name(review.created_by)}",
                                  "subheading"))
        if review.on_former_criteria:
            flowables.append(pdf.para(_("Recorded on the former criteria, before those of Mẫu 06; shown as "
                                        "recorded.")))
            for key, level in (review.former_scores or {}).items():
                flowables.append(pdf.para(f"{FORMER_REVIEW_CRITERIA.get(key, key)}: {RISK_LEVELS.get(level, level)}"))
        else:
            for key, rule in REVIEW_CRITERIA.items():
                verdict = _("(good)") if review.is_good(key) else _("(not yet good)")
                flowables.append(pdf.para(f"{rule.label}: {review.answer(key)} {verdict}"))
                if review.criterion_note(key):
                    flowables.extend(pdf.paragraphs(review.criterion_note(key)))
        if review.note:
            flowables.extend(pdf.paragraphs(review.note))
    return flowables


def referrals_section(case: Case, printing: Printing) -> list:
    if not case.referrals:
        return []
    flowables = _heading(_("Referrals"))
    width = printing.width
    rows = [[f"#{referral.id} · {display_datetime(referral.created_at)}",
             f"{name_in_its_time(referral.from_unit)} → {referral.receiver_label}",
             "; ".join(part for part in (referral.service, referral.reason) if part), _referral_state(referral)]
            for referral in case.referrals]
    flowables.append(pdf.grid([_("Referral"), _("From and to"), _("Why"), _("State")], rows,
                              [width * 0.17, width * 0.27, width * 0.3, width * 0.26]))
    return flowables


def _referral_state(referral) -> str:
    parts = [str(REFERRAL_STATUSES[referral.status])]
    if referral.urgent:
        parts.append(_("urgent"))
    if referral.approved_by:
        parts.append(_("approved by %(name)s", name=referral.approved_by.full_name))
    if referral.closing_reason:
        parts.append(referral.closing_reason)
    return " · ".join(parts)


def escalations_section(case: Case, printing: Printing) -> list:
    if not case.escalations:
        return []
    flowables = _heading(_("Escalations"))
    width = printing.width
    rows = [[display_datetime(escalation.raised_at),
             f"{name_in_its_time(escalation.from_unit)} → {name_in_its_time(escalation.to_unit)}",
             escalation.explanation,
             _("acknowledged by %(name)s", name=escalation.acknowledged_by.full_name)
             + f" · {display_datetime(escalation.acknowledged_at)}" if escalation.acknowledged_at else _("open")]
            for escalation in case.escalations]
    flowables.append(pdf.grid([_("When"), _("From and to"), _("Why"), _("Acknowledged")], rows,
                              [width * 0.16, width * 0.27, width * 0.35, width * 0.22]))
    return flowables


# The order of the file.
SECTIONS: list[Section] = [summary_section, child_section, assessments_section, emergency_section, plan_section,
                           referrals_section, escalations_section, reviews_section, timeline_section,
                           attachments_section]


def load_for_printing(viewer, reference: str) -> Case | None:
    """The case within `viewer`'s scope, with everything the file shows loaded in a few queries."""
    query = scoped_cases(viewer).where(Case.reference == reference).options(
        sa.orm.selectinload(Case.category_rows), sa.orm.selectinload(Case.assigned_worker),
        sa.orm.selectinload(Case.child).selectinload(Child.carers),
        sa.orm.selectinload(Case.child).selectinload(Child.address_unit),
        sa.orm.selectinload(Case.assessments).selectinload(Assessment.created_by),
        sa.orm.selectinload(Case.emergency_measures), sa.orm.selectinload(Case.reviews),
        sa.orm.selectinload(Case.plans).selectinload(Plan.actions),
        sa.orm.selectinload(Case.plans).selectinload(Plan.drafted_by),
        sa.orm.selectinload(Case.plans).selectinload(Plan.decided_by),
        sa.orm.selectinload(Case.timeline).selectinload(TimelineEntry.author),
        sa.orm.selectinload(Case.referrals), sa.orm.selectinload(Case.escalations))
    return db.session.scalar(query)


def render(case: Case, printing: Printing) -> bytes:
    flowables = [pdf.para(_("Case file %(reference)s", reference=case.reference), "title"), Spacer(0, 2)]
    for section in SECTIONS:
        flowables.extend(section(case, printing))
    letterhead = pdf.Letterhead(
        unit=holder_of(case.unit).name, title=_("Case file %(reference)s", reference=case.reference),
        reference=case.reference,
        confidential=_("CONFIDENTIAL"),
        printed=_("Printed by %(name)s (%(username)s) on %(time)s", name=printing.by.full_name,
                  username=printing.by.username, time=display_datetime(printing.at)),
        page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))
    return pdf.render(flowables, letterhead)


def print_case_file(viewer, reference: str, now: datetime) -> tuple[Case, bytes] | None:
    """The file of a case `viewer` may read, its printing recorded in the audit trail; None when out of scope."""
    case = load_for_printing(viewer, reference)
    if case is None:
        return None
    document = render(case, Printing(by=viewer, at=now, width=pdf.frame_width()))
    record(db.session, "case_file_printed", entity="cases", entity_id=case.id, case_ref=case.reference,
           unit_path=case.unit.path)
    db.session.commit()
    return case, document
