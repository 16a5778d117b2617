"""The bad-input sweep: every route of the URL map, as each kind of caller, fed text a database cannot store,
over-long values, digits of other scripts, wrong JSON types and a huge body. Refusals are 4xx; nothing is a 500."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import auth, make_token
from tests.support.htmx_client import paired_kiosk, signed_in

REPO = Path(__file__).resolve().parents[2]
# Endless answers (event streams) are left to their own tests.
STREAMS = re.compile(r"/events|/stream")
# Values as a form or query string carries them (percent-encoded UTF-8: a broken sequence, a NUL, …).
FORM_VALUES = {
    "nul": "a%00b",
    "broken utf-8": "%ED%A0%80%FF",
    "overlong": "x" * 3000,
    "other digits": "%D9%A3%EF%BC%91",  # Arabic-Indic three, full-width one
    "huge number": "9" * 40,
    "markup": "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%25s%25(x)s",
}
# Values as JSON carries them: a lone surrogate is legal JSON and no text at all.
JSON_VALUES = ['"\\ud800"', '"\\udfff x"', '"a\\u0000b"', json.dumps("x" * 3000), "5", "[\"A\"]", "{}", "null", "true",
               "1e400"]
PATH_VALUES = ["a%00b", "%ED%A0%80", "x" * 3000, "%D9%A3", "9" * 40, "-1"]


def field_names() -> list[str]:
    """Every name a form of the product sends or a view reads."""
    names: set[str] = {"lang", "next", "device", "csrf_token"}
    for template in (REPO / "templates").rglob("*.html"):
        names |= set(re.findall(r'name="([a-z_]+)"', template.read_text()))
    for source in (REPO / "kiosk" / "web").rglob("*.py"):
        names |= set(re.findall(r'(?:form|args|values)(?:\.get|\.getlist)?\(?\[?"([a-z_]+)"', source.read_text()))
    from kiosk.domain.declarations.form import steps

    names |= {field.key for kind in ("TK01", "TK01a") for step in steps(kind) for field in step.fields}
    return sorted(names)


def paths(app: Flask, prefix: str = "/") -> Iterator[tuple[str, str, str]]:
    """(method, rule, path with bad values) for every rule, the sign-out last (it ends the sweep's sign-in)."""
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule == "/logout")
    for rule in rules:
        if rule.endpoint == "static" or STREAMS.search(rule.rule) or not rule.rule.startswith(prefix):
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            yield method, rule.rule, re.sub(r"<[^>]+>", "1", rule.rule)
            for value in PATH_VALUES if rule.arguments else ():
                yield method, rule.rule, re.sub(r"<[^>]+>", value, rule.rule)


def sweep(client: FlaskClient, app: Flask, headers: dict[str, str], prefix: str = "/") -> list[str]:
    """Every route, every bad value, as query and form; the answers that were server errors."""
    names, failures = field_names(), []
    for method, rule, path in paths(app, prefix):
        for label, value in FORM_VALUES.items():
            query = "&".join(f"{name}={value}" for name in ("lang", "next", "q", "day", "before"))
            if method == "GET":
                answer = client.get(f"{path}?{query}", headers=headers)
            else:
                body = "&".join(f"{name}={value}" for name in names)
                answer = client.post(f"{path}?{query}", data=body, headers=headers,
                                     content_type="application/x-www-form-urlencoded")
            if answer.status_code >= 500:
                failures.append(f"{method} {rule} {label}: {answer.status_code}")
    return failures


def test_no_screen_answers_bad_input_with_a_500(app: Flask, client: FlaskClient) -> None:
    admin = signed_in(app, client, "admin")
    failures = sweep(client, app, admin.headers)
    assert failures == []


def test_no_kiosk_or_citizen_page_answers_bad_input_with_a_500(app: Flask, client: FlaskClient) -> None:
    kiosk = paired_kiosk(app, client)
    failures = sweep(client, app, kiosk.headers)
    citizen = app.test_client()
    failures += sweep(citizen, app, {}, prefix="/t/")
    assert failures == []


@pytest.mark.parametrize("role", ["kiosk", "staff"])
def test_no_api_route_answers_bad_json_with_a_500(app: Flask, client: FlaskClient, role: str) -> None:
    headers = auth(make_token(app, role, counter=1 if role == "staff" else None))
    names, failures = field_names(), []
    for method, rule, path in paths(app, "/api/"):
        if method != "POST":
            continue
        for value in JSON_VALUES:
            for name in ("service", "number", "reason", "note", "state", "requeue", "priority", "language"):
                answer = client.post(path, data=f'{{"{name}": {value}}}', headers=headers,
                                     content_type="application/json")
                if answer.status_code >= 500:
                    failures.append(f"{rule} {name}={value[:20]}: {answer.status_code}")
                else:
                    assert answer.is_json, f"{rule} answered {answer.content_type}"
        answer = client.post(path, data="{" + ",".join(f'"{n}": "\\ud800"' for n in names) + "}",
                             headers=headers, content_type="application/json")
        assert answer.status_code < 500
    assert failures == []


def test_a_huge_body_is_refused_before_it_is_read(app: Flask, client: FlaskClient) -> None:
    headers = auth(make_token(app, "kiosk"))
    answer = client.post("/api/v1/tickets", data=b"{" + b" " * 5_000_000 + b"}", headers=headers,
                         content_type="application/json")
    assert answer.status_code == 413 and answer.is_json


@pytest.mark.parametrize(("language", "words"), [
    ("vi", "không phải văn bản"), ("en", "not text"), ("zh", "非文本字符"),
])
def test_unstorable_text_is_refused_in_the_callers_language(app: Flask, client: FlaskClient, language: str,
                                                            words: str) -> None:
    page = client.get("/t/abc%00def", headers={"Accept-Language": language})
    assert page.status_code == 400 and words in page.get_data(as_text=True)
    api = client.post("/api/v1/tickets", data='{"service": "\\ud800"}', content_type="application/json",
                      headers=auth(make_token(app, "kiosk"), **{"Accept-Language": language}))
    assert api.status_code == 400 and words in api.get_json()["error"]


def test_a_wrong_method_says_which_are_allowed(client: FlaskClient) -> None:
    page, api = client.delete("/login"), client.delete("/api/v1/tickets/abc")
    assert page.status_code == api.status_code == 405 and api.is_json
    assert "POST" in page.headers["Allow"] and "GET" in api.headers["Allow"]
