"""The OpenAPI 3 description of the API; each area adds its paths here as it adds endpoints."""
from flask import jsonify

from app.api import bp

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
            },
        }
    },
}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer"}}}
TOO_MANY_ATTEMPTS = {**_error("too_many_requests: too many attempts from this address, or too many wrong passwords "
                              "for this account from here"), "headers": RETRY_AFTER}
BUSY = {**_error("busy: the server is busy checking other passwords"), "headers": RETRY_AFTER}

ACCEPT_LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False,
                   "schema": {"type": "string", "enum": ["vi", "en"], "default": "vi"}}

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
                      "properties": {"token": {"type": "string"},
                                     "expires_at": {"type": "string", "format": "date-time"}}},
            "AuditEntry": {"type": "object", "properties": {
                "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
                "actor": {"type": "string", "nullable": True,
                          "description": "Username; `db:<role>` for a change made outside the application"},
                "role": {"type": "string", "nullable": True}, "unit": {"type": "string", "nullable": True},
                "action": {"type": "string"}, "entity": {"type": "string", "nullable": True},
                "entity_id": {"type": "string", "nullable": True}, "case": {"type": "string", "nullable": True},
                "changes": {"type": "object", "nullable": True,
                            "description": "{field: [before, after]} for a change; details for other actions"},
                "ip": {"type": "string", "nullable": True}, "request_id": {"type": "string", "nullable": True},
                "hash": {"type": "string"}, "prev_hash": {"type": "string"}}},
            "Referral": {"type": "object", "description": "id, case (reference), from_unit, to_unit (code or null), "
                         "provider ({id, name, kind} or null), receiving_unit, status, urgent, transfer, reason, "
                         "service, consent, approval_needed, approval_due_at, approved_at, approved_by, sent_at, "
                         "answer_due_at, answered_at, completed_at, closing_reason, created_at, updated_at, version.",
                         "required": ["id", "case", "from_unit", "to_unit", "status", "urgent", "reason",
                                      "created_at"]},
            "Escalation": {"type": "object", "description": "id, case, from_unit, to_unit, reason (as recorded), "
                           "explanation (the reason in the Accept-Language: an automatic one written again from what "
                           "was missed), automatic, level, raised_at, acknowledged_at, acknowledged_by.",
                           "required": ["id", "to_unit", "reason", "automatic", "raised_at", "acknowledged_at",
                                        "acknowledged_by"]},
            "Case": {"type": "object", "description": "A case, as ../shared/API.md lists it, and more.",
                     "properties": {
                         "reference": {"type": "string", "example": "HD-10933-2024-0007"},
                         "status": {"type": "string", "enum": ["reported", "assessing", "planning", "in_progress",
                                                               "monitoring", "closed"]},
                         "unit": {"type": "string"}, "categories": {"type": "array", "items": {"type": "string"}},
                         "risk_level": {"type": "string", "nullable": True, "enum": ["high", "medium", "low"]},
                         "child": {"type": "object"}, "deadlines": {"type": "array", "items": {"type": "object"}},
                         "plan": {"type": "object", "nullable": True},
                         "escalations": {"type": "array", "items": {"type": "object"}},
                         "version": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
                         "updated_at": {"type": "string", "format": "date-time"}}},
            "Me": {"type": "object", "properties": {
                "username": {"type": "string"}, "full_name": {"type": "string"},
                "role": {"type": "string", "enum": ["worker", "commune_leader", "supervisor", "province_officer",
                                                    "inspector", "admin"]},
                "unit": {"type": "string", "description": "Unit code"},
                "locale": {"type": "string", "nullable": True}}},
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/tokens": {"post": {
            "summary": "Exchange a username and password for a bearer token (the sign-in page's limits apply: "
                       "README, Sign-in limits).",
            "security": [],
            "parameters": [ACCEPT_LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
            "responses": {"201": {"description": "Token issued", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Token"}}}},
                "400": _error("Malformed JSON"), "401": _error("Wrong credentials or locked account"),
                "403": _error("approval_pending: the account's access to cases waits for a second person's "
                              "approval"),
                "422": _error("Missing or mistyped fields"),
                "429": TOO_MANY_ATTEMPTS, "503": BUSY}}},
        "/tokens/current": {"delete": {
            "summary": "Revoke the token in use.",
            "parameters": [ACCEPT_LANGUAGE],
            "responses": {"204": {"description": "Revoked"}, "401": _error("No or bad token")}}},
        "/me": {"get": {
            "summary": "The account behind the token.",
            "parameters": [ACCEPT_LANGUAGE],
            "responses": {"200": {"description": "The account", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Me"}}}}, "401": _error("No or bad token")}}},
        "/audit": {"get": {
            "summary": "Audit entries within the caller's subtree, newest first (inspector, province officer).",
            "parameters": [ACCEPT_LANGUAGE, *[
                {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}
                for name, text in (("case", "Case reference"), ("actor", "Username"), ("action", "Action key"),
                                   ("unit", "Unit code: that unit's subtree"),
                                   ("since", "YYYY-MM-DD (a day in Viet Nam time) or an ISO 8601 time"),
                                   ("until", "YYYY-MM-DD (included) or an ISO 8601 time"))],
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200,
                                                            "default": 50}},
                {"name": "before", "in": "query", "schema": {"type": "integer"},
                 "description": "Only entries older than this id (the `next` link sets it)"}],
            "responses": {"200": {"description": "A page of entries", "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}},
                    "next": {"type": "string", "nullable": True}}}}}},
                "401": _error("No or bad token"), "403": _error("This role does not read the trail"),
                "422": _error("Invalid filters")}}},
        "/audit/{entry_id}": {"get": {
            "summary": "One audit entry, if it lies within the caller's subtree.",
            "parameters": [ACCEPT_LANGUAGE, {"name": "entry_id", "in": "path", "required": True,
                                             "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The entry", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/AuditEntry"}}}},
                "403": _error("This role does not read the trail"), "404": _error("Absent or out of scope")}}},
        "/audit/extract.pdf": {"get": {
            "summary": "An extract for inspection: the entries matching the filters of GET /audit (newest first, "
                       "5,000 at most), with the chain's head hash and the result of verifying the whole chain at "
                       "printing. Recorded as an export.",
            "parameters": [ACCEPT_LANGUAGE, *[
                {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}
                for name, text in (("case", "Case reference"), ("actor", "Username"), ("action", "Action key"),
                                   ("unit", "Unit code: that unit's subtree"),
                                   ("since", "YYYY-MM-DD or an ISO 8601 time"),
                                   ("until", "YYYY-MM-DD (included) or an ISO 8601 time"))]],
            "responses": {"200": {"description": "The extract", "content": {"application/pdf": {
                "schema": {"type": "string", "format": "binary"}}}},
                "403": _error("This role does not read the trail"), "422": _error("Invalid filters")}}},
        "/audit/verify": {"get": {
            "summary": "Verify the whole hash chain now (docs/audit-chain.md); the check is itself recorded.",
            "parameters": [ACCEPT_LANGUAGE],
            "responses": {"200": {"description": "The verdict", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"ok": {"type": "boolean"}, "entries": {"type": "integer"},
                                                 "first_broken": {"type": "integer", "nullable": True}}}}}},
                "403": _error("This role does not read the trail")}}},
        "/cases": {
            "post": {"summary": "Intake (Mẫu 01): open a case at a commune in the caller's area.",
                     "parameters": [ACCEPT_LANGUAGE],
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["unit", "source", "received_at", "categories", "description"],
                         "properties": {
                             "unit": {"type": "string"}, "child_id": {"type": "integer"},
                             "child": {"type": "object", "description": "full_name, sex (male|female), date_of_birth "
                                       "or birth_year, id_number, other_names, ethnicity, address_unit (the code "
                                       "of the commune where the child lives, in the list of units in force; "
                                       "left out: unknown), address_detail, school, special_circumstances, "
                                       "carers"},
                             "categories": {"type": "array", "items": {"type": "string"}},
                             "source": {"type": "string"}, "received_at": {"type": "string", "format": "date-time"},
                             "description": {"type": "string"}, "immediate_danger": {"type": "boolean"},
                             "reporter_name": {"type": "string"}, "reporter_contact": {"type": "string"},
                             "reporter_may_be_named": {"type": "boolean"}, "place": {"type": "string"},
                             "action_taken": {"type": "string"}}}}}},
                     "responses": {"201": {"description": "The case", "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Case"}}}},
                         "403": _error("This role does not open cases"), "422": _error("Invalid fields")}},
            "get": {"summary": "Cases in the caller's scope. Filters: status, category, risk, unit (subtree), "
                               "worker, overdue=true, q (a reference, or words of the child's names in order from the "
                               "start of a word, without diacritics); sort, page, limit.",
                    "parameters": [ACCEPT_LANGUAGE],
                    "responses": {"200": {"description": "{items, next}"}}}},
        "/cases/{reference}": {
            "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"summary": "One case, with ETag: \"<version>\".",
                    "responses": {"200": {"description": "The case", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Case"}}}}, "404": _error("Absent or out of scope")}},
            "patch": {"summary": "Correct the report (description, place, action_taken, immediate_danger, "
                                 "categories, reporter_*, assigned_worker). Needs If-Match.",
                      "responses": {"200": {"description": "The case"}, "412": _error("Stale version"),
                                    "428": _error("If-Match missing"), "422": _error("Invalid fields"),
                                    "409": _error("Not possible at this status")}}},
        "/cases/{reference}/{step}": {
            "parameters": [
                {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "step", "in": "path", "required": True, "schema": {"type": "string", "enum": [
                    "assessment", "detailed-assessment", "emergency-measures", "isolation-end", "plan", "new-plan",
                    "plan-submission", "plan-approval", "plan-return", "timeline", "review", "closure-proposal",
                    "closure-approval", "reopening"]}}],
            "post": {"summary": "One step of the case. Bodies: assessment {answers, summary}; detailed-assessment "
                                "{summary, meeting_minutes}; emergency-measures {description, taken_at, isolation, "
                                "isolation_place, isolation_from, isolation_until, decided_by}; isolation-end "
                                "{ended_on, note}; plan and new-plan "
                                "{goals, actions: [{description, responsible, due_date}]}; plan-return and "
                                "reopening {reason}; timeline {kind, occurred_at, text}; review {scores: {safety, "
                                "health, education, family_care}, note}; closure-proposal {reason, note}. "
                                "Needs If-Match, but for timeline.",
                     "responses": {"200": {"description": "The case"}, "201": {"description": "The case"},
                                   "403": _error("Not for this role or this person"),
                                   "409": _error("Not possible at this status"), "412": _error("Stale version"),
                                   "422": _error("Invalid fields"), "428": _error("If-Match missing")}}},
        "/cases/{reference}/referrals": {
            "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
            "post": {"summary": "Refer the case from the caller's unit to another unit (to_unit: code) or to a "
                                "provider in a unit's register (provider: id). Answers pending_approval where a "
                                "supervisor must approve (it leaves a commune), else sent; urgent ones are sent at "
                                "once and approved afterwards. draft=true keeps it unsent.",
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["reason"],
                         "properties": {"to_unit": {"type": "string"}, "provider": {"type": "integer"},
                                        "reason": {"type": "string"}, "urgent": {"type": "boolean"},
                                        "service": {"type": "string"}, "transfer": {"type": "boolean",
                                        "description": "The family moved for good: on acceptance the case "
                                                       "belongs to the receiving commune."},
                                        "consent": {"type": "string", "enum": ["child_and_carer", "carer",
                                                    "emergency_protection", "not_recorded"],
                                                    "default": "not_recorded"},
                                        "draft": {"type": "boolean"}}}}}},
                     "responses": {"201": {"description": "The referral", "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Referral"}}}},
                         "403": _error("This role does not refer cases"), "404": _error("Absent or out of scope"),
                         "409": _error("The case is closed"), "422": _error("Invalid fields")}}},
        "/referrals": {
            "get": {"summary": "A box of referrals: box=in (to the caller's subtree), out (from it) or approval "
                               "(awaiting the calling supervisor); status filters; those waiting for the caller "
                               "first. limit (1-200), offset.",
                    "responses": {"200": {"description": "{items, next}"}, "422": _error("Invalid filter")}}},
        "/referrals/{number}": {
            "parameters": [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {"summary": "One referral.", "responses": {
                "200": {"description": "The referral", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Referral"}}}}, "404": _error("Absent or out of scope")}}},
        "/referrals/{number}/{action}": {
            "parameters": [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}},
                           {"name": "action", "in": "path", "required": True, "schema": {"type": "string", "enum": [
                               "send", "approve", "reject", "accept", "decline", "withdraw", "complete"]}}],
            "post": {"summary": "Act on the referral; reject and decline need {reason}. 409 when the action does "
                                "not fit its state (of two simultaneous approvals, one gets 200 and the other 409).",
                     "responses": {"200": {"description": "The referral"},
                                   "403": _error("This person may not take this action"),
                                   "404": _error("Absent or out of scope"), "409": _error("Not possible now"),
                                   "422": _error("Reason missing")}}},
        "/cases/{reference}/escalations": {
            "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
            "post": {"summary": "Escalate by hand to the unit above the caller's, with {reason}.",
                     "responses": {"201": {"description": "The escalation", "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Escalation"}}}},
                         "403": _error("This role does not escalate"), "409": _error("No unit above"),
                         "422": _error("Reason missing")}}},
        "/escalations": {
            "get": {"summary": "Escalations raised to the caller's subtree or about cases they read; open=true "
                               "for those not yet acknowledged. limit, offset.",
                    "responses": {"200": {"description": "{items, next}"}}}},
        "/escalations/{number}/acknowledge": {
            "parameters": [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "post": {"summary": "Acknowledge, as a person of the unit it was raised to; optional {note}.",
                     "responses": {"200": {"description": "The escalation"},
                                   "403": _error("Not of the unit it was raised to"),
                                   "409": _error("Already acknowledged")}}},
        "/cases/{reference}/file.pdf": {"get": {
            "summary": "The case file (hồ sơ) as a PDF in the caller's language; the printing is recorded.",
            "parameters": [ACCEPT_LANGUAGE, {"name": "reference", "in": "path", "required": True,
                                             "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The case file", "content": {"application/pdf": {
                "schema": {"type": "string", "format": "binary"}}}},
                "403": _error("This role reads no cases"), "404": _error("Absent or out of scope")}}},
        "/reports/statistics.{fmt}": {"get": {
            "summary": "Periodic statistics of a unit's subtree (the caller's own unit by default): new cases by "
                       "category, sex, age group at the report and unit below; cases by status at the end of the "
                       "period; deadlines met and missed; median hours from report to initial assessment. "
                       "Supervisors, province officers, inspectors, and commune workers and leaders for their "
                       "commune. JSON: {unit, from, to, generated_at, figures: {key: {title, note, columns, rows: "
                       "[{key, label, values}], total}}}; CSV: one line per cell.",
            "parameters": [ACCEPT_LANGUAGE,
                           {"name": "fmt", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": ["pdf", "csv", "json", "xlsx"]}},
                           {"name": "unit", "in": "query", "schema": {"type": "string"}, "description": "Unit code"},
                           {"name": "from", "in": "query", "required": True,
                            "schema": {"type": "string", "format": "date"}, "description": "First day, included"},
                           {"name": "to", "in": "query", "required": True,
                            "schema": {"type": "string", "format": "date"}, "description": "Last day, included"}],
            "responses": {"200": {"description": "The figures", "content": {
                "application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}},
                "403": _error("This role sees no statistics"), "404": _error("Unit absent or out of scope"),
                "422": _error("Missing or invalid period")}}},
        "/openapi.json": {"get": {"summary": "This document.", "security": [],
                                  "responses": {"200": {"description": "OpenAPI 3 document"}}}},
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
