"""Cases over the API (../shared/API.md, Cases): the same services and scope as the pages."""
from __future__ import annotations

from datetime import date, datetime
from functools import partial

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import record_refusal, refuse, requires
from app.api import bp
from app.api.errors import ApiError, error_response, json_body, number_argument
from app.cases import queries, services
from app.cases.models import CATEGORIES, REVIEW_CRITERIA, RISK_LEVELS, Case, EmergencyMeasure, Review
from app.cases.workflow import STATUSES
from app.children.models import Child
from app.children.services import ChildDetails, too_old_message
from app.dates import OUT_OF_RANGE, in_range
from app.deadlines.services import local_zone
from app.extensions import db
from app.input_guard import MAX_ID, whole_number
from app.orm import utcnow
from app.units.services import find_unit

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def case_json(case: Case, now: datetime | None = None) -> dict:
    now = now or utcnow()
    today = now.astimezone(local_zone()).date()
    child = case.child
    plan = case.current_plan
    return {
        "reference": case.reference, "status": case.status, "unit": case.unit.code, "categories": case.categories,
        "risk_level": case.risk_level, "source": case.source, "received_at": case.received_at.isoformat(),
        "immediate_danger": case.immediate_danger, "description": case.description, "place": case.place,
        "assigned_worker": case.assigned_worker.username if case.assigned_worker else None,
        "harm_status": case.harm_status, "harm_foreseen": case.harm_foreseen, "abuse_setting": case.abuse_setting,
        # The reporter's identity only where they agreed to be named, as on the case page.
        "reporter": ({"name": case.reporter_name, "contact": case.reporter_contact}
                     if case.reporter_may_be_named else None),
        "consent": {"child": case.child_consent, "carer": case.carer_consent, "legal_ground": case.data_ground},
        "child": {"id": child.id, "full_name": child.full_name, "description": child.description, "sex": child.sex,
                  "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
                  "birth_year": child.birth_year, "age_estimated": child.age_estimated,
                  "estimated_age_to": child.estimated_age_to,
                  "carers": [{"name": carer.name, "relationship": carer.relationship_to_child, "phone": carer.phone,
                              "age": carer.age, "occupation": carer.occupation} for carer in child.carers]},
        "deadlines": [{"name": deadline.name, "due_at": deadline.due_at.isoformat(),
                       "met_at": deadline.met_at.isoformat() if deadline.met_at else None,
                       "overdue": deadline.overdue(now)} for deadline in case.deadlines],
        "plan": None if plan is None else {"status": plan.status, "goals": plan.goals,
                                           "review_due_on": _day(plan.review_due_on),
                                           "actions": [{"id": a.id, "description": a.description,
                                                        "responsible": a.responsible,
                                                        "due_date": a.due_date.isoformat(), "done_on": _day(a.done_on),
                                                        "overdue": plan.status == "approved" and a.overdue(today)}
                                                       for a in plan.actions]},
        "closure_reason": case.closure_reason,
        "closure_note": case.closure_note,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "reviews": [review_json(review) for review in case.reviews],
        "isolations": [isolation_json(measure) for measure in case.emergency_measures if measure.isolation],
        "escalations": [{"id": e.id, "to_unit": e.to_unit.code, "reason": e.reason,
                         "explanation": e.explanation, "automatic": e.automatic,
                         "raised_at": e.raised_at.isoformat(),
                         "acknowledged_at": e.acknowledged_at.isoformat() if e.acknowledged_at else None,
                         "acknowledged_by": e.acknowledged_by.username if e.acknowledged_by else None}
                        for e in case.escalations],
        "version": case.version, "created_at": case.created_at.isoformat(), "updated_at": case.updated_at.isoformat(),
    }


def review_json(review: Review) -> dict:
    """A review on Mẫu 06's criteria, or, recorded before them, on the former ones (`criteria` says which)."""
    shared = {"id": review.id, "created_at": review.created_at.isoformat(),
              "created_by": review.created_by.username if review.created_by else None, "note": review.note}
    if review.on_former_criteria:
        return {**shared, "criteria": "former", "scores": review.former_scores or {}, "notes": {}}
    return {**shared, "criteria": "mau_06", "scores": {key: review.score(key) for key in REVIEW_CRITERIA},
            "notes": {key: review.criterion_note(key) for key in REVIEW_CRITERIA}}


