"""How the trail tells a case and its steps (app/audit/narrative.py): the case by its reference, each part as
the part of that case ("the support plan of case X"), each step in its own words."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from app.audit.narrative import Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.cases import checklist, workflow
from app.cases.models import (ABUSE_SETTINGS, CARER_CONSENTS, CATEGORIES, CHILD_CONSENTS, CLOSURE_REASONS,
                              DATA_GROUNDS, DEADLINES, FORMER_REVIEW_CRITERIA, HARM_STATUSES, ISOLATION_STATUSES,
                              REVIEW_CRITERIA, RISK_LEVELS, SOURCES, STEP_DETAILS, TIMELINE_KINDS,
                              WITHHELD_IN_HISTORY, Assessment, Case,
                              CaseCategory, CaseStep, Deadline, EmergencyMeasure, Plan, PlanAction, PlanAuthor, Review,
                              TimelineEntry)

ASSESSMENT_KINDS = {"initial": _l("Initial assessment"), "detailed": _l("Detailed assessment")}
# The labels of the fields of a case and its parts.
FIELDS = {
    "status": _l("Status"), "risk_level": _l("Risk"), "category": _l("Category"), "source": _l("Source"),
    "received_at": _l("Received at"), "description": _l("Description"), "place": _l("Place"),
    "action_taken": _l("Action already taken"), "immediate_danger": _l("Immediate danger"),
    "assigned_worker_id": _l("Assigned worker"), "closure_reason": _l("Reason for closure"),
    "closure_note": _l("Closure note"), "closed_at": _l("Closed at"), "reporter_name": _l("Who reported it"),
    "reporter_contact": _l("Reporter's phone or address"), "reporter_may_be_named": _l("Reporter may be named"),
    "name": _l("Deadline"), "due_at": _l("Due"), "met_at": _lp("deadline", "Met"),
    "kind": _lp("timeline entry", "Kind"), "summary": _l("Summary"),
    "answers": _l("Signs found"), "meeting_minutes": _l("Minutes of the case meeting"), "goals": _l("Goals"),
    "responsible": _l("Responsible"), "due_date": _l("Due date"), "text": _l("Text"),
    "occurred_at": _l("When"), "note": _l("Note"), "taken_at": _l("Taken at"),
    "isolation": _l("Temporary isolation"), "isolation_place": _l("Isolation place"),
    "isolation_from": _l("Isolated from"), "isolation_until": _l("Isolated until"), "decided_by": _l("Decided by"),
    "return_reason": _l("Reason for return"), "submitted_at": _l("Submitted at"), "decided_at": _l("Decided at"),
    "isolation_ended_on": _l("Isolation ended on"),
    "isolation_end_note": _l("What followed for the child"),
    "harm_status": _l("Abused or at risk"), "harm_foreseen": _l("Harm that may follow for the child"),
    "abuse_setting": _l("Where the abuse happened"),
    "child_consent": _l("The child's consent to keeping the data"),
    "carer_consent": _l("The carer's consent to keeping the data"),
    "data_ground": _l("Legal ground for keeping the data"),
}
PLAN_STATUSES = {"draft": _l("Draft"), "submitted": _l("Submitted"), "approved": _l("Approved"),
                 "returned": _l("Returned")}


def _labelled(*names: str, **more) -> dict:
    """The labels of `names` in FIELDS, in that order, and `more`."""
    return {**{name: FIELDS[name] for name in names}, **more}


def _deadlines(session, ids) -> dict[int, str]:
    rows = session.execute(sa.select(Deadline.id, Deadline.name).where(Deadline.id.in_(ids)))
    return {deadline_id: str(DEADLINES.get(name, name)) for deadline_id, name in rows}


# The case itself

def _case_sentence(reading: Reading) -> str | None:
    actor, case = reading.actor, reading.case
    if reading.action == "create":
        return _("%(actor)s recorded a report and opened case %(case)s.", actor=actor, case=case)
    if reading.action != "update":
        return None
    if reading.became("status", "closed"):
        return _("%(actor)s approved the closure of case %(case)s.", actor=actor, case=case)
    if reading.before("status") == "closed" and reading.changed("status"):
        return _("%(actor)s reopened case %(case)s.", actor=actor, case=case)
    if reading.after("closure_proposed_by_id"):
        return _("%(actor)s proposed closing case %(case)s: %(reason)s.", actor=actor, case=case,
                 reason=reading.shown("closure_reason", reading.after("closure_reason")))
    if reading.changed("unit_id"):  # only a reorganisation moves a case (app/reorganisation)
        return _("%(actor)s moved case %(case)s from %(before)s to %(after)s.", actor=actor, case=case,
                 before=reading.shown("unit_id", reading.before("unit_id")),
                 after=reading.shown("unit_id", reading.after("unit_id")))
    if reading.changed("status"):
        return _("%(actor)s moved case %(case)s from “%(before)s” to “%(after)s”.", actor=actor, case=case,
                 before=reading.shown("status", reading.before("status")),
                 after=reading.shown("status", reading.after("status")))
    if _only(reading, "assigned_worker_id"):
        worker = reading.after("assigned_worker_id")
        if worker is None:
            return _("%(actor)s left case %(case)s without an assigned worker.", actor=actor, case=case)
        return _("%(actor)s assigned case %(case)s to %(person)s.", actor=actor, case=case,
                 person=reading.shown("assigned_worker_id", worker))
    fields = reading.field_labels()
    if not fields:  # only bookkeeping: a step on one of its parts marks the case updated
        return _("%(actor)s updated case %(case)s.", actor=actor, case=case)
    return _("%(actor)s changed the report of case %(case)s: %(fields)s.", actor=actor, case=case, fields=fields)


def _only(reading: Reading, name: str) -> bool:
    """`name` is the one field of the change that people read."""
    shown = {change for change in reading.changes if change in reading.table.fields}
    return shown == {name}


# Its parts

def _category_sentence(reading: Reading) -> str | None:
    category = reading.shown("category", reading.value("category"))
    if reading.action == "create":
        return _("%(actor)s added the category “%(category)s” to case %(case)s.", actor=reading.actor,
                 category=category, case=reading.case)
    if reading.action == "delete":
        return _("%(actor)s removed the category “%(category)s” from case %(case)s.", actor=reading.actor,
                 category=category, case=reading.case)
    return None


def _deadline(reading: Reading) -> str:
    name = reading.value("name")
    return reading.shown("name", name) if name else (reading.subject or _("a deadline"))


def _deadline_sentence(reading: Reading) -> str | None:
    actor, case, deadline = reading.actor, reading.case, _deadline(reading)
    if reading.action == "create":
        return _("%(actor)s set the deadline “%(deadline)s” of case %(case)s for %(time)s.", actor=actor,
                 deadline=deadline, case=case, time=reading.shown("due_at", reading.after("due_at")))
    if reading.action != "update":
        return None
    if reading.after("met_at") and not reading.before("met_at"):
        return _("%(actor)s completed “%(deadline)s” for case %(case)s.", actor=actor, deadline=deadline, case=case)
    if reading.changed("due_at"):
        return _("%(actor)s moved the deadline “%(deadline)s” of case %(case)s to %(time)s.", actor=actor,
                 deadline=deadline, case=case, time=reading.shown("due_at", reading.after("due_at")))
    return None


def _assessment_sentence(reading: Reading) -> str | None:
    if reading.action != "create":
        return None
    if reading.after("kind") == "initial":
        return _("%(actor)s recorded the initial assessment of case %(case)s: risk %(risk)s.", actor=reading.actor,
                 case=reading.case, risk=reading.shown("risk_level", reading.after("risk_level")))
    return _("%(actor)s recorded the detailed assessment of case %(case)s.", actor=reading.actor, case=reading.case)


def _signs_found(reading: Reading, answers) -> str:
    if not isinstance(answers, dict):
        return str(answers)
    found = [str(checklist.QUESTIONS[key][1]) for key, yes in answers.items() if yes and key in checklist.QUESTIONS]
    return "; ".join(found) or _("none")


def _emergency_sentence(reading: Reading) -> str | None:
    actor, case = reading.actor, reading.case
    if reading.action == "create":
        if reading.after("isolation") and reading.after("isolation_status") == "proposed":
            return _("%(actor)s proposed a temporary isolation of the child of case %(case)s, from %(first)s to "
                     "%(last)s.", actor=actor, case=case,
                     first=reading.shown("isolation_from", reading.after("isolation_from")),
                     last=reading.shown("isolation_until", reading.after("isolation_until")))
        if reading.after("isolation"):
            return _("%(actor)s recorded the temporary isolation of the child of case %(case)s, from %(first)s to "
                     "%(last)s.", actor=actor, case=case,
                     first=reading.shown("isolation_from", reading.after("isolation_from")),
                     last=reading.shown("isolation_until", reading.after("isolation_until")))
    if reading.action == "update" and reading.after("isolation_status") == "decided":
        return _("%(actor)s decided the temporary isolation of the child of case %(case)s.", actor=actor, case=case)
    if reading.action == "update" and reading.after("isolation_status") == "declined":
        return _("%(actor)s declined the temporary isolation of the child of case %(case)s.", actor=actor, case=case)
    if reading.action == "create":
        return _("%(actor)s recorded an emergency measure for case %(case)s.", actor=actor, case=case)
    if reading.action == "update" and reading.after("isolation_ended_on"):
        return _("%(actor)s recorded the end of the temporary isolation of case %(case)s on %(day)s.", actor=actor,
                 case=case, day=reading.shown("isolation_ended_on", reading.after("isolation_ended_on")))
    return None


def _plan_sentence(reading: Reading) -> str | None:
    actor, case = reading.actor, reading.case
    if reading.action == "create":
        return _("%(actor)s drafted the support plan of case %(case)s.", actor=actor, case=case)
    if reading.action != "update":
        return None
    if reading.became("status", "submitted"):
        return _("%(actor)s submitted the support plan of case %(case)s for approval.", actor=actor, case=case)
    if reading.became("status", "approved"):
        return _("%(actor)s approved the support plan of case %(case)s.", actor=actor, case=case)
    if reading.became("status", "returned"):
        return _("%(actor)s returned the support plan of case %(case)s: %(reason)s.", actor=actor, case=case,
                 reason=reading.after("return_reason") or "–")
    if reading.became("status", "draft"):
        return _("%(actor)s wrote the support plan of case %(case)s again.", actor=actor, case=case)
    return None


def _plan_action_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s added an action to the support plan of case %(case)s: %(action)s.", actor=reading.actor,
                 case=reading.case, action=reading.after("description"))
    if reading.action == "delete":
        return _("%(actor)s removed an action from the support plan of case %(case)s: %(action)s.",
                 actor=reading.actor, case=reading.case, action=reading.before("description"))
    if reading.action == "update" and reading.after("done_on"):
        return _("%(actor)s recorded an action of the support plan of case %(case)s as done on %(day)s.",
                 actor=reading.actor, case=reading.case, day=reading.shown("done_on", reading.after("done_on")))
    return None


def _plan_author_sentence(reading: Reading) -> str | None:
    if reading.action != "create":
        return None
    author = reading.after("user_id")
    if author == reading.entry.actor_id:
        return _("%(actor)s became an author of the support plan of case %(case)s.", actor=reading.actor,
                 case=reading.case)
    return _("%(person)s was recorded as an author of the support plan of case %(case)s.",
             person=reading.shown("user_id", author), case=reading.case)


def _timeline_sentence(reading: Reading) -> str | None:
    if reading.action != "create":
        return None
    return _("%(actor)s added to the timeline of case %(case)s: %(kind)s, %(time)s.", actor=reading.actor,
             case=reading.case, kind=reading.shown("kind", reading.after("kind")),
             time=reading.shown("occurred_at", reading.after("occurred_at")))


def _step_sentence(reading: Reading) -> str | None:
    if reading.action != "create":
        return None
    step = reading.shown("action", reading.after("action"))
    if reading.after("detail"):
        return _("%(actor)s took the step “%(step)s” on case %(case)s: %(detail)s.", actor=reading.actor, step=step,
                 case=reading.case, detail=reading.shown("detail", reading.after("detail")))
    return _("%(actor)s took the step “%(step)s” on case %(case)s.", actor=reading.actor, step=step,
             case=reading.case)


def _review_sentence(reading: Reading) -> str | None:
    if reading.action != "create":
        return None
    if reading.after("harm"):
        return _("%(actor)s reviewed the child of case %(case)s on the criteria of Mẫu 06: %(answers)s.",
                 actor=reading.actor, case=reading.case,
                 answers="; ".join(f"{reading.narrator.label(rule.label)}: {reading.shown(key, reading.after(key))}"
                                   for key, rule in REVIEW_CRITERIA.items()))
    return _("%(actor)s reviewed the safety of the child of case %(case)s.", actor=reading.actor, case=reading.case)


def _former_scores(reading: Reading, scores) -> str:
    """The scores of a review on the former criteria, as recorded before Mẫu 06's own."""
    if not isinstance(scores, dict):
        return str(scores)
    narrator = reading.narrator
    return "; ".join(f"{narrator.label_of(FORMER_REVIEW_CRITERIA, criterion)}: {narrator.label_of(RISK_LEVELS, level)}"
                     for criterion, level in scores.items())


