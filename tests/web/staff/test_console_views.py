"""The counter console through the test client, as htmx calls it: each button answers with the console and what
happened; a screen that is out of date never calls or finishes anyone by mistake; a console left open all day
keeps working, and a paired tablet opens on its own counter."""

from __future__ import annotations

import itertools
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import Event, Office, Ticket
from kiosk.runtime import Runtime
from tests.support.app import auth, make_token
from tests.support.htmx_client import StaffClient, signed_in
from tests.support.kiosk_factories import declared_ticket
from tests.support.staff_pages import outcome, shown_id, shown_ticket
from tests.support.tickets import take_ticket

CONSOLE = "/staff/counters/1"


@pytest.fixture
def officer(app: Flask, client: FlaskClient) -> StaffClient:
    return signed_in(app, client, "officer", "officer1")


def press(officer: StaffClient, action: str, html: str, **form: str) -> str:
    """Press a console button on the screen this html is: it posts the ticket the screen shows."""
    return officer.html(f"{CONSOLE}/{action}", shown=shown_id(html), **form)


def test_the_full_cycle_of_a_ticket(app: Flask, client: FlaskClient, officer: StaffClient, morning) -> None:
    ticks = itertools.count()  # time goes on, so the requeued ticket arrives after the others
    app.extensions["kiosk"].clock = lambda: morning + timedelta(seconds=next(ticks))
    kiosk = make_token(app, "kiosk")
    first, second = take_ticket(client, kiosk), take_ticket(client, kiosk)
    screen = officer.page(CONSOLE)
    assert "Chưa có ai tại quầy." in screen and 'data-ticket="A001"' in screen  # in the waiting list
    screen = press(officer, "call-next", screen)
    assert shown_ticket(screen) == "A001" and outcome(screen) == "Đã gọi số A001."
    screen = press(officer, "recall", screen)
    assert outcome(screen) == "Đã gọi lại số A001 (lần 1)." and 'class="recalls">2<' in screen
    screen = press(officer, "no-show", screen, requeue="1")
    assert shown_ticket(screen) == "" and "xếp lại cuối hàng" in outcome(screen)
    screen = press(officer, "call-next", screen)
    assert shown_ticket(screen) == second["number"]
    screen = press(officer, "call-next", screen)
    assert shown_ticket(screen) == first["number"]  # back from the end of the queue
    screen = press(officer, "start", screen)
    assert 'data-status="serving"' in screen and outcome(screen) == f"Đang tiếp nhận số {first['number']}."
    screen = press(officer, "complete", screen)
    assert shown_ticket(screen) == "" and outcome(screen) == f"Số {first['number']} đã xong."
    assert outcome(press(officer, "call-next", screen)) == "Không có ai đang chờ."
    actors = set(app.extensions["kiosk"].readonly_sessions().scalars(
        select(Event.actor).where(Event.kind.like("ticket.%"), Event.kind != "ticket.issued")))
    assert actors == {"staff:officer1"}


def test_a_second_tap_or_another_tablet_never_calls_twice(app: Flask, client: FlaskClient,
                                                          officer: StaffClient) -> None:
    kiosk = make_token(app, "kiosk")
    take_ticket(client, kiosk), take_ticket(client, kiosk)
    screen = officer.page(CONSOLE)
    called = press(officer, "call-next", screen)
    again = press(officer, "call-next", screen)  # the same, stale screen: a double tap
    assert "Quầy 1 vừa thay đổi" in outcome(again) and shown_ticket(again) == "A001"
    client.post("/api/v1/counters/1/complete", headers=auth(make_token(app, "staff")))  # another device finishes it
    stale = press(officer, "start", called)
    assert "Quầy 1 vừa thay đổi" in outcome(stale) and shown_ticket(stale) == ""
    rt: Runtime = app.extensions["kiosk"]
    statuses = rt.readonly_sessions().execute(select(Ticket.number, Ticket.status).order_by(Ticket.id)).all()
    assert [tuple(row) for row in statuses] == [("A001", "done"), ("A002", "waiting")]


def test_a_ticket_another_counter_called_gets_a_clear_outcome(app: Flask, client: FlaskClient,
                                                              officer: StaffClient) -> None:
    take_ticket(client, make_token(app, "kiosk"))
    client.post("/api/v1/counters/2/call-next", headers=auth(make_token(app, "staff")))
    screen = officer.page(CONSOLE)
    answer = press(officer, "call", screen, number="A001", reason="Có lịch hẹn")
    assert outcome(answer) == "Số A001 vừa thay đổi; có thể quầy khác đã gọi số này."
    assert shown_ticket(answer) == ""
    assert "lý do" in outcome(press(officer, "call", screen, number="A001", reason=""))


