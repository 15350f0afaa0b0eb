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
        "/openapi.json": {"get": {"summary": "This document.", "security": [],
                                  "responses": {"200": {"description": "OpenAPI 3 document"}}}},
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