describe_reference("deadline", _deadlines)
describe_table(
    Case, sentence=_case_sentence,
    record=lambda reading: _("case %(case)s", case=reading.case),
    fields=_labelled("status", "risk_level", "source", "received_at", "description", "place", "immediate_danger",
                     "action_taken", "reporter_name", "reporter_contact", "reporter_may_be_named",
                     "assigned_worker_id", "closure_reason", "closure_note", "closed_at", "harm_status",
                     "harm_foreseen", "abuse_setting", "child_consent", "carer_consent", "data_ground",
                     closure_proposed_by_id=_l("Closure proposed by"), unit_id=_l("Unit"), child_id=_l("Child"),
                     reference=_l("Reference"), created_by_id=_l("Recorded by"),
                     episode_started_at=_l("Reopened at")),
    hidden=("id", "created_at", "updated_at", "version"),
    values={"status": workflow.STATUSES, "risk_level": RISK_LEVELS, "source": SOURCES,
            "closure_reason": CLOSURE_REASONS, "harm_status": HARM_STATUSES, "abuse_setting": ABUSE_SETTINGS,
            "child_consent": CHILD_CONSENTS,
            "carer_consent": CARER_CONSENTS, "data_ground": DATA_GROUNDS},
    references={"assigned_worker_id": "person", "closure_proposed_by_id": "person", "created_by_id": "person",
                "unit_id": "unit", "child_id": "child"},
    withheld_in_history=WITHHELD_IN_HISTORY)
