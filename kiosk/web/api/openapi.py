"""The API's own description, served at /api/v1/openapi.json: its paths come from the app's URL map, its schemas
from the models in shapes.py, and this table says what each route is for and how it may answer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from kiosk.domain.statistics.figures import SPLITS
from kiosk.domain.whole_numbers import LARGEST
from kiosk.web.api import shapes
from kiosk.web.api.blueprint import bp


@dataclass(frozen=True)
class Operation:
    summary: str
    answers: Mapping[int, type[BaseModel] | None]  # when the route does what was asked; None: no content
    refusals: tuple[int, ...] = ()
    body: type[shapes.Body] | None = None
    public: bool = False  # no device token needed: the ticket's token in the path is the secret
    media_type: str = "application/json"
    parameters: tuple[dict[str, Any], ...] = ()


# Every route: the edge (kiosk/web/common/edge.py) refuses unreadable (400) or over-long (413) input before any
# view reads it; a body that is no JSON object, or a Last-Event-ID that is no event number, is a 400 too.
EDGE = (400, 413)
# A counter's buttons: no or a wrong token, another counter's tablet, no such counter, the counter's or ticket's
# state forbids it (closed, nothing in progress, already put back), a body of the wrong shape.
AT_COUNTER = (401, 403, 404, 409, 422)
ACTED = {200: shapes.ActedOn}
LAST_SEEN = ({"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}},
             {"name": "last_event_id", "in": "query", "schema": {"type": "string"}})
SLOT_QUERY = ({"name": "service", "in": "query", "required": True, "schema": {"type": "string"}},
              {"name": "date", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}})
REPORT_QUERY = ({"name": "from", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
                {"name": "to", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
                {"name": "by", "in": "query", "schema": {"enum": list(SPLITS), "default": "service"}})

OPERATIONS: dict[str, Operation] = {
    "api.list_services": Operation("Services with waiting counts and estimated waits", {200: shapes.Services},
                                   (401,)),
    "api.create_ticket": Operation(
        "Take a ticket, or check in with a declaration's code (200: the ticket it gave earlier today)",
        {201: shapes.Ticket, 200: shapes.Ticket}, (401, 403, 404, 409, 422, 429), shapes.TakeTicket),
    "api.create_declaration": Operation("Send a whole TK01/TK01a; its code to check in with",
                                        {201: shapes.Declared, 422: shapes.DeclarationRefused}, (401, 403),
                                        shapes.Declare),
    "api.read_declaration": Operation("A declaration by its code, for the counter (logged as an opening)",
                                      {200: shapes.DeclarationFound}, (401, 403, 404)),
    "api.list_slots": Operation("A service's slots on a day with the places left", {200: shapes.Slots},
                                (401, 403, 404, 422), parameters=SLOT_QUERY),
    "api.book": Operation("Book a slot; 409 when it is full or the ID number already holds a booking",
                          {201: shapes.Booked}, (401, 403, 404, 409, 422, 429), shapes.Book),
    "api.cancel_booking_by_code": Operation("Give a booking's place back", {200: shapes.BookingCancelled},
                                    (401, 403, 404, 409, 429), shapes.Press),
    "api.ticket_status": Operation("A ticket's public status", {200: shapes.Ticket}, (404,), public=True),
    "api.cancel_ticket": Operation("Give up a waiting ticket", {200: shapes.Ticket}, (404, 409), public=True),
    "api.rate_ticket": Operation("Rate a finished ticket of today, once (409: rated already, or not done)",
                                 {201: shapes.Rated}, (404, 409, 422), shapes.Rate, public=True),
    "api.reprint_ticket": Operation("Print the ticket again (same number and QR); kiosk and staff tokens",
                                    {201: shapes.Reprint}, (401, 403, 404, 409)),
    "api.call_next": Operation("Call the next ticket; 204 when nobody waits", {**ACTED, 204: None}, AT_COUNTER,
                               shapes.Press),
    "api.call_number": Operation("Call a given number out of turn", ACTED, AT_COUNTER, shapes.CallNumber),
    "api.recall": Operation("Announce the called ticket again", ACTED, AT_COUNTER, shapes.Press),
    "api.start": Operation("The citizen has arrived at the counter", ACTED, AT_COUNTER, shapes.Press),
    "api.complete": Operation("Finish the current ticket", ACTED, AT_COUNTER, shapes.Press),
    "api.no_show": Operation("Nobody came; optionally back to the queue", ACTED, AT_COUNTER, shapes.NoShow),
    "api.transfer": Operation("Send the citizen to another service, keeping the arrival time", ACTED, AT_COUNTER,
                              shapes.Transfer),
    "api.set_state": Operation("Open, pause or close the counter", {204: None}, (401, 403, 404, 422),
                               shapes.CounterStateChange),
    "api.events": Operation("The office's events as they happen; resumes after Last-Event-ID",
                            {200: shapes.EventStream}, (401,), media_type="text/event-stream",
                            parameters=LAST_SEEN),
    "api.report_summary": Operation("The office's figures over whole days, whole and split; staff tokens",
                                    {200: shapes.ReportSummary}, (401, 403, 422), parameters=REPORT_QUERY),
    "api.openapi": Operation("This document", {200: shapes.Document}, public=True),
}


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())


def document() -> dict[str, Any]:
    """OpenAPI 3.1 for every route of the blueprint in the app's URL map (one missing from the table: KeyError)."""
    refs, schemas = schema_refs()
    paths: dict[str, dict[str, Any]] = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{bp.name}."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(bp.url_prefix or ""))
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                paths.setdefault(path, {})[method.lower()] = operation(OPERATIONS[rule.endpoint], rule.rule, refs)
    refused = {"application/json": {"schema": refs[shapes.Error]}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Passport office queue API", "version": "1"},
        "servers": [{"url": bp.url_prefix}],
        "security": [{"device": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"device": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "responses": {str(status): {"description": HTTPStatus(status).phrase, "content": refused}
                          for status in sorted({*EDGE, *(s for op in OPERATIONS.values() for s in op.refusals)})},
        },
    }


def schema_refs() -> tuple[dict[type[BaseModel], dict[str, str]], dict[str, Any]]:
    """Each shape's $ref, and the schemas they point to: request bodies as read, answers as written."""
    modes: dict[type[BaseModel], JsonSchemaMode] = {shapes.Error: "serialization"}
    for op in OPERATIONS.values():
        modes.update((shape, "serialization") for shape in op.answers.values() if shape)
        if op.body:
            modes[op.body] = "validation"
    refs, top = models_json_schema(list(modes.items()), ref_template="#/components/schemas/{model}")
    return {shape: refs[shape, mode] for shape, mode in modes.items()}, top["$defs"]


def operation(op: Operation, rule: str, refs: dict[type[BaseModel], dict[str, str]]) -> dict[str, Any]:
    answers = {str(status): {"description": HTTPStatus(status).phrase}
               | ({"content": {op.media_type: {"schema": refs[shape]}}} if shape else {})
               for status, shape in op.answers.items()}
    refusals = {str(status): {"$ref": f"#/components/responses/{status}"} for status in sorted({*EDGE, *op.refusals})}
    described: dict[str, Any] = {
        "summary": op.summary,
        "parameters": [*path_parameters(rule), *op.parameters],
        "responses": answers | refusals,
    }
    if op.body:
        required = any(f.is_required() for f in op.body.model_fields.values())
        described["requestBody"] = {"required": required, "content": {"application/json": {"schema": refs[op.body]}}}
    if op.public:
        described["security"] = []
    return described


def path_parameters(rule: str) -> list[dict[str, Any]]:
    """`<int:number>`: a whole number no larger than a row id (RowNumber); `<token>`: text."""
    whole = {"type": "integer", "minimum": 0, "maximum": LARGEST}
    return [{"name": name, "in": "path", "required": True, "schema": whole if kind == "int" else {"type": "string"}}
            for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule)]