def test_transfer_keeps_the_arrival_and_says_where(app: Flask, client: FlaskClient, officer: StaffClient) -> None:
    ticket = take_ticket(client, make_token(app, "kiosk"))
    screen = press(officer, "call-next", officer.page(CONSOLE))
    screen = press(officer, "transfer", screen, service="passport-lost", note="Mất hộ chiếu cũ")
    assert outcome(screen) == "Số A001 đã được chuyển sang Trình báo mất hộ chiếu, giữ nguyên vị trí."
    rt: Runtime = app.extensions["kiosk"]
    moved = rt.readonly_sessions().scalars(select(Ticket)).one()
    assert (moved.status, moved.note, moved.arrived_at.isoformat()) == ("transferred", "Mất hộ chiếu cũ",
                                                                          ticket["issued_at"])


def test_pause_and_open_the_counter(app: Flask, officer: StaffClient) -> None:
    screen = officer.html(f"{CONSOLE}/state", state="paused")
    assert 'data-state="paused"' in screen and outcome(screen) == "Quầy tạm dừng."
    assert outcome(press(officer, "call-next", screen)) == "Quầy số 1 đang không mở."
    assert 'data-state="open"' in officer.html(f"{CONSOLE}/state", state="open")
    assert officer.post(f"{CONSOLE}/state", state="gone").status_code == 400
    assert officer.client.get("/staff/counters/99").status_code == 404


def test_scanning_the_qr_opens_the_declaration_and_logs_it(app: Flask, client: FlaskClient, officer: StaffClient,
                                                           config, settings, morning) -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions() as session:
        ticket = declared_ticket(session, session.scalars(select(Office)).one(), config, settings, morning)
    scanned = client.get(f"/staff/scan?counter=1&q=http://127.0.0.1:8000/t/{ticket.token}",
                         headers={"HX-Request": "true"})
    assert scanned.status_code == 204 and scanned.headers["HX-Redirect"] == f"/staff/tickets/{ticket.id}?counter=1"
    page = officer.page(scanned.headers["HX-Redirect"])
    assert 'data-kind="TK01"' in page
    blocks = re.findall(r'<section class="declaration-block" id="block-(\w+)"', page)
    assert blocks == ["who", "contact", "addresses", "family", "request"]
    assert "NGUYỄN" in page and "040195000123" in page and "Cấp hộ chiếu lần đầu" in page
    opened = rt.readonly_sessions().scalars(select(Event).where(Event.kind == "declaration.opened")).one()
    assert (opened.actor, opened.payload["ticket_id"], opened.payload["counter"]) == ("staff:officer1", ticket.id, None)
    missing = client.get("/staff/scan?counter=1&q=Z999", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Không tìm thấy số thứ tự này." in missing and 'id="scan"' in missing


def test_an_opening_is_logged_at_the_tablets_counter_whatever_the_address_says(
        app: Flask, client: FlaskClient, officer: StaffClient, config, settings, morning) -> None:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions() as session:
        ticket = declared_ticket(session, session.scalars(select(Office)).one(), config, settings, morning)
    client.get(f"/staff?device={make_token(app, 'staff', counter=2)}")
    for forged in ("-5", "6", "2"):
        assert "NGUYỄN" in officer.page(f"/staff/tickets/{ticket.id}?counter={forged}")
    with rt.readonly_sessions() as session:
        logged = session.scalars(select(Event).where(Event.kind == "declaration.opened").order_by(Event.id)).all()
        assert [event.payload["counter"] for event in logged] == [2, 2, 2]


def test_the_console_speaks_the_chosen_language(app: Flask, client: FlaskClient, officer: StaffClient) -> None:
    assert "叫下一个号" in officer.page(f"{CONSOLE}?lang=zh")
    assert "Call next" in officer.page(f"{CONSOLE}?lang=en") and "Call next" in officer.page(CONSOLE)


def test_a_console_left_open_all_day_keeps_its_buttons_working(client: FlaskClient, app: Flask) -> None:
    officer = signed_in(app, client, "officer")
    page = officer.page("/staff/counters/1")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)  # type: ignore[union-attr]  # what htmx sends
    later = time.time() + 10 * 3600  # the token's own age; the sign-in itself follows the office clock
    with mock.patch("time.time", lambda: later):
        pressed = client.post("/staff/counters/1/state", data={"state": "paused"},
                              headers={"HX-Request": "true", "X-CSRFToken": token})
    assert pressed.status_code == 200, pressed.text[:300]


def test_a_paired_tablet_opens_on_its_counter(client: FlaskClient, app: Flask) -> None:
    token = make_token(app, "staff", counter=2)
    assert client.get(f"/staff?device={token}").headers["Location"] == "/staff"  # paired before signing in
    assert client.get("/staff").headers["Location"].startswith("/login")
    signed_in(app, client, "officer")
    assert client.get("/staff").headers["Location"] == "/staff/counters/2"
    assert client.get("/staff?device=wrong").status_code == 401
