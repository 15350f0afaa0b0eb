"""The OpenAPI 3 description of the API; each area adds its paths here as it adds endpoints.

Every operation lists the answers it can give and every request states the limits the server enforces, so that
a client (and the suite's Schemathesis run, tests/api/test_schema_fuzzing.py) can rely on it. The enums are read
from the same tables the services check.
"""
from flask import jsonify

from app.api import bp
from app.attachments.models import KINDS, MEDIA_TYPES, SIGNED_FORMS
from app.audit.models import MAX_ENTRY_ID, AuditEntry
from app.cases.checklist import QUESTIONS
from app.cases.models import (CARER_CONSENTS, CATEGORIES, CHILD_CONSENTS, CLOSURE_REASONS, DATA_GROUNDS,
                              HARM_STATUSES, REVIEW_CRITERIA, REVIEW_LEVELS, RISK_LEVELS, SOURCES, TIMELINE_KINDS)
from app.cases.queries import SORTS
from app.cases.workflow import STATUSES
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES
from app.documents.statutory import FORMS
from app.input_guard import MAX_ID, MAX_JSON_DEPTH
from app.referrals.models import CONSENTS
from app.referrals.queries import BOXES
from app.referrals.workflow import ACTIONS as REFERRAL_ACTIONS, STATUSES as REFERRAL_STATUSES
from app.register.groups import GROUPS, LIVING_PLACES, SUB_CASES, SUPPORT_KINDS
from app.units.models import Unit

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "example": "invalid_fields"},
                "message": {"type": "string", "description": "Human text in the language of Accept-Language."},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                "changes": {"type": "array", "items": {"type": "object"},
                            "description": "With 412: who changed what since the version sent."},
            },
        }
    },
}

# What each error status means wherever it is listed.
ERRORS = {
    400: f"Malformed request: a body that is not a JSON object, nests deeper than {MAX_JSON_DEPTH} levels, or "
         "holds text no database can store (a NUL character, a lone surrogate)",
    401: "No valid bearer token",
    403: "This role, or this person, may not do this (for a token: approval_pending, the account's access to cases "
         "waits for a second person's approval)",
    404: "Absent, or out of the caller's scope",
    409: "Not possible in the record's present state",
    412: "If-Match names another version than the current one; the error lists the changes since",
    410: "gone: what was asked for is no longer held (a file missing from the store)",
    413: "too_large: the request body is larger than the limit (an upload: the largest file and 1 MB more); it is "
         "refused before it is read, and nothing is stored",
    422: "Missing or invalid fields; the error's `fields` say which and why",
    428: "If-Match is missing",
    429: "too_many_requests: too many attempts from this address, or too many wrong passwords for this account from "
         "here, or (an upload) too many files from this account in the last hour; try again after Retry-After "
         "seconds",
    503: "The database cannot be reached just now (it may be restarting), or the server is busy checking other "
         "passwords (busy). With the code unavailable or busy nothing was saved: try again after Retry-After "
         "seconds. With unavailable_after_saving the change was saved but could not be shown: read it again, do "
         "not send it again.",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer"}}}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": "string", "nullable": True}
