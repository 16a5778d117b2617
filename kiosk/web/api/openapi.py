"""The API's own description, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any, get_args

from flask import Response, jsonify

from kiosk.data.models import COUNTER_STATES, PRIORITY_KINDS, PrintStatus
from kiosk.domain.languages import LANGUAGES
from kiosk.web.api.blueprint import bp

ERROR = {"description": "Refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
TICKET_REF = {"$ref": "#/components/schemas/Ticket"}
COUNTER = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required or [], "additionalProperties": False}
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


def _counter_action(summary: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [COUNTER],
        "responses": {
            "200": _json({"type": "object", "properties": {"ticket": {"$ref": "#/components/schemas/StaffTicket"}}}),
            **{code: ERROR for code in ("401", "403", "404", "409", "422")},
        },
    }
    if body:
        operation["requestBody"] = body
    return {"post": operation}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Passport office queue API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "security": [{"device": []}],
    "components": {
        "securitySchemes": {"device": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
            "Ticket": {
                "type": "object",
                "properties": {
                    "number": {"type": "string"},
                    "service": {"type": "string"},
                    "service_name": {"type": "string"},
                    "status": {"type": "string"},
                    "counter": {"type": "integer", "nullable": True},
                    "priority": {"type": "string", "nullable": True},
                    "language": {"type": "string"},
                    "issued_at": {"type": "string", "format": "date-time"},
                    "token": {"type": "string"},
                    "status_url": {"type": "string"},
                    "position": {"type": "integer"},
                    "estimated_wait_s": {"type": "integer"},
                    "print_status": {"type": "string", "enum": ["none", "retrying", *get_args(PrintStatus)]},
                },
            },
            "StaffTicket": {
                "type": "object",
                "properties": {
                    "ticket_id": {"type": "integer"},
                    "number": {"type": "string"},
                    "service": {"type": "string"},
                    "status": {"type": "string"},
                    "counter": {"type": "integer", "nullable": True},
                    "recall_count": {"type": "integer"},
                    "requeue_count": {"type": "integer"},
                },
            },
        },
    },
    "paths": {
        "/services": {
            "get": {
                "summary": "Services with waiting counts and estimated waits",
                "responses": {"200": _json({"type": "array", "items": {"type": "object"}}), "401": ERROR},
            }
        },
        "/tickets": {
            "post": {
                "summary": "Take a ticket",
                "requestBody": _body(
                    {
                        "service": {"type": "string"},
                        "priority": {"type": "string", "enum": list(PRIORITY_KINDS)},
                        "language": {"type": "string", "enum": list(LANGUAGES)},
                    },
                    ["service"],
                ),
                "responses": {
                    "201": _json(TICKET_REF, "Issued"),
                    **{code: ERROR for code in ("400", "401", "403", "409", "422")},
                },
            }
        },
        "/tickets/{token}": {
            "get": {
                "summary": "A ticket's public status",
                "security": [],
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json(TICKET_REF), "404": ERROR},
            }
        },
        "/tickets/{token}/cancel": {
            "post": {
                "summary": "Give up a waiting ticket",
                "security": [],
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json(TICKET_REF), "404": ERROR, "409": ERROR},
            }
        },
        "/tickets/{token}/reprint": {
            "post": {
                "summary": "Print the ticket again (same number and QR); kiosk and staff tokens",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "201": _json({"type": "object", "properties": {"job": {"type": "object"},
                                                                   "print_status": {"type": "string"}}}, "Queued"),
                    **{code: ERROR for code in ("401", "403", "404", "409")},
                },
            }
        },
        "/counters/{number}/call-next": _counter_action("Call the next ticket (204 when none waits)"),
        "/counters/{number}/call": _counter_action(
            "Call a given number out of order",
            _body({"number": {"type": "string"}, "reason": {"type": "string"}}, ["number"]),
        ),
        "/counters/{number}/recall": _counter_action("Announce the called ticket again"),
        "/counters/{number}/start": _counter_action("The citizen has arrived"),
        "/counters/{number}/complete": _counter_action("Finish the current ticket"),
        "/counters/{number}/no-show": _counter_action(
            "Nobody came; optionally back to the queue", _body({"requeue": {"type": "boolean"}})
        ),
        "/counters/{number}/transfer": _counter_action(
            "Send the citizen to another service, keeping the arrival time",
            _body({"service": {"type": "string"}, "note": {"type": "string"}}, ["service"]),
        ),
        "/counters/{number}/state": _counter_action(
            "Open, pause or close the counter",
            _body({"state": {"type": "string", "enum": list(COUNTER_STATES)}}, ["state"]),
        ),
        "/events": {
            "get": {
                "summary": "Server-sent events; resumes after Last-Event-ID",
                "parameters": [{"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "text/event-stream"}, "401": ERROR},
            }
        },
        "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": _json({})}}},
    },
}


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(SPEC)
