"""Revoking a device from the supervisor's desk: the device is refused at once, on the API and on its paired
screen, and the audit log says who did it; officers cannot, and neither can a request without the page's token."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Event
from kiosk.domain.office.devices import device_for_token
from kiosk.runtime import Runtime
from tests.support.app import auth, make_token
from tests.support.htmx_client import signed_in
from tests.support.staff_pages import outcome


@pytest.fixture
def display(app: Flask) -> str:
    return make_token(app, "display")


def in_use(app: Flask, token: str) -> bool:
    rt: Runtime = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        return device_for_token(session, token) is not None


def test_a_supervisor_revokes_a_display_from_the_desk(app: Flask, client: FlaskClient, display: str) -> None:
    screen = app.test_client()
    assert screen.get(f"/display?device={display}").status_code == 302  # paired: the token moves into a cookie
    assert screen.get("/display").status_code == 200
    supervisor = signed_in(app, client, "supervisor", "boss")
    row = re.search(r'<tr data-device="test-display".*?</tr>', supervisor.page("/admin"), re.S)
    assert row, "the desk lists the display"
    assert 'hx-confirm="Thu hồi test-display? Thiết bị sẽ ngừng hoạt động ngay' in row.group(0)
    assert 'name="name" value="test-display"' in row.group(0)

    answer = supervisor.html("/admin/devices/revoke", name="test-display")
    assert outcome(answer) == "Đã thu hồi test-display; thiết bị chỉ hoạt động lại khi có mã thiết bị mới."
    assert 'data-device="test-display"' not in answer
    assert screen.get("/display").status_code == 401 and screen.get("/display/stream").status_code == 401
    api = client.get("/api/v1/events", headers=auth(display))
    assert api.status_code == 401 and "error" in api.get_json()

    rt: Runtime = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        logged = session.scalars(select(Event).where(Event.kind == "device.revoked")).one()
    assert logged.actor == "staff:boss" and logged.payload["name"] == "test-display"
    again = supervisor.html("/admin/devices/revoke", name="test-display")
    assert outcome(again) == "Không có thiết bị đang hoạt động nào tên là test-display."


def test_an_officer_cannot_revoke(app: Flask, client: FlaskClient, display: str) -> None:
    officer = signed_in(app, client, "officer")
    assert officer.post("/admin/devices/revoke", name="test-display").status_code == 403
    assert in_use(app, display)


def test_revoking_needs_the_desk_page_s_csrf_token(app: Flask, client: FlaskClient, display: str) -> None:
    supervisor = signed_in(app, client, "supervisor")
    forged = client.post("/admin/devices/revoke", data={"name": "test-display"}, headers={"HX-Request": "true"})
    assert forged.status_code == 400
    assert supervisor.post("/admin/devices/revoke", name="test-display").status_code == 200  # the page's own token
    assert not in_use(app, display)
