"""Every page, fragment, stream and API answer tells the browser to load and run only this server's files, never
to be framed, never to guess a type, and never to pass its address (a phone page holds a ticket's token) on."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Office
from kiosk.runtime import Runtime
from tests.support.app import make_token
from tests.support.htmx_client import StaffClient, paired_kiosk, signed_in
from tests.support.kiosk_factories import declared_ticket
from tests.support.tickets import take_ticket


def assert_locked_down(headers: object) -> None:
    policy = headers["Content-Security-Policy"]  # type: ignore[index]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline'" not in policy.split("style-src-attr")[0]  # no inline script, no inline <style>
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"  # type: ignore[index]
    assert headers["Referrer-Policy"] == "no-referrer"  # type: ignore[index]


def test_every_kind_of_answer_carries_the_headers(app: Flask, client: FlaskClient) -> None:
    kiosk = paired_kiosk(app, client)
    ticket = take_ticket(client, make_token(app, "kiosk"))
    answers = [
        client.get("/kiosk/"), client.get("/kiosk/menu", headers={"HX-Request": "true"}),
        client.get(f"/t/{ticket['token']}"), client.get("/login"), client.get("/api/v1/openapi.json"),
        client.get("/api/v1/services"), client.get("/static/css/base.css"), client.get("/no/such/page"),
    ]
    assert kiosk.csrf
    for answer in answers:
        assert_locked_down(answer.headers)
    desk = signed_in(app, app.test_client(), "supervisor", "boss")
    assert_locked_down(desk.client.get("/admin").headers)


def test_the_pages_need_no_inline_script(app: Flask, client: FlaskClient, config, settings, morning) -> None:
    """What the policy would block: an on... attribute or a <script> without src on the pages staff use."""
    desk = signed_in(app, client, "supervisor", "boss")  # loads the office too
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions() as session:
        declared = declared_ticket(session, session.scalars(select(Office)).one(), config, settings, morning)
    for path in ("/admin", "/admin/audit", "/staff/counters/1", f"/staff/tickets/{declared.id}?counter=1", "/login"):
        html = desk.client.get(path, follow_redirects=True).get_data(as_text=True)
        assert " onclick=" not in html and "<script>" not in html, path
    assert "data-print-page" in html_of(desk, f"/staff/tickets/{declared.id}")  # the A4 print button is there


def html_of(desk: StaffClient, path: str) -> str:
    return desk.client.get(path).get_data(as_text=True)
