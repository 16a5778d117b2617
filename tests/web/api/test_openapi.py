"""/api/v1/openapi.json is valid OpenAPI, names every route of the URL map and nothing else, and the API answers as
it says: a bounded schemathesis run with a kiosk's and a staff tablet's token finds no 5xx and no answer (status,
content type, body) the document does not allow."""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from kiosk.web.api import shapes
from tests.support.app import auth, make_token
from tests.support.tickets import take_ticket

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
# Refusals of a body's shape: in positive mode (every body valid by the document) none may come back, or a view
# reads its body with another shape than the document declares.
SHAPE_REFUSALS = ("Unknown field", "Missing field", "Field ")
EXAMPLES = 6  # per operation, token, mode and choice of path values: a few hundred cases in all
ENDLESS = "/events"  # a stream never ends; tests/system/test_server_live.py reads it from a live server


def test_the_document_is_valid_openapi(client: FlaskClient) -> None:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    validate(answer.get_json())


def test_every_api_route_is_described_and_nothing_else(app: Flask, client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    described = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    routed = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")))
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert described == routed


def test_every_204_and_body_is_declared(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/counters/{number}/call-next"]["post"]["responses"]) >= {"200", "204"}
    assert set(paths["/counters/{number}/state"]["post"]["responses"]) >= {"204"}
    no_show = paths["/counters/{number}/no-show"]["post"]["requestBody"]
    assert no_show["required"] is False and no_show["content"]["application/json"]["schema"]["$ref"]


def test_a_priority_ticket_is_answered_as_declared(app: Flask, client: FlaskClient) -> None:
    kiosk, staff = make_token(app, "kiosk"), make_token(app, "staff")
    shapes.Ticket.model_validate(take_ticket(client, kiosk, priority="pregnant", language="zh"))
    called = client.post("/api/v1/counters/1/call-next", headers=auth(staff)).get_json()
    assert shapes.ActedOn.model_validate(called).ticket.priority is True


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(app: Flask, client: FlaskClient) -> None:
    kiosk, staff = make_token(app, "kiosk"), make_token(app, "staff")
    # A counter and a ticket that exist, so that some calls act on a row and answer 200, not only 404.
    known = {"number": 1, "token": take_ticket(client, kiosk, priority="pregnant")["token"]}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).exclude(path=ENDLESS)
    cases = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for token in (kiosk, staff):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                cases += run(operation, mode, auth(token, **{"Accept-Language": "en"}), known)
    assert cases >= 300


def run(operation: Any, mode: GenerationMode, headers: dict[str, str], known: dict[str, Any]) -> int:
    """Call the operation with generated cases; the number of cases sent."""
    names = {p.name for p in operation.path_parameters}
    fixed = {name: value for name, value in known.items() if name in names}
    strategies = [operation.as_strategy(generation_mode=mode)]
    if fixed and mode == GenerationMode.POSITIVE:
        strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    sent: list[Any] = []

    @given(case=st.one_of(strategies))
    @settings(max_examples=EXAMPLES * len(strategies), deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        if mode == GenerationMode.POSITIVE and response.status_code == 422:
            assert not response.json()["error"].startswith(SHAPE_REFUSALS), (case.body, response.json())
        sent.append(case)

    try:
        call()
    except Unsatisfiable:  # nothing to make invalid (no body, no typed parameter): only positive cases exist
        assert mode == GenerationMode.NEGATIVE
    return len(sent)