MOMENT = {"type": "string", "format": "date-time"}
NULLABLE_MOMENT = {"type": "string", "format": "date-time", "nullable": True}
DAY = {"type": "string", "format": "date"}
NULLABLE_DAY = {"type": "string", "format": "date", "nullable": True}
FLAG = {"type": "boolean"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
UNIT_CODE = {"type": "string", "minLength": 1, "maxLength": Unit.code.type.length, "description": "Unit code"}


def text(limit: int, required: bool = False) -> dict:
    """A string of at most `limit` characters; a required one is not empty."""
    return {"type": "string", "maxLength": limit, **({"minLength": 1} if required else {})}


def chosen(values) -> dict:
    """A query filter: one of `values`, or empty for none."""
    return {"type": "string", "enum": [*values, ""], "description": "Empty: no filter"}


def one_of(values, nullable: bool = False) -> dict:
    return {"type": "string", "enum": [*values, *([None] if nullable else [])], **({"nullable": True} if nullable
                                                                                    else {})}


def _error(status: int) -> dict:
    answer = {"description": ERRORS[status],
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if status in (429, 503):
        answer["headers"] = RETRY_AFTER
    return answer


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _pdf(description: str) -> dict:
    return {"description": description,
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


def operation(summary: str, answers: dict, errors: tuple[int, ...], parameters: list | None = None,
              body: dict | None = None, public: bool = False) -> dict:
    """One operation: its successful `answers` by status, and the error statuses it can give beyond those that any
    request can (400 and 503; 401 unless `public`)."""
    statuses = {400, 503, *errors} | (set() if public else {401})
    documented = {"summary": summary, "parameters": [ACCEPT_LANGUAGE, *(parameters or [])],
                  "responses": {**{str(status): answer for status, answer in answers.items()},
                                **{str(status): _error(status) for status in sorted(statuses)}}}
    if body is not None:
        documented["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if public:
        documented["security"] = []
    return documented


def query(name: str, schema: dict, description: str = "", required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            **({"description": description} if description else {})}


def path(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def body(properties: dict, required: tuple[str, ...] = (), closed: bool = False) -> dict:
    """A JSON object; `closed` when the server refuses names it does not know."""
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


ACCEPT_LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"},
                   "description": "vi (the default) or en: the language of messages and documents"}
IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
            "description": "The case's version as its ETag gave it, e.g. \"3\""}
REFERENCE = path("reference", {"type": "string", "example": "HD-10933-2024-0007"})
NUMBER = path("number", ID)
LIMIT = query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50})
OFFSET = query("offset", {"type": "integer", "minimum": 0, "maximum": 10_000_000, "default": 0})
AUDIT_FILTERS = [
    query("case", text(AuditEntry.case_ref.type.length), "Case reference"),
    query("actor", text(AuditEntry.actor.type.length), "Username"),
    query("action", text(AuditEntry.action.type.length), "Action key"),
    query("unit", text(Unit.code.type.length), "Unit code: that unit's subtree"),
    query("since", TEXT, "YYYY-MM-DD (a day in Viet Nam time) or an ISO 8601 time"),
    query("until", TEXT, "YYYY-MM-DD (included) or an ISO 8601 time")]

CHILD = body({
    "full_name": {**text(200), "description": "Left out or empty when the reporter does not know it: description "
                  "then says who the child is (Mẫu 01)"},
    "description": {**text(2000), "description": "Who the child is, when the name is not known"},
    "sex": {**one_of(SEXES), "description": "unknown when the reporter does not know it (Mẫu 01)"},
    "date_of_birth": DAY,
    "birth_year": {"type": "integer", "minimum": -MAX_ID, "maximum": MAX_ID, "description": "When the date is not "
                   "known"},
    "estimated_age": {"type": "integer", "minimum": -MAX_ID, "maximum": MAX_ID, "description": "Whole years, when "
                      "neither the date nor the year of birth is known (Mẫu 01); under 16"},
    "estimated_age_to": {"type": "integer", "minimum": -MAX_ID, "maximum": MAX_ID, "description": "With "
                         "estimated_age, the end of an age range (\"8 to 10\"): above estimated_age, at most 120"},
    "id_number": text(12), "other_names": text(200), "ethnicity": text(80),
    "address_unit": {**text(Unit.code.type.length), "description": "The code of the commune where the child "
                     "lives, in the list of units in force; left out or empty: unknown"},
    "address_detail": text(300), "school": text(200),
    "special_circumstances": {"type": "array", "items": one_of(SPECIAL_CIRCUMSTANCES)},
    "carers": {"type": "array", "items": body({"name": text(200, required=True),
                                               "relationship": text(80, required=True),
                                               "phone": {"type": "string", "pattern": r"^\+?[0-9 .-]{6,20}$"},
                                               "age": {"type": "integer", "minimum": 10, "maximum": 120},
                                               "occupation": text(120)},
                                              required=("name", "relationship"))}},
    required=("sex",))
REPORT = {"source": one_of(SOURCES), "received_at": MOMENT,
          "categories": {"type": "array", "minItems": 1, "items": one_of(CATEGORIES)},
          "description": text(20000, required=True), "immediate_danger": FLAG, "reporter_name": text(200),
          "reporter_contact": text(100), "reporter_may_be_named": FLAG, "place": text(300),
          "action_taken": text(20000),
          "harm_status": {**one_of(HARM_STATUSES), "description": "Mẫu 01: the child is abused, or at risk of "
                          "abuse; left out: not recorded"},
          "harm_foreseen": text(20000),
          "child_consent": {**one_of(CHILD_CONSENTS), "description": "Whether the child agreed to their data being "
                            "kept; under_7 only for a child under 7 (Law on Children arts. 6.11, 21)"},
          "carer_consent": one_of(CARER_CONSENTS),
          "data_ground": {**one_of(DATA_GROUNDS), "description": "The legal ground for keeping the data, required "
                          "exactly when the child or the carer did not agree or no carer could be asked"}}
PLANNED_ACTION = body({"description": text(2000, required=True), "responsible": text(200, required=True),
                       "due_date": DAY}, required=("description", "responsible", "due_date"))
PLAN = body({"goals": text(20000, required=True),
             "actions": {"type": "array", "minItems": 1, "items": PLANNED_ACTION},
             "review_due_on": {**DAY, "description": "The day of the review (Mẫu 06), after today; left out: 3 "
                               "months after the plan's approval"}}, required=("goals", "actions"))
REASON = body({"reason": text(5000, required=True)}, required=("reason",))

# Each step of a case: (summary, its body or None, 201 when it adds a record, If-Match required).
STEPS = {
    "assessment": ("The initial assessment: the checklist's answers give the risk.",
                   body({"answers": body({key: FLAG for key in QUESTIONS}, closed=True),
                         "summary": text(20000)}), True, True),
    "detailed-assessment": ("The detailed assessment and the case meeting's minutes.",
                            body({"summary": text(20000, required=True), "meeting_minutes": text(50000)},
                                 required=("summary",)), True, True),
    "emergency-measures": ("Emergency measures (Decree 56/2017 art. 26.3). A temporary isolation is not recorded "
                           "here: `isolation: true` answers 422; it is proposed and decided (isolation-proposal, "
                           "isolation-decision).",
                           body({"description": text(20000, required=True), "taken_at": MOMENT,
                                 "isolation": {"type": "boolean", "enum": [False]}},
                                required=("description", "taken_at")), True, True),
    "isolation-proposal": ("Propose a temporary isolation (Decree 56/2017 art. 32, Mẫu 07): why, where, with whom, "
                           "from first_day to last_day, 15 days at most; longer only with the competent authority's "
                           "written request (extension_authority, extension_number, extension_date). One proposal "
                           "waits at a time.",
                           body({"reason": text(20000, required=True), "place": text(300, required=True),
                                 "with_whom": text(300, required=True), "first_day": DAY, "last_day": DAY,
                                 "extension_authority": text(300), "extension_number": text(60),
                                 "extension_date": DAY},
                                required=("reason", "place", "with_whom", "first_day", "last_day")), True, True),
    "isolation-decision": ("A commune leader decides the proposed isolation; the decision names them, answers the "
                           "12-hour deadline and sets the isolation_end deadline.", None, False, True),
    "isolation-refusal": ("A commune leader declines the proposed isolation, saying why.", REASON, False, True),
    "isolation-end": ("The end of the temporary isolation, and what followed for the child; before its last day, "
                      "only a commune leader may end it (403 for others).",
                      body({"ended_on": DAY, "note": text(5000, required=True)}, required=("ended_on", "note")),
                      False, True),
    "plan": ("Draft (or redraft) the support plan.", PLAN, True, True),
    "new-plan": ("A new plan for a case whose plan is in progress.", PLAN, True, True),
    "plan-action-done": ("Record an action of the approved plan as done (action: its id in plan.actions). Actions "
                         "past their due_date and not done are overdue: the case's plan_action deadline runs to the "
                         "earliest one.",
                         body({"action": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "done_on": DAY},
                              required=("action", "done_on")), False, True),
    "plan-submission": ("Submit the plan for a commune leader's approval.", None, False, True),
    "plan-approval": ("Approve the plan (a commune leader who wrote no version of it).", None, False, True),
    "plan-return": ("Return the plan to its authors, saying why.", REASON, False, True),
    "timeline": ("Add to the timeline; changes nothing anyone saw, so needs no If-Match.",
                 body({"kind": one_of(TIMELINE_KINDS), "occurred_at": MOMENT, "text": text(20000, required=True)},
                      required=("kind", "occurred_at", "text")), True, False),
    "review": ("Review the child's situation after the plan on the criteria of Mẫu 06 (Decree 56/2017 art. 30): "
               "harm (does the harm or its risk remain), abuser_access (can the person who harmed the child still "
               "reach them), care_obstacles (obstacles to safety in the care setting), self_protection (the "
               "child's ability to protect themselves and recover). Each is scored as the form scores it; for the "
               "first three `low` is good, for self_protection `high` is.",
               body({"scores": body({key: one_of(REVIEW_LEVELS) for key in REVIEW_CRITERIA},
                                    required=tuple(REVIEW_CRITERIA), closed=True),
                     "notes": body({key: text(5000) for key in REVIEW_CRITERIA}, closed=True),
                     "note": {**text(20000), "description": "The conclusion of the review"}},
                    required=("scores",)), True, True),
    "closure-proposal": ("Propose to close the case. Every reason but moved_away, died and turned_16 needs a "
                         "review recorded after the last approved plan (409 otherwise, naming what is missing).",
                         body({"reason": {**one_of(CLOSURE_REASONS), "description": "turned_16 only once the child "
                                          "has turned 16 (Law on Children art. 1)"},
                               "note": {**text(5000), "description": "Required when the reason is other (what it "
                                        "is) or moved_away (where the file was handed over)"}},
                              required=("reason",)), False, True),
    "closure-approval": ("Approve the closure (a commune leader); its reason is recorded with the approval. 409 "
                         "when the review the reason needs is missing.", None, False, True),
    "reopening": ("Open a closed case again for a new assessment.", REASON, False, True),
}


def _step(name: str) -> dict:
    summary, schema, creates, versioned = STEPS[name]
    answer = {201 if creates else 200: _json("The case", {"$ref": "#/components/schemas/Case"})}
    errors = (403, 404, 409, 422) + ((412, 428) if versioned else ())
    documented = operation(summary, answer, errors, [IF_MATCH] if versioned else [], body=schema)
    if schema is None:
        documented["requestBody"] = {"required": False,
                                     "content": {"application/json": {"schema": {"type": "object"}}}}
    return {"parameters": [REFERENCE], "post": documented}


ATTACHMENT_NUMBER = path("number", ID)
ATTACHMENT_UPLOAD = {
    "type": "object", "required": ["file", "kind"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "JPEG, PNG, HEIC (stored as JPEG) or PDF, "
                 "read from the content, not the name; at most ATTACHMENT_MAX_BYTES (20 MB). Images are stored "
                 "without their location and camera metadata."},
        "kind": one_of(KINDS),
        "description": {**text(1000), "description": "What the file shows; left out: the kind and the file's name"},
        "made_on": {**DAY, "description": "The day the photo or document was made; left out: today"},
        "form": {**one_of(SIGNED_FORMS), "description": "With kind signed_form: which form of Decree 56/2017 (01 to "
                 "07)"},
        "decision": {**text(40), "description": "With form 05 or 07: the decision's number in the register, as "
                     "printed (12/QĐ-UBND) or the number alone; the scan then closes that decision's loop"},
    },
}



