"""Who reaches what: every staff and desk address (found in the app's own URL map, so a new one cannot be
forgotten) needs a signed-in account of the right role, and every form needs its CSRF token."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import routes
from tests.support.htmx_client import StaffClient, signed_in

PROTECTED = ("/staff", "/admin")


ADMIN_ONLY = ("/admin/staff",)


def every_route(app: Flask) -> list[tuple[str, str]]:
    found = [route for prefix in PROTECTED for route in routes(app, prefix)]
    assert len(found) >= 25  # console actions, stream, scan, ticket, desk, settings, accounts
    return found


def test_a_signed_out_browser_reaches_no_staff_page_or_action(client: FlaskClient, app: Flask) -> None:
    browser = StaffClient(client)
    for method, path in every_route(app):
        plain = client.open(path, method=method, data={"csrf_token": browser.csrf})
        assert plain.status_code == 302, (method, path, plain.status_code)
        assert plain.headers["Location"].startswith("/login?next="), (method, path)
        htmx = client.open(path, method=method, headers={"HX-Request": "true", "X-CSRFToken": browser.csrf})
        assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login"), (method, path)


def test_an_officer_cannot_reach_the_desk_and_a_supervisor_not_the_accounts(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    for method, path in routes(app, "/admin"):
        answer = client.open(path, method=method, data={"csrf_token": officer.csrf})
        assert answer.status_code == 403, (method, path)
    client.post("/logout", data={"csrf_token": officer.csrf})
    supervisor = signed_in(app, client, "supervisor")
    for method, path in routes(app, ADMIN_ONLY[0]):
        assert client.open(path, method=method, data={"csrf_token": supervisor.csrf}).status_code == 403
    assert client.get("/admin").status_code == 200 and client.get("/staff/counters/1").status_code == 200


def test_every_form_needs_its_csrf_token(client: FlaskClient, app: Flask) -> None:
    signed_in(app, client, "admin")
    for method, path in every_route(app):
        if method == "POST":
            refused = client.post(path, headers={"HX-Request": "true"})
            assert refused.status_code == 400 and refused.headers["HX-Refresh"] == "true", path  # a fresh token
    plain = client.post("/login", data={"username": "admin", "password": "x"})
    assert plain.status_code == 400 and "Trang này đã hết hạn nên chưa có gì được gửi đi." in plain.text
    assert client.post("/logout").status_code == 400
