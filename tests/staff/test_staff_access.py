"""Who reaches what: every staff and desk address (found in the app's own URL map, so a new one cannot be
forgotten) needs a signed-in account of the right role, every form needs its CSRF token, a sign-in expires."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app
from tests.staff.staff_support import StaffBrowser, make_account, signed_in
from tests.support.app import make_token

PROTECTED = ("/staff", "/admin")
ADMIN_ONLY = ("/admin/staff",)


def routes(app: Flask, prefix: str) -> Iterator[tuple[str, str]]:
    """(method, path) of every rule under the prefix, with 1 for each path parameter."""
    for rule in app.url_map.iter_rules():
        if rule.rule == prefix or rule.rule.startswith(prefix + "/"):
            path = re.sub(r"<[^>]+>", "1", rule.rule)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield method, path


def every_route(app: Flask) -> list[tuple[str, str]]:
    found = [route for prefix in PROTECTED for route in routes(app, prefix)]
    assert len(found) >= 25  # console actions, stream, scan, ticket, desk, settings, accounts
    return found


def test_a_signed_out_browser_reaches_no_staff_page_or_action(client: FlaskClient, app: Flask) -> None:
    browser = StaffBrowser(client)
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


def test_a_console_left_open_all_day_keeps_its_buttons_working(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    page = officer.get("/staff/counters/1")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)  # type: ignore[union-attr]  # what htmx sends
    later = time.time() + 10 * 3600  # the token's own age; the sign-in itself follows the office clock
    with mock.patch("time.time", lambda: later):
        pressed = client.post("/staff/counters/1/state", data={"state": "paused"},
                              headers={"HX-Request": "true", "X-CSRFToken": token})
    assert pressed.status_code == 200, pressed.text[:300]


def test_sign_in_sends_officers_to_the_counters_and_back_where_they_were(client: FlaskClient, app: Flask) -> None:
    make_account(app, "officer1", "officer")
    browser = StaffBrowser(client)
    wrong = browser.sign_in("officer1", "not it")
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in wrong.get_data(as_text=True)
    assert browser.sign_in("officer1").headers["Location"] == "/staff"
    client.post("/logout", data={"csrf_token": browser.csrf})
    assert client.get("/staff").status_code == 302
    back = client.post("/login?next=/staff/counters/2", data={"username": "officer1", "password": "correct horse",
                                                               "csrf_token": browser.csrf})
    assert back.headers["Location"] == "/staff/counters/2"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_sign_in_never_sends_staff_to_another_site(client: FlaskClient, app: Flask, target: str) -> None:
    make_account(app, "officer1", "officer")
    browser = StaffBrowser(client)
    answer = client.post("/login", data={"username": "officer1", "password": "correct horse", "next": target,
                                          "csrf_token": browser.csrf})
    assert answer.headers["Location"] == "/staff"


def test_a_sign_in_lasts_a_working_day(office_env: dict[str, str], morning) -> None:
    clock = [morning]
    app = create_app({"environ": office_env, "clock": lambda: clock[0], "start_hub": False})
    client = app.test_client()
    signed_in(app, client, "officer")
    assert client.get("/staff/counters/1").status_code == 200
    clock[0] = morning + timedelta(hours=11)
    assert client.get("/staff/counters/1").status_code == 200
    clock[0] = morning + timedelta(hours=12, minutes=1)
    assert client.get("/staff/counters/1").status_code == 302
    app.extensions["kiosk"].engine.dispose()


def test_a_deactivated_account_is_signed_out_at_once(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    other = app.test_client()
    admin = signed_in(app, other, "admin")
    users = other.get("/admin/staff").get_data(as_text=True)
    officer_id = re.search(r'id="account-(\d+)"[^>]*>\s*<label>[^<]*<input name="username" value="officer"', users)
    assert officer_id, users
    admin.html(f"/admin/staff/{officer_id.group(1)}", username="officer", full_name="Officer", role="officer")
    assert client.get("/staff/counters/1").status_code == 302
    assert officer.sign_in("officer").status_code == 401


def test_a_paired_tablet_opens_on_its_counter(client: FlaskClient, app: Flask) -> None:
    token = make_token(app, "staff", counter=2)
    assert client.get(f"/staff?device={token}").headers["Location"] == "/staff"  # paired before signing in
    assert client.get("/staff").headers["Location"].startswith("/login")
    signed_in(app, client, "officer")
    assert client.get("/staff").headers["Location"] == "/staff/counters/2"
    assert client.get("/staff?device=wrong").status_code == 401


def test_signing_out_ends_the_sign_in_a_copied_cookie_carries(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)  # type: ignore[union-attr]
    assert copy.get("/staff/counters/1").status_code == 200
    client.post("/logout", data={"csrf_token": officer.csrf})
    assert copy.get("/staff/counters/1").status_code == 302
    assert officer.sign_in("officer").status_code == 302 and client.get("/staff/counters/1").status_code == 200