def _day(value) -> str | None:
    return value.isoformat() if value else None


def isolation_json(measure: EmergencyMeasure) -> dict:
    """A temporary isolation (Decree 56/2017 art. 32, Mẫu 07): the proposal, the leader's decision, its end."""
    return {"id": measure.id, "status": measure.isolation_status, "reason": measure.description,
            "place": measure.isolation_place, "with_whom": measure.isolation_with,
            "first_day": _day(measure.isolation_from), "last_day": _day(measure.isolation_until),
            "extension_authority": measure.extension_authority, "extension_number": measure.extension_number,
            "extension_date": _day(measure.extension_date),
            "proposed_by": measure.created_by.username, "proposed_at": measure.taken_at.isoformat(),
            "decided_by": measure.decider.username if measure.decider else None,
            "decided_by_name": measure.decided_by, "decided_at": _day(measure.decided_at),
            "decision_note": measure.decision_note, "ended_on": _day(measure.isolation_ended_on),
            "end_note": measure.isolation_end_note}


class Fields:
    """Reads typed values from a JSON object, collecting every problem for one 422 answer."""

    def __init__(self, payload: dict):
        self.payload, self.problems = payload, {}

    def _fail(self, name, message):
        self.problems.setdefault(name, []).append(message)

    def text(self, name, required=False):
        value = self.payload.get(name)
        if value is None:
            if required:
                self._fail(name, _("This field is required."))
            return None
        if not isinstance(value, str):
            self._fail(name, _("Expected %(kind)s.", kind=_("a string")))
            return None
        return value

    def flag(self, name, default=False):
        value = self.payload.get(name, default)
        if not isinstance(value, bool):
            self._fail(name, _("Expected %(kind)s.", kind=_("true or false")))
            return default
        return value

    def strings(self, name):
        value = self.payload.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self._fail(name, _("Expected %(kind)s.", kind=_("a list")))
            return []
        return value

    def day(self, name):
        value = self.text(name)
        try:
            day = date.fromisoformat(value) if value else None
        except ValueError:
            self._fail(name, _("Expected a date (YYYY-MM-DD)."))
            return None
        if not in_range(day):
            self._fail(name, str(OUT_OF_RANGE))
            return None
        return day

    def moment(self, name, required=False):
        value = self.text(name, required)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self._fail(name, _("Expected a time in ISO 8601 with its offset, e.g. 2024-03-09T08:30:00+07:00."))
            return None
        if not in_range(moment):
            self._fail(name, str(OUT_OF_RANGE))
            return None
        return moment

    def whole(self, name):
        value = self.payload.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_ID):
            self._fail(name, _("Expected %(kind)s.", kind=_("a whole number")))
            return None
        return value

    def check(self):
        if self.problems:
            raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), self.problems)


REFUSAL_CODES = {403: "forbidden", 409: "conflict", 412: "stale_version", 422: "invalid_fields",
                 428: "precondition_required"}


@bp.errorhandler(services.CaseRefused)
def refused(refusal: services.CaseRefused):
    """Every service refusal (cases, referrals, escalations) answers in the API's error format; nothing is kept."""
    db.session.rollback()
    if refusal.status == 403:
        record_refusal(403)
    more = {}
    if isinstance(refusal, services.StaleVersion):
        more["changes"] = [{"at": change["at"].isoformat(), "actor": change["actor"], "fields": change["fields"]}
                           for change in refusal.changes]
    return error_response(refusal.status, REFUSAL_CODES[refusal.status], str(refusal), refusal.fields or None,
                          **more)


def case_or_404(reference: str) -> Case:
    case = queries.get_case(current_user, reference)
    if case is None:
        refuse(404, entity="cases", entity_id=reference)
    return case


def _version_from_if_match(required: bool) -> int | None:
    header = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if not header:
        if required:
            raise ApiError(428, "precondition_required", _("Send the version you saw in If-Match."))
        return None
    version = whole_number(header)
    if version is None:
        raise ApiError(412, "stale_version", _("If-Match must be the case's version, as its ETag gives it."))
    return version