# The statistics and the indicators answer alike: the figures of a unit's subtree for a period, in four formats.
FIGURES_OF_A_PERIOD = (
    {200: {"description": "The figures", "content": {
        "application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": TEXT},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}}}}},
    (403, 404, 422),
    [path("fmt", one_of(("pdf", "csv", "json", "xlsx"))),
     query("unit", TEXT, "Unit code; a unit a reorganisation ended as EDITION/CODE (2024/30)"),
     query("from", DAY, "First day, included", required=True),
     query("to", DAY, "Last day, included", required=True)],
)

def _file_answer(description: str) -> dict:
    return {"description": description,
            "headers": {"Content-Disposition": {"description": "attachment; filename=\"<case>-<id>.<ext>\"",
                                                "schema": TEXT}},
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}
                        for media_type in MEDIA_TYPES}}


ATTACHMENT_PAGE = {"type": "object", "required": ["items", "next"],
                   "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Attachment"}},
                                  "next": {"type": "string", "nullable": True}}}
ATTACHMENT_PATHS = {
    "/cases/{reference}/attachments": {
        "parameters": [REFERENCE],
        "post": {**operation(
            "Attach a file to the case (multipart/form-data). The type is read from the content; anything but JPEG, "
            "PNG, HEIC and PDF, a damaged image or one too large to decode answers 422 and nothing is stored. "
            "sha256 is that of the bytes stored (after metadata is removed), original_sha256 that of the bytes "
            "sent. Limited per account and hour (ATTACHMENT_UPLOADS_PER_HOUR).",
            {201: _json("The attachment", {"$ref": "#/components/schemas/Attachment"})},
            (403, 404, 413, 422, 429)),
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": ATTACHMENT_UPLOAD}}}},
        "get": operation(
            "The case's files, newest first; withdrawn=true adds the withdrawn ones, held for those who read the "
            "audit trail (inspectors, province officers; for others it adds none).",
            {200: _json("{items, next}", ATTACHMENT_PAGE)},
            (403, 404, 422),
            [query("withdrawn", {**one_of(("true", "false")), "default": "false"}),
             query("page", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}), LIMIT])},
    "/attachments/{number}": {
        "parameters": [ATTACHMENT_NUMBER],
        "get": operation("The file's bytes, as stored, with Content-Disposition: attachment. Each download is an "
                         "audit entry (attachment_viewed). 409 (conflict) when the stored bytes no longer match the "
                         "hash recorded, 410 (gone) when they are missing from the store: neither is handed out.",
                         {200: _file_answer("The file")}, (403, 404, 409, 410))},
    "/attachments/{number}/withdraw": {
        "parameters": [ATTACHMENT_NUMBER],
        "post": operation("Withdraw the file, saying why: it leaves the case's list, and stays held for inspectors "
                          "and the trail. A file is never replaced or edited.",
                          {200: _json("The attachment", {"$ref": "#/components/schemas/Attachment"})},
                          (403, 404, 409, 422), body=REASON)},
}