describe_table(
    CaseCategory, sentence=_category_sentence,
    record=lambda reading: _("the categories of case %(case)s", case=reading.case),
    fields={"category": FIELDS["category"]}, hidden=("case_id",), values={"category": CATEGORIES})
describe_table(
    Deadline, sentence=_deadline_sentence, subject="deadline",
    record=lambda reading: _("the deadline “%(deadline)s” of case %(case)s", deadline=_deadline(reading),
                             case=reading.case),
    fields=_labelled("name", "due_at", "met_at"), hidden=("id", "case_id"), values={"name": DEADLINES})
describe_table(
    Assessment, sentence=_assessment_sentence,
    record=lambda reading: _("an assessment of case %(case)s", case=reading.case),
    fields=_labelled("kind", "risk_level", "answers", "summary", "meeting_minutes", created_by_id=_l("Recorded by")),
    hidden=("id", "case_id", "created_at"),
    values={"kind": ASSESSMENT_KINDS, "risk_level": RISK_LEVELS},
    references={"created_by_id": "person"}, formats={"answers": _signs_found})
describe_table(
    EmergencyMeasure, sentence=_emergency_sentence,
    record=lambda reading: _("an emergency measure of case %(case)s", case=reading.case),
    fields=_labelled("description", "taken_at", "isolation", "isolation_place", "isolation_from", "isolation_until",
                     "decided_by", "isolation_ended_on", "isolation_end_note", created_by_id=_l("Recorded by"),
                     isolation_status=_l("Decision"), isolation_with=_l("With whom"),
                     extension_authority=_l("Authority that asked for longer"),
                     extension_number=_l("Number of its request"), extension_date=_l("Date of its request"),
                     decided_by_id=_l("Commune leader who decided"), decided_at=_l("Decided at"),
                     decision_note=_l("Why it was declined"), ended_by_id=_l("Ended by")),
    hidden=("id", "case_id", "created_at"), values={"isolation_status": ISOLATION_STATUSES},
    references={"created_by_id": "person", "decided_by_id": "person", "ended_by_id": "person"})