def _report_from(fields: Fields) -> services.Report:
    return services.Report(
        source=fields.text("source", required=True) or "", received_at=fields.moment("received_at", required=True),
        categories=fields.strings("categories"), description=fields.text("description", required=True) or "",
        immediate_danger=fields.flag("immediate_danger"), reporter_name=fields.text("reporter_name"),
        reporter_contact=fields.text("reporter_contact"),
        reporter_may_be_named=fields.flag("reporter_may_be_named"), place=fields.text("place"),
        action_taken=fields.text("action_taken"), harm_status=fields.text("harm_status"),
        harm_foreseen=fields.text("harm_foreseen"), abuse_setting=fields.text("abuse_setting"),
        child_consent=fields.text("child_consent"),
        carer_consent=fields.text("carer_consent"), data_ground=fields.text("data_ground"))


def _child_from(payload: dict, fields: Fields) -> ChildDetails | None:
    child = payload.get("child")
    if child is None:
        return None
    if not isinstance(child, dict):
        fields._fail("child", _("Expected %(kind)s.", kind=_("an object")))
        return None
    inner = Fields(child)
    carers = child.get("carers", [])
    if not isinstance(carers, list) or not all(isinstance(carer, dict) for carer in carers):
        inner._fail("carers", _("Expected %(kind)s.", kind=_("a list")))
        carers = []
    address = inner.text("address_unit")
    address_unit = find_unit(address) if address else None
    if address and address_unit is None:
        inner._fail("address_unit", _("No unit has the code %(code)s.", code=address))
    details = ChildDetails(
        full_name=inner.text("full_name") or "", sex=inner.text("sex", required=True) or "",
        description=inner.text("description"), estimated_age=inner.whole("estimated_age"),
        estimated_age_to=inner.whole("estimated_age_to"),
        date_of_birth=inner.day("date_of_birth"), birth_year=inner.whole("birth_year"),
        other_names=inner.text("other_names"), id_number=inner.text("id_number"), ethnicity=inner.text("ethnicity"),
        address_unit=address_unit, address_detail=inner.text("address_detail"),
        school=inner.text("school"), special_circumstances=inner.strings("special_circumstances"),
        carers=_carers(carers, inner))
    for name, messages in inner.problems.items():
        fields.problems[f"child.{name}"] = messages
    return details


def _carers(carers: list[dict], fields: Fields) -> list[dict]:
    read = []
    for carer in carers:
        inner = Fields(carer)
        read.append({**{key: inner.text(key) for key in ("name", "relationship", "phone", "occupation")},
                     "age": inner.whole("age")})
        if inner.problems:
            fields._fail("carers", _("Each carer's name, relationship, phone and occupation are strings, and the "
                                     "age a whole number."))
    return read


@bp.post("/cases")
@requires("cases.create")
def create_case():
    payload = json_body({})
    fields = Fields(payload)
    unit_code = fields.text("unit", required=True)
    report = _report_from(fields)
    details = _child_from(payload, fields)
    child_id = fields.whole("child_id")
    if details is None and child_id is None:
        fields._fail("child", _("Give the child's details, or the id of a child on record."))
    fields.check()
    unit = find_unit(unit_code)
    if unit is None:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."),
                       {"unit": [_("There is no unit with code %(code)s in the current list.", code=unit_code)]})
    child = db.session.get(Child, child_id) if child_id is not None else None
    if child_id is not None and child is None:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."),
                       {"child_id": [_("There is no such child in your area.")]})
    try:
        case = services.open_case(current_user, unit, report, child=child, child_details=details)
    except services.CaseRefused as refusal:
        raise _prefix_child_fields(refusal) from None
    response = jsonify(case_json(case))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_case", reference=case.reference)
    response.headers["ETag"] = f'"{case.version}"'
    return response


def _prefix_child_fields(refusal: services.CaseRefused) -> services.CaseRefused:
    child_fields = {"full_name", "description", "estimated_age", "estimated_age_to", "sex", "date_of_birth",
                    "birth_year", "id_number", "other_names", "ethnicity",
                    "address_unit", "address_detail", "school", "special_circumstances", "carers"}
    refusal.fields = {(f"child.{name}" if name in child_fields else name): messages
                      for name, messages in refusal.fields.items()}
    # API.md: a person 16 or older on the day of the report is refused under `child` (Law on Children art. 1).
    too_old = too_old_message()
    if any(too_old in messages for messages in refusal.fields.values()):
        refusal.fields.setdefault("child", []).append(too_old)
    return refusal


