"""A service nobody serves (its only counter paused): every screen says so instead of promising a wait. In the
example office counter 6 alone serves F (visas for foreigners)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Office, Ticket
from kiosk.domain.printing.ticket_text import printable_ticket
from kiosk.domain.queue import calls
from tests.support.app import auth, make_token
from tests.support.htmx_client import paired_kiosk, signed_in


def pause_counter_6(app: Flask) -> None:
    rt = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = session.scalars(select(Office)).one()
        calls.set_counter_state(session, calls.get_counter(session, office, 6), "paused", rt.clock())


def test_every_screen_says_no_counter_is_open_for_it(app: Flask, client: FlaskClient) -> None:
    kiosk_token = make_token(app, "kiosk")
    pause_counter_6(app)
    kiosk = paired_kiosk(app, app.test_client())
    services = kiosk.get("/kiosk/services")
    visa = services[services.index('data-service="foreigners"') - 200:services.index('data-service="foreigners"') + 400]
    assert "is-unattended" in visa and "Hiện không có quầy nào mở cho dịch vụ này" in visa
    assert "phút" not in visa  # no wait promised
    ticket = kiosk.html("/kiosk/tickets", service="foreigners")
    assert "Hiện không có quầy nào mở" in ticket and "F001" in ticket
    listed = {s["code"]: s for s in client.get("/api/v1/services", headers=auth(kiosk_token)).get_json()}
    assert (listed["foreigners"]["estimated_wait_s"], listed["foreigners"]["counters_open"]) == (None, 0)
    assert listed["passport-first"]["counters_open"] == 2 and listed["passport-first"]["estimated_wait_s"] == 0
    rt = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        issued = session.scalars(select(Ticket)).one()
        printed = printable_ticket(session, issued.id, rt.settings, rt.config, rt.clock())
    assert printed.wait_line.startswith("Hiện không có quầy nào mở")
    desk = signed_in(app, app.test_client(), "supervisor").get("/admin/live")
    assert 'data-unserved="foreigners"' in desk and "1 người đang chờ" in desk
    display = app.test_client()
    assert display.get(f"/display?device={make_token(app, 'display')}").status_code == 302
    hall = display.get("/display").get_data(as_text=True)
    assert 'data-counter="6" data-paused' in hall and 'data-prefix="F" data-unserved' in hall
