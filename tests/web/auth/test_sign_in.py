"""Signing in and out: where a sign-in leads (never to another site), how long it lasts, and that a deactivated
account or a signed-out session stops at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk import create_app
from kiosk.data.models import Event
from tests.support.htmx_client import StaffClient, make_account, signed_in


def test_sign_in_sends_officers_to_the_counters_and_back_where_they_were(client: FlaskClient, app: Flask) -> None:
    make_account(app, "officer1", "officer")
    browser = StaffClient(client)
    wrong = browser.sign_in("officer1", "not it")
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in wrong.get_data(as_text=True)
    assert browser.sign_in("officer1").headers["Location"] == "/staff"
    client.post("/logout", data={"csrf_token": browser.csrf})
    assert client.get("/staff").status_code == 302
    back = client.post("/login?next=/staff/counters/2", data={"username": "officer1", "password": "correct horse",
                                                               "csrf_token": browser.csrf})
    assert back.headers["Location"] == "/staff/counters/2"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "////evil.example/x", "/\t/evil.example/", "/\n/evil.example/", " //evil.example/"])
def test_sign_in_never_sends_staff_to_another_site(client: FlaskClient, app: Flask, target: str) -> None:
    make_account(app, "officer1", "officer")
    browser = StaffClient(client)
    answer = client.post("/login", data={"username": "officer1", "password": "correct horse", "next": target,
                                          "csrf_token": browser.csrf})
    assert answer.headers["Location"] == "/staff"


def test_a_long_name_typed_at_sign_in_is_only_a_wrong_name(client: FlaskClient, app: Flask) -> None:
    make_account(app, "officer1", "officer")
    browser = StaffClient(client)
    answer = browser.sign_in("x" * 200, "whatever")
    assert answer.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in answer.text


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


def test_signing_out_ends_the_sign_in_a_copied_cookie_carries(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)  # type: ignore[union-attr]
    assert copy.get("/staff/counters/1").status_code == 200
    client.post("/logout", data={"csrf_token": officer.csrf})
    assert copy.get("/staff/counters/1").status_code == 302
    assert officer.sign_in("officer").status_code == 302 and client.get("/staff/counters/1").status_code == 200


def test_the_sign_in_cookie_lasts_a_working_day_and_stays_on_this_site(client: FlaskClient, app: Flask) -> None:
    make_account(app, "officer1", "officer")
    cookie = StaffClient(client).sign_in("officer1").headers["Set-Cookie"]
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))  # type: ignore[union-attr]
    assert abs((expires - datetime.now(UTC)) - timedelta(hours=12)) < timedelta(minutes=1)
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # the demo office is served over plain http on the LAN


def test_behind_https_the_cookie_is_sent_over_https_only(office_env: dict[str, str], morning) -> None:
    app = create_app({"environ": dict(office_env, KIOSK_PUBLIC_URL="https://xnc.example.vn"),
                      "clock": lambda: morning, "start_hub": False})
    try:
        make_account(app, "officer1", "officer")
        client = app.test_client()
        cookie = StaffClient(client).sign_in("officer1").headers["Set-Cookie"]
    finally:
        app.extensions["kiosk"].engine.dispose()
    assert "; Secure" in cookie


def test_one_address_guessing_passwords_is_slowed_down_and_told_so(client: FlaskClient, app: Flask) -> None:
    make_account(app, "officer1", "officer")
    browser = StaffClient(client)
    answers = [browser.sign_in(f"name{n}", "guess").status_code for n in range(12)]
    assert answers[:10] == [401] * 10 and answers[10:] == [429, 429]
    refused = browser.sign_in("officer1")
    assert refused.status_code == 429 and "Thử quá nhiều lần" in refused.get_data(as_text=True)
    elsewhere = StaffClient(client)  # another desk of the office
    answer = client.post("/login", data={"username": "officer1", "password": "correct horse",
                                         "csrf_token": elsewhere.csrf}, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert answer.status_code == 302


def test_a_failed_sign_in_keeps_no_more_of_the_name_than_a_name_holds(client: FlaskClient, app: Flask) -> None:
    make_account(app, "officer1", "officer")
    answer = StaffClient(client).sign_in("x" * 1900, "guess")
    assert answer.status_code == 401
    with app.extensions["kiosk"].readonly_sessions() as session:
        event = session.scalars(select(Event).where(Event.kind == "staff.login_failed")).one()
        assert event.payload["username"] == "x" * 64
    assert ("x" * 65) not in answer.get_data(as_text=True)  # the form shows back what is kept