@bp.get("/cases")
@requires("cases.read")
def list_cases():
    problems: dict[str, list[str]] = {}
    limit = number_argument("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems)
    page = number_argument("page", 1, 1, 100_000, problems)
    for name, allowed in (("status", STATUSES), ("category", CATEGORIES), ("risk", RISK_LEVELS),
                          ("sort", queries.SORTS), ("overdue", ("true", "false")),
                          ("aged_16_or_over", ("true", "false"))):
        value = request.args.get(name)
        if value and value not in allowed:
            problems[name] = [_("Expected one of: %(values)s.", values=", ".join(allowed))]
    unit = request.args.get("unit")
    if unit and find_unit(unit) is None:
        problems["unit"] = [_("No unit has the code %(code)s.", code=unit)]
    if problems:
        raise ApiError(422, "invalid_fields", _("Some fields are missing or invalid."), problems)
    filters = queries.CaseFilter(status=request.args.get("status") or None,
                                 category=request.args.get("category") or None,
                                 risk=request.args.get("risk") or None, unit=request.args.get("unit") or None,
                                 worker=request.args.get("worker") or None,
                                 overdue=request.args.get("overdue") == "true", q=request.args.get("q") or None,
                                 aged_16_or_over=request.args.get("aged_16_or_over") == "true",
                                 sort=request.args.get("sort") or "received")
    now = utcnow()
    result = queries.page_of(current_user, filters, now, page, limit)
    next_url = None
    if result.has_next:
        arguments = {key: value for key, value in request.args.items() if key != "page"}
        next_url = url_for("api.list_cases", page=result.number + 1, _external=True, **arguments)
    response = jsonify({"items": [case_json(case, now) for case in result.items], "next": next_url})
    services.record_views(result.items)
    return response


@bp.get("/cases/<reference>")
@requires("cases.read")
def get_case(reference):
    case = case_or_404(reference)
    response = jsonify(case_json(case))
    response.headers["ETag"] = f'"{case.version}"'
    services.record_view(case)
    return response


@bp.patch("/cases/<reference>")
@requires("cases.read")
def patch_case(reference):
    case = case_or_404(reference)
    fields = Fields(json_body({}))
    changes = _changes(fields)
    fields.check()
    # A request that cannot be read is refused as such (400, 422) before its precondition is weighed.
    version = _version_from_if_match(required=True)
    services.edit_case(case, current_user, changes, version)
    response = jsonify(case_json(case))
    response.headers["ETag"] = f'"{case.version}"'
    return response


def _changes(fields: Fields) -> dict:
    """A PATCH body's changes, each read as its type; names the case does not let change go on to be refused."""
    readers = {"description": fields.text, "place": fields.text, "action_taken": fields.text,
               "reporter_name": fields.text, "reporter_contact": fields.text, "assigned_worker": fields.text,
               "harm_status": fields.text, "harm_foreseen": fields.text, "abuse_setting": fields.text,
               "child_consent": fields.text,
               "carer_consent": fields.text, "data_ground": fields.text,
               "immediate_danger": fields.flag, "reporter_may_be_named": fields.flag, "categories": fields.strings}
    return {name: readers[name](name) if name in readers else value for name, value in fields.payload.items()}


def _planned_actions(fields: Fields) -> list[services.PlannedAction]:
    actions = fields.payload.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(action, dict) for action in actions):
        fields._fail("actions", _("Expected %(kind)s.", kind=_("a list")))
        return []
    planned = []
    for action in actions:
        inner = Fields(action)
        planned.append(services.PlannedAction(inner.text("description") or "", inner.text("responsible") or "",
                                              inner.day("due_date")))
        if inner.problems:
            fields._fail("actions", _("Each action needs what is to be done, who is responsible, and by when."))
    return planned