# Both with and without the ".pdf" suffix (../shared/API.md names the first).
STATUTORY_FORM = {
    "parameters": [REFERENCE, path("form", one_of(FORMS))],
    "get": operation(
        "A statutory form of Decree 56/2017 (mau-01 report, mau-02 initial assessment, mau-03 detailed assessment, "
        "mau-04 plan, mau-05 decision approving the plan, mau-06 review, mau-07 decision on temporary isolation), "
        "filled from the case and printed in Vietnamese for signature, with the national header. A decision made (an "
        "approved plan, an isolation recorded) carries its number from the unit's register of decisions, given the "
        "first time it is printed and kept for good; a step not yet taken prints blank, with dotted lines, where the "
        "case may take it now. 404 for a form the case has not reached. The printing is recorded.",
        {200: _pdf("The form")}, (403, 404))}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Child-protection case management API",
        "version": "1",
        "description": "Bearer tokens from POST /tokens; errors as {\"error\": {...}}; times in ISO 8601, UTC stored.",
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": ERROR_SCHEMA,
            "Token": {"type": "object", "required": ["token", "expires_at"],
                      "properties": {"token": TEXT, "expires_at": MOMENT}},
            "AuditEntry": {"type": "object", "properties": {
                "id": {"type": "integer"}, "at": MOMENT,
                "actor": {"type": "string", "nullable": True,
                          "description": "Username; `db:<role>` for a change made outside the application"},
                "role": NULLABLE_TEXT, "unit": NULLABLE_TEXT, "action": TEXT, "entity": NULLABLE_TEXT,
                "entity_id": NULLABLE_TEXT, "case": NULLABLE_TEXT,
                "changes": {"type": "object", "nullable": True,
                            "description": "{field: [before, after]} for a change; details for other actions"},
                "ip": NULLABLE_TEXT, "request_id": NULLABLE_TEXT, "hash": TEXT, "prev_hash": TEXT}},
            "Referral": {"type": "object", "description": "id, case (reference), from_unit, to_unit (code or null), "
                         "provider ({id, name, kind} or null), receiving_unit, status, urgent, transfer, reason, "
                         "service, consent, approval_needed, approval_due_at, approved_at, approved_by, sent_at, "
                         "answer_due_at, answered_at, completed_at, closing_reason, created_at, updated_at, version.",
                         "required": ["id", "case", "from_unit", "to_unit", "status", "urgent", "reason",
                                      "created_at"],
                         "properties": {"id": {"type": "integer"}, "case": TEXT, "from_unit": TEXT,
                                        "to_unit": NULLABLE_TEXT, "status": one_of(REFERRAL_STATUSES),
                                        "urgent": FLAG, "reason": TEXT, "created_at": MOMENT}},
            "Escalation": {"type": "object", "description": "id, case, from_unit, to_unit, reason (as recorded), "
                           "explanation (the reason in the Accept-Language: an automatic one written again from what "
                           "was missed), automatic, level, raised_at, acknowledged_at, acknowledged_by.",
                           "required": ["id", "to_unit", "reason", "automatic", "raised_at", "acknowledged_at",
                                        "acknowledged_by"],
                           "properties": {"id": {"type": "integer"}, "to_unit": TEXT, "reason": TEXT,
                                          "automatic": FLAG, "raised_at": MOMENT, "acknowledged_at": NULLABLE_MOMENT,
                                          "acknowledged_by": NULLABLE_TEXT}},
            "Case": {"type": "object", "description": "A case, as ../shared/API.md lists it, and more.",
                     "required": ["reference", "status", "unit", "categories", "version"],
                     "properties": {
                         "reference": {"type": "string", "example": "HD-10933-2024-0007"},
                         "status": one_of(STATUSES), "unit": TEXT,
                         "categories": {"type": "array", "items": one_of(CATEGORIES)},
                         "risk_level": one_of(RISK_LEVELS, nullable=True), "source": one_of(SOURCES),
                         "received_at": MOMENT, "immediate_danger": FLAG, "description": TEXT,
                         "place": NULLABLE_TEXT, "assigned_worker": NULLABLE_TEXT,
                         "child": {"type": "object"}, "deadlines": {"type": "array", "items": {"type": "object"}},
                         "plan": {"type": "object", "nullable": True,
                                  "description": "status, goals, review_due_on (the Mẫu 06 review's day), actions: "
                                  "{id, description, responsible, due_date, done_on, overdue}"},
                         "closure_reason": one_of(CLOSURE_REASONS, nullable=True),
                         "harm_status": one_of(HARM_STATUSES, nullable=True), "harm_foreseen": NULLABLE_TEXT,
                         "reporter": {"type": "object", "nullable": True, "description": "{name, contact} where "
                                      "the reporter agreed to be named, else null"},
                         "consent": {"type": "object", "description": "{child, carer, legal_ground}: null where "
                                     "not recorded"},
                         "closure_note": NULLABLE_TEXT, "closed_at": NULLABLE_MOMENT,
                         "reviews": {"type": "array", "items": {"$ref": "#/components/schemas/Review"}},
                         "escalations": {"type": "array", "items": {"type": "object"}},
                         "isolations": {"type": "array", "items": {"$ref": "#/components/schemas/Isolation"}},
                         "version": {"type": "integer"}, "created_at": MOMENT, "updated_at": MOMENT}},
            "Review": {"type": "object",
                       "description": "A review: on Mẫu 06's criteria (`criteria` mau_06), or recorded before them "
                                      "on the former four (`criteria` former: safety, health, education, "
                                      "family_care, each a risk high, medium or low), as recorded.",
                       "required": ["id", "criteria", "scores", "notes", "note", "created_at", "created_by"],
                       "properties": {"id": {"type": "integer"}, "criteria": one_of(("mau_06", "former")),
                                      "scores": {"type": "object", "additionalProperties": TEXT},
                                      "notes": {"type": "object", "additionalProperties": NULLABLE_TEXT},
                                      "note": NULLABLE_TEXT, "created_at": MOMENT, "created_by": NULLABLE_TEXT}},
            "Isolation": {"type": "object", "description": "A temporary isolation (Decree 56/2017 art. 32, Mẫu "
                          "07): proposed by a worker, decided or declined by a commune leader (named in decided_by, "
                          "a username, and decided_by_name as it was then), ended on ended_on.",
                          "required": ["id", "status", "reason", "place", "with_whom", "first_day", "last_day"],
                          "properties": {
                              "id": {"type": "integer"},
                              "status": {"type": "string", "enum": ["proposed", "decided", "declined"]},
                              "reason": TEXT, "place": NULLABLE_TEXT, "with_whom": NULLABLE_TEXT,
                              "first_day": NULLABLE_DAY, "last_day": NULLABLE_DAY,
                              "extension_authority": NULLABLE_TEXT, "extension_number": NULLABLE_TEXT,
                              "extension_date": NULLABLE_DAY, "proposed_by": TEXT, "proposed_at": MOMENT,
                              "decided_by": NULLABLE_TEXT, "decided_by_name": NULLABLE_TEXT,
                              "decided_at": NULLABLE_MOMENT, "decision_note": NULLABLE_TEXT,
                              "ended_on": NULLABLE_DAY, "end_note": NULLABLE_TEXT}},
            "Attachment": {"type": "object", "description": "A file attached to a case (issue 17).",
                           "required": ["id", "case", "kind", "content_type", "size", "sha256", "created_at",
                                        "created_by"],
                           "properties": {
                               "id": {"type": "integer"}, "case": TEXT, "kind": one_of(KINDS),
                               "content_type": one_of(MEDIA_TYPES), "size": {"type": "integer"},
                               "sha256": TEXT, "original_sha256": TEXT, "created_at": MOMENT, "created_by": TEXT,
                               "description": TEXT, "made_on": DAY, "form": one_of(SIGNED_FORMS, nullable=True),
                               "decision": NULLABLE_TEXT, "pdf_has_script": FLAG,
                               "withdrawn_at": NULLABLE_MOMENT, "withdrawn_by": NULLABLE_TEXT,
                               "withdrawal_reason": NULLABLE_TEXT, "download": TEXT}},
            "Me": {"type": "object", "properties": {
                "username": TEXT, "full_name": TEXT,
                "role": {"type": "string", "enum": ["worker", "commune_leader", "supervisor", "province_officer",
                                                    "inspector", "admin"]},
                "unit": {"type": "string", "description": "Unit code"},
                "locale": NULLABLE_TEXT}},
            "Child": {"type": "object", "required": ["id", "full_name", "sex", "date_of_birth", "birth_year",
                                                     "address_unit", "groups", "cases", "next_review"],
                      "properties": {
                          "id": ID, "full_name": TEXT, "sex": one_of(SEXES), "date_of_birth": NULLABLE_DAY,
                          "birth_year": {"type": "integer"}, "address_unit": NULLABLE_TEXT,
                          "groups": {"type": "array", "items": one_of(GROUPS),
                                     "description": "The register's groups the child is in now"},
                          "cases": {"type": "array", "items": TEXT, "description": "References, newest first"},
                          "next_review": NULLABLE_DAY,
                          "register": {"type": "object", "nullable": True, "description": "One child only",
                                       "properties": {
                                           "unit": TEXT, "registered_on": DAY,
                                           "living_place": one_of(LIVING_PLACES, nullable=True),
                                           "lives_with": NULLABLE_TEXT, "school": NULLABLE_TEXT,
                                           "health_insurance": NULLABLE_TEXT,
                                           "disability_certificate": NULLABLE_TEXT,
                                           "last_reviewed_on": NULLABLE_DAY, "next_review_on": DAY,
                                           "groups": {"type": "array", "items": {"type": "object", "properties": {
                                               "group": one_of(GROUPS),
                                               "sub_case": one_of([key for cases in SUB_CASES.values()
                                                                   for key in cases], nullable=True),
                                               "since": DAY, "left_on": NULLABLE_DAY,
                                               "left_reason": NULLABLE_TEXT}}},
                                           "supports": {"type": "array", "items": {"type": "object", "properties": {
                                               "kind": one_of(SUPPORT_KINDS),
                                               "description": TEXT,
                                               "monthly_amount": {"type": "integer", "nullable": True},
                                               "started_on": DAY, "ended_on": NULLABLE_DAY}}},
                                           "reviews": {"type": "array", "items": {"type": "object", "properties": {
                                               "reviewed_on": DAY, "reviewed_by": TEXT, "notes": TEXT,
                                               "next_review_on": DAY}}}}}}},
            "Page": {"type": "object", "required": ["items", "next"],
                     "properties": {"items": {"type": "array", "items": {"type": "object"}},
                                    "next": {"type": "string", "nullable": True,
                                             "description": "The next page's address, or null"}}},
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/tokens": {"post": operation(
            "Exchange a username and password for a bearer token (the sign-in page's limits apply: README, "
            "Sign-in limits).",
            {201: _json("Token issued", {"$ref": "#/components/schemas/Token"})}, (401, 403, 422, 429),
            body=body({"username": TEXT, "password": TEXT}, required=("username", "password")), public=True)},
        "/tokens/current": {"delete": operation("Revoke the token in use.", {204: {"description": "Revoked"}}, ())},
        "/me": {"get": operation("The account behind the token.",
                                 {200: _json("The account", {"$ref": "#/components/schemas/Me"})}, ())},
        "/audit": {"get": operation(
            "Audit entries within the caller's subtree, newest first (inspector, province officer).",
            {200: _json("A page of entries", {"type": "object", "required": ["items", "next"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}},
                "next": {"type": "string", "nullable": True}}})}, (403, 422),
            [*AUDIT_FILTERS, LIMIT,
             query("before", {"type": "integer", "minimum": 1, "maximum": MAX_ENTRY_ID},
                   "Only entries older than this id (the `next` link sets it)")])},
        "/audit/{entry_id}": {"get": operation(
            "One audit entry, if it lies within the caller's subtree.",
            {200: _json("The entry", {"$ref": "#/components/schemas/AuditEntry"})}, (403, 404),
            [path("entry_id", {"type": "integer", "minimum": 1, "maximum": MAX_ENTRY_ID})])},
        "/audit/extract.pdf": {"get": operation(
            "An extract for inspection: the entries matching the filters of GET /audit (newest first, 5,000 at "
            "most), with the chain's head hash and the result of checking the chain at printing: from its last "
            "full verification on (docs/audit-chain.md), or the whole chain if there is none; the extract states "
            "which. Recorded as an export.", {200: _pdf("The extract")}, (403, 422), AUDIT_FILTERS)},
        "/audit/verify": {"get": operation(
            "Verify the whole hash chain now (docs/audit-chain.md); the check is itself recorded.",
            {200: _json("The verdict", {"type": "object", "properties": {
                "ok": FLAG, "entries": {"type": "integer"},
                "first_broken": {"type": "integer", "nullable": True}}})}, (403,))},
        "/cases": {
            "post": operation(
                "Intake (Mẫu 01): open a case at a commune in the caller's area, for a new child (child) or one on "
                "record (child_id). A commune's worker and leader open it at their own commune; the intake role "
                "(hotline 111, police liaison), supervisors and province officers record a report for any commune "
                "of their subtree, named in unit, and the case belongs to that commune at once (Decree 56/2017 "
                "art. 26.1).", {201: _json("The case", {"$ref": "#/components/schemas/Case"})}, (403, 422),
                body=body({"unit": {**UNIT_CODE, "description": "The commune where it happened: the case goes "
                                    "to it"}, "child_id": ID, "child": CHILD, **REPORT},
                          required=("unit", "source", "received_at", "categories", "description"))),
            "get": operation(
                "Cases in the caller's scope; q is a reference, or words of the child's names in order from the "
                "start of a word, without diacritics.",
                {200: _json("{items, next}", {"$ref": "#/components/schemas/Page"})},
                (403, 422),
                [query("status", chosen(STATUSES)), query("category", chosen(CATEGORIES)),
                 query("risk", chosen(RISK_LEVELS)),
                 query("unit", text(Unit.code.type.length), "Unit code: that unit's subtree"),
                 query("worker", TEXT, "Username of the assigned worker"),
                 query("overdue", chosen(("true", "false"))),
                 query("aged_16_or_over", chosen(("true", "false")), "Only records of persons 16 or older at the "
                       "report, kept from before the under-16 rule (Law on Children art. 1), for review"),
                 query("q", TEXT), query("sort", chosen(SORTS)),
                 query("page", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}), LIMIT])},
        "/children": {"post": operation(
            "Add a child to the caller's commune's register (worker, commune leader): the child lives there; groups "
            "are the 14 of Law on Children art. 10 (Decree 56/2017 arts. 3-16) and/or at_risk, since today. A child "
            "already on record within the caller's reach answers 409: add that one from their record.",
            {201: _json("The child", {"$ref": "#/components/schemas/Child"})}, (403, 409, 422),
            body=body({"full_name": text(200, required=True), "sex": one_of(SEXES), "date_of_birth": DAY,
                       "birth_year": {"type": "integer", "minimum": 1900, "maximum": 2200},
                       "id_number": {"type": "string", "pattern": "^[0-9]{12}$"}, "address_unit": UNIT_CODE,
                       "groups": {"type": "array", "minItems": 1, "items": one_of(GROUPS)}},
                      required=("full_name", "sex", "address_unit", "groups"))), "get": operation(
            "Children in the caller's scope, registered (issue 18) or with a case. Each register entry listed is "
            "recorded in the trail as read.",
            {200: _json("{items, next}", {"$ref": "#/components/schemas/Page"})}, (403, 422),
            [query("group", chosen(GROUPS), "Only children in this group now"),
             query("unit", text(Unit.code.type.length), "Unit code: that unit's subtree"),
             query("review_overdue", chosen(("true", "false")), "Only children whose review is overdue"),
             query("q", TEXT, "Words of the child's names in order from the start of a word, without diacritics"),
             query("page", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}), LIMIT])},
        "/children/{child_id}": {"get": operation(
            "One child, with the register entry: groups (and those left, with day and reason), situation, "
            "support and reviews. Recorded in the trail as read.",
            {200: _json("The child", {"$ref": "#/components/schemas/Child"})}, (403, 404),
            [path("child_id", ID)])},
        "/cases/{reference}": {
            "parameters": [REFERENCE],
            "get": operation("One case, with ETag: \"<version>\".",
                             {200: _json("The case", {"$ref": "#/components/schemas/Case"})}, (403, 404)),
            "patch": operation(
                "Correct the report. Needs If-Match.", {200: _json("The case", {"$ref": "#/components/schemas/Case"})},
                (403, 404, 409, 412, 422, 428), [IF_MATCH],
                body=body({key: REPORT[key] for key in ("description", "place", "action_taken", "immediate_danger",
                                                        "categories", "reporter_name", "reporter_contact",
                                                        "reporter_may_be_named", "harm_status", "harm_foreseen",
                                                        "child_consent", "carer_consent", "data_ground")}
                          | {"assigned_worker": {**text(64), "nullable": True, "description": "Username"}},
                          closed=True))},
        **{f"/cases/{{reference}}/{name}": _step(name) for name in STEPS},
        "/cases/{reference}/referrals": {
            "parameters": [REFERENCE],
            "post": operation(
                "Refer the case from the caller's unit to another unit (to_unit: code) or to a provider in a unit's "
                "register (provider: id). Answers pending_approval where a supervisor must approve (it leaves a "
                "commune), else sent; urgent ones are sent at once and approved afterwards. draft=true keeps it "
                "unsent.", {201: _json("The referral", {"$ref": "#/components/schemas/Referral"})},
                (403, 404, 409, 422),
                body=body({"to_unit": UNIT_CODE, "provider": ID, "reason": text(5000, required=True),
                           "urgent": FLAG, "service": text(300),
                           "transfer": {**FLAG, "description": "The family moved for good: on acceptance the case "
                                                               "belongs to the receiving commune."},
                           "consent": {**one_of(CONSENTS), "default": "not_recorded"}, "draft": FLAG},
                          required=("reason",)))},
        "/referrals": {"get": operation(
            "A box of referrals: box=in (to the caller's subtree), out (from it) or approval (awaiting the calling "
            "supervisor); status filters; those waiting for the caller first.",
            {200: _json("{items, next}", {"$ref": "#/components/schemas/Page"})}, (403, 422),
            [query("box", {**one_of(BOXES), "default": "in"}), query("status", chosen(REFERRAL_STATUSES)),
             LIMIT, OFFSET])},
        "/referrals/{number}": {
            "parameters": [NUMBER],
            "get": operation("One referral.", {200: _json("The referral", {"$ref": "#/components/schemas/Referral"})},
                             (403, 404))},
        "/referrals/{number}/{action}": {
            "parameters": [NUMBER, path("action", one_of(REFERRAL_ACTIONS))],
            "post": operation(
                "Act on the referral; reject and decline need {reason}. 409 when the action does not fit its state "
                "(of two simultaneous approvals, one gets 200 and the other 409).",
                {200: _json("The referral", {"$ref": "#/components/schemas/Referral"})}, (403, 404, 409, 422),
                body=body({"reason": text(5000)}))},
        "/cases/{reference}/escalations": {
            "parameters": [REFERENCE],
            "post": operation("Escalate by hand to the unit above the caller's, with {reason}.",
                              {201: _json("The escalation", {"$ref": "#/components/schemas/Escalation"})},
                              (403, 404, 409, 422), body=REASON)},
        "/escalations": {"get": operation(
            "Escalations raised to the caller's subtree or about cases they read; open=true for those not yet "
            "acknowledged.", {200: _json("{items, next}", {"$ref": "#/components/schemas/Page"})}, (403, 422),
            [query("open", {**one_of(("true", "false")), "default": "false"}), LIMIT, OFFSET])},
        "/escalations/{number}/acknowledge": {
            "parameters": [NUMBER],
            "post": operation("Acknowledge, as a person of the unit it was raised to; optional {note}.",
                              {200: _json("The escalation", {"$ref": "#/components/schemas/Escalation"})},
                              (403, 404, 409, 422), body=body({"note": text(5000)}))},
        **ATTACHMENT_PATHS,
        "/cases/{reference}/file.pdf": {
            "parameters": [REFERENCE],
            "get": operation("The case file (hồ sơ) as a PDF in the caller's language; the printing is recorded.",
                             {200: _pdf("The case file")}, (403, 404))},
        "/cases/{reference}/documents/{form}.pdf": STATUTORY_FORM,
        "/cases/{reference}/documents/{form}": STATUTORY_FORM,
        "/reports/statistics.{fmt}": {"get": operation(
            "Periodic statistics of a unit's subtree (the caller's own unit by default): new cases by category, sex, "
            "age group at the report and unit below; cases by status at the end of the period; deadlines met and "
            "missed; median hours from report to initial assessment. Supervisors, province officers, inspectors, "
            "and commune workers and leaders for their commune. JSON: {unit, from, to, generated_at, figures: {key: "
            "{title, note, columns, rows: [{key, label, values}], total}}}; CSV: one line per cell, text that "
            "would start a formula after a single quote. Each download is recorded in the audit trail.",
            *FIGURES_OF_A_PERIOD)},
        "/reports/indicators.{fmt}": {"get": operation(
            "The ministry's indicators on children of a unit's subtree, each child counted once however many cases "
            "they have (Circular 13/2021, indicator 0101): abused children by form, sex, age band, ethnicity and "
            "where the abuse happened; children at risk; children in each of the 14 groups of the register and "
            "those of them receiving support; children with a case, with a plan approved in time, whose case closed "
            "safe. Scoped and recorded as the statistics. JSON: abused_children {total, by_form, by_sex, by_age "
            "{under_6, 6_10, 11_15}, by_ethnicity, by_ethnic_group, by_setting}, at_risk, special_circumstances "
            "{total, by_group, supported}, with_case, and the tables as the statistics' figures.",
            *FIGURES_OF_A_PERIOD)},
        "/openapi.json": {"get": operation("This document.", {200: _json("OpenAPI 3 document", {"type": "object"})},
                                           (), public=True)},
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