describe_table(
    Plan, sentence=_plan_sentence,
    record=lambda reading: _("the support plan of case %(case)s", case=reading.case),
    fields=_labelled("status", "goals", "submitted_at", "decided_at", "return_reason",
                     drafted_by_id=_l("Drafted by"), decided_by_id=_l("Decided by"),
                     review_due_on=_l("Review due on")),
    hidden=("id", "case_id", "created_at"), values={"status": PLAN_STATUSES},
    references={"drafted_by_id": "person", "decided_by_id": "person"})
describe_table(
    PlanAction, sentence=_plan_action_sentence,
    record=lambda reading: _("an action of the support plan of case %(case)s", case=reading.case),
    fields={"description": _lp("support plan", "Action"), "responsible": FIELDS["responsible"],
            "due_date": FIELDS["due_date"], "done_on": _l("Done on"), "done_by_id": _l("Recorded done by")},
    hidden=("id", "plan_id"), references={"done_by_id": "person"})
describe_table(
    PlanAuthor, sentence=_plan_author_sentence,
    record=lambda reading: _("the authors of the support plan of case %(case)s", case=reading.case),
    fields={"user_id": _l("Drafted by")}, hidden=("id", "plan_id"), references={"user_id": "person"})
describe_table(
    TimelineEntry, sentence=_timeline_sentence,
    record=lambda reading: _("the timeline of case %(case)s", case=reading.case),
    fields=_labelled("kind", "occurred_at", "text", author_id=_l("Written by")),
    hidden=("id", "case_id", "created_at"), values={"kind": TIMELINE_KINDS}, references={"author_id": "person"})