def _prepare(case: Case, step: str, fields: Fields):
    """Read the step's fields from the JSON body, and return the service call to make with them, but for the
    version seen (none for the timeline)."""
    user = current_user._get_current_object()
    if step == "assessment":
        return partial(services.assess, case, user, _answers(fields), fields.text("summary"))
    if step == "detailed-assessment":
        return partial(services.record_detailed_assessment, case, user, fields.text("summary") or "",
                       fields.text("meeting_minutes"))
    if step == "emergency-measures":
        if fields.flag("isolation"):
            # Isolation is the commune chairman's decision (Decree 56/2017 art. 32): proposed, then decided.
            fields._fail("isolation", _("A temporary isolation is proposed (isolation-proposal) and decided by a "
                                        "commune leader (isolation-decision)."))
        return partial(services.record_emergency, case, user, services.Emergency(
            description=fields.text("description") or "", taken_at=fields.moment("taken_at", required=True)))
    if step == "isolation-proposal":
        return partial(services.propose_isolation, case, user, services.IsolationProposal(
            reason=fields.text("reason") or "", place=fields.text("place") or "",
            with_whom=fields.text("with_whom") or "", first_day=fields.day("first_day"),
            last_day=fields.day("last_day"), extension_authority=fields.text("extension_authority"),
            extension_number=fields.text("extension_number"), extension_date=fields.day("extension_date")))
    if step == "isolation-refusal":
        return partial(services.decline_isolation, case, user, fields.text("reason") or "")
    if step == "isolation-end":
        return partial(services.end_isolation, case, user, fields.day("ended_on"), fields.text("note") or "")
    if step in ("plan", "new-plan"):
        write = services.draft_plan if step == "plan" else services.new_plan
        planned, review_due_on = _planned_actions(fields), fields.day("review_due_on")
        return lambda version: write(case, user, fields.text("goals") or "", planned, version, review_due_on)
    if step == "plan-action-done":
        return partial(services.complete_action, case, user, fields.whole("action"), fields.day("done_on"))
    if step == "timeline":
        return partial(services.log, case, user, fields.text("kind") or "",
                       fields.moment("occurred_at", required=True), fields.text("text") or "")
    if step == "review":
        return partial(services.review, case, user, _scores(fields, "scores"), fields.text("note"),
                       notes=_scores(fields, "notes"))
    if step in ("plan-return", "reopening"):
        act = services.return_plan if step == "plan-return" else services.reopen
        return partial(act, case, user, fields.text("reason") or "")
    if step == "closure-proposal":
        return partial(services.propose_closure, case, user, fields.text("reason") or "", fields.text("note"))
    act = {"plan-submission": services.submit_plan, "plan-approval": services.approve_plan,
           "closure-approval": services.approve_closure, "isolation-decision": services.decide_isolation}[step]
    return partial(act, case, user)


def _answers(fields: Fields) -> dict:
    answers = fields.payload.get("answers", {})
    if not isinstance(answers, dict) or not all(isinstance(value, bool) for value in answers.values()):
        fields._fail("answers", _("Expected %(kind)s.", kind=_("an object")))
        return {}
    return answers


def _scores(fields: Fields, name: str) -> dict:
    """A review's `scores` (each criterion of Mẫu 06 at `high`, `medium` or `low`) or its `notes` (text by
    criterion)."""
    given = fields.payload.get(name, {})
    if not isinstance(given, dict) or not all(isinstance(value, str) for value in given.values()):
        fields._fail(name, _("Expected an object with a text for each criterion of Mẫu 06: %(criteria)s.",
                             criteria=", ".join(REVIEW_CRITERIA)))
        return {}
    return given


STEPS = ("assessment", "detailed-assessment", "emergency-measures", "isolation-proposal", "isolation-decision",
         "isolation-refusal", "isolation-end", "plan", "new-plan", "plan-action-done",
         "plan-submission", "plan-approval", "plan-return", "timeline", "review", "closure-proposal",
         "closure-approval", "reopening")
CREATING_STEPS = {"assessment", "detailed-assessment", "emergency-measures", "isolation-proposal", "plan", "new-plan",
                  "timeline", "review"}


@bp.post("/cases/<reference>/<any(" + ", ".join(f'"{step}"' for step in STEPS) + "):step>")
@requires("cases.read")
def case_step(reference, step):
    """One step of the case: POST /cases/{reference}/{step} with If-Match (412 when stale); a timeline entry,
    which changes nothing anyone saw, needs none."""
    case = case_or_404(reference)
    fields = Fields(json_body({}) if request.get_data() else {})
    run = _prepare(case, step, fields)
    fields.check()
    # A request that cannot be read is refused as such (400, 422) before its precondition is weighed.
    if step == "timeline":
        run()
    else:
        run(_version_from_if_match(required=True))
    response = jsonify(case_json(case))
    response.status_code = 201 if step in CREATING_STEPS else 200
    response.headers["ETag"] = f'"{case.version}"'
    return response
