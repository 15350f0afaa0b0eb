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
            "summary": "Exchange a username and password for a bearer token (same lockout as the sign-in page).",
            "security": [],
            "parameters": [ACCEPT_LANGUAGE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
            "responses": {"201": {"description": "Token issued", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Token"}}}},
                "400": _error("Malformed JSON"), "401": _error("Wrong credentials or locked account"),
                "422": _error("Missing or mistyped fields")}}},
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
                               "worker, overdue=true, q (reference or name, without diacritics); sort, page, limit.",
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
                    "assessment", "detailed-assessment", "emergency-measures", "plan", "new-plan",
                    "plan-submission", "plan-approval", "plan-return", "timeline", "review", "closure-proposal",
                    "closure-approval", "reopening"]}}],
            "post": {"summary": "One step of the case. Bodies: assessment {answers, summary}; detailed-assessment "
                                "{summary, meeting_minutes}; emergency-measures {description, taken_at, isolation, "
                                "isolation_place, isolation_from, isolation_until, decided_by}; plan and new-plan "
                                "{goals, actions: [{description, responsible, due_date}]}; plan-return and "
                                "reopening {reason}; timeline {kind, occurred_at, text}; review {scores: {safety, "
                                "health, education, family_care}, note}; closure-proposal {reason, note}. "
                                "If-Match optional.",
                     "responses": {"200": {"description": "The case"}, "201": {"description": "The case"},
                                   "403": _error("Not for this role or this person"),
                                   "409": _error("Not possible at this status"), "412": _error("Stale version"),
                                   "422": _error("Invalid fields")}}},
        "/openapi.json": {"get": {"summary": "This document.", "security": [],
                                  "responses": {"200": {"description": "OpenAPI 3 document"}}}},
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