describe_table(
    Review, sentence=_review_sentence,
    record=lambda reading: _("a safety review of case %(case)s", case=reading.case),
    fields={**{name: label for key, rule in REVIEW_CRITERIA.items()
               for name, label in ((key, rule.label),
                                   (f"{key}_note", _l("Note on: %(criterion)s", criterion=rule.label)))},
            "note": _l("Conclusion of the review"),
            # Entries recorded before the migration to Mẫu 06 name the former scores `scores`.
            "scores": _l("Scores on the former criteria"), "former_scores": _l("Scores on the former criteria"),
            "created_by_id": _l("Recorded by")},
    hidden=("id", "case_id", "created_at"), references={"created_by_id": "person"},
    values={key: rule.answers for key, rule in REVIEW_CRITERIA.items()},
    formats={"scores": _former_scores, "former_scores": _former_scores})
describe_table(
    CaseStep, sentence=_step_sentence,
    record=lambda reading: _("a step of case %(case)s", case=reading.case),
    fields={"action": _l("Step"), "detail": _l("What it decided"), "note": FIELDS["note"], "user_id": _l("Taken by"),
            "taken_at": _l("Taken at")},
    hidden=("id", "case_id"), values={"action": workflow.ACTIONS, "detail": STEP_DETAILS},
    references={"user_id": "person"})
describe_action("case_viewed", lambda reading: _("%(actor)s viewed case %(case)s.", actor=reading.actor,
                                                 case=reading.case))
describe_action("case_file_printed", lambda reading: _("%(actor)s printed the file of case %(case)s.",
                                                       actor=reading.actor, case=reading.case))
