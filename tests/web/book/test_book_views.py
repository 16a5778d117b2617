"""Booking through the Flask test client on a fixed clock (Monday 09:00 in Hanoi): /book on the phone, the code
and its QR, .ics, cancel; check-in at the kiosk in its window, the booker's card checked at the counter, the
hall's mark; the desk's day, week, calendar and booking for a
caller; the API's slots, booking (201/409) and cancel."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from kiosk.data.models import Ticket
from kiosk.domain.office.setup import sync_office
from tests.support.app import auth, make_token
from tests.support.htmx_client import csrf_of, paired_kiosk, signed_in

TUESDAY_0800 = "20261124T0100Z"  # 08:00 in Hanoi
TODAY_0930 = "20261123T0230Z"
BOOKER = {"id_number": "040195000123", "phone": "0912345678"}
CARD = "040195000123|187654321|Nguyễn Thị Ánh|25041995|Nữ|Phường Vinh Tân, Nghệ An|15042021"  # the chip card's QR


@pytest.fixture(autouse=True)
def office_loaded(app: Flask) -> None:
    rt = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        sync_office(session, rt.config)


def book(client: FlaskClient, start: str, service: str = "passport-first", **form: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(f"/book/{service}/details?start={start}").get_data(as_text=True))
    return client.post(f"/book/{service}", data={"csrf_token": token, "start": start, **BOOKER, **form})


def test_service_day_slot_details_then_a_code_with_its_qr(client: FlaskClient) -> None:
    assert "First passport" in client.get("/book?lang=en").get_data(as_text=True)
    days = client.get("/book/passport-first?day=2026-11-24").get_data(as_text=True)
    assert 'data-day="2026-11-24"' in days and f'data-start="{TUESDAY_0800}"' in days and "4 of 4 left" in days
    wrong = book(client, TUESDAY_0800, id_number="12345")
    assert wrong.status_code == 422 and 'id="problem-id_number"' in wrong.get_data(as_text=True)
    booked = book(client, TUESDAY_0800)
    assert booked.status_code == 302
    page = client.get(booked.headers["Location"]).get_data(as_text=True)
    code = re.search(r'data-code="(\d{10})"', page).group(1)  # type: ignore[union-attr]
    assert "Your time is booked" in page and "between 07:30 and 08:15" in page and "<svg" in page
    assert BOOKER["id_number"] not in page and BOOKER["phone"] not in page
    image = client.get(f"/book/c/{code}/code.png")
    assert [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))] == [code]
    ics = client.get(f"/book/c/{code}/booking.ics").get_data(as_text=True)
    assert "DTSTART:20261124T010000Z" in ics and "DTEND:20261124T011500Z" in ics and code in ics
    assert "3 of 4 left" in client.get("/book/passport-first?day=2026-11-24").get_data(as_text=True)
    again = book(app_client := client, TUESDAY_0800, phone="0987654321")
    assert again.status_code == 409 and "already has a booking" in again.get_data(as_text=True)
    token = csrf_of(app_client.get(f"/book/c/{code}").get_data(as_text=True))
    assert client.post(f"/book/c/{code}/cancel", data={"csrf_token": token}).status_code == 302
    assert 'data-status="cancelled"' in client.get(f"/book/c/{code}").get_data(as_text=True)
    assert client.get("/book/c/1234567890").status_code == 404


def test_check_in_at_the_kiosk_in_its_window_and_the_console_marks_it(
        app: Flask, client: FlaskClient, morning: datetime) -> None:
    code = book(app.test_client(), TODAY_0930).headers["Location"].rsplit("/", 1)[1]
    kiosk = paired_kiosk(app, client)
    app.extensions["kiosk"].clock = lambda: morning - timedelta(minutes=1)
    assert "Vui lòng quay lại từ 09:00." in kiosk.html("/kiosk/code", code=code)  # "come back from 09:00"
    app.extensions["kiosk"].clock = lambda: morning
    assert "A001" in kiosk.html("/kiosk/code", code=code)
    officer = signed_in(app, app.test_client(), "officer", "officer1")
    waiting = officer.page("/staff/counters/1")
    assert re.search(r'data-ticket="A001".*?is-appointment', waiting, re.S)
    with app.extensions["kiosk"].readonly_sessions() as session:
        ticket_id = session.scalars(select(Ticket.id).where(Ticket.number == "A001")).one()
    # At the counter, the card in front of the officer against the booking (typed, or scanned: the card's QR).
    assert 'id="holder"' in officer.page(f"/staff/tickets/{ticket_id}")
    holder = f"/staff/tickets/{ticket_id}/holder"
    assert 'data-holder="matches"' in officer.post(holder, id_number=CARD).get_data(as_text=True)
    assert 'data-holder="differs"' in officer.post(holder, id_number="040195000124").get_data(as_text=True)
    assert officer.post(holder, id_number="12345").status_code == 422
    # Called to counter 1: the hall's tile says the ticket came with a booking.
    assert "A001" in officer.html("/staff/counters/1/call-next")
    hall = app.test_client()
    assert hall.get(f"/display?device={make_token(app, 'display')}").status_code == 302
    tiles = hall.get("/display").get_data(as_text=True)
    assert re.search(r'data-counter="1".*?data-ticket="A001".*?data-booked', tiles, re.S)


def test_the_api_books_the_last_place_once(app: Flask, client: FlaskClient) -> None:
    headers = auth(make_token(app, "staff"))
    slots = client.get("/api/v1/slots?service=border-pass&date=2026-11-24", headers=headers).get_json()
    first = slots[0]
    assert (first["places"], first["left"]) == (2, 2) and first["start"] == "2026-11-24T00:30:00+00:00"
    body = {"service": "border-pass", "start": "2026-11-24T07:30:00+07:00", "language": "en", **BOOKER}
    made = client.post("/api/v1/appointments", json=body, headers=headers)
    assert made.status_code == 201
    answer = made.get_json()
    assert answer["check_in_from"] == "2026-11-24T00:00:00+00:00" and answer["end"] == "2026-11-24T00:45:00+00:00"
    second = client.post("/api/v1/appointments", json={**body, "id_number": "040195000124"}, headers=headers)
    assert second.status_code == 201
    full = client.post("/api/v1/appointments", json={**body, "id_number": "040195000125", "phone": "0987654321"},
                       headers=headers)
    assert full.status_code == 409 and "last place" in full.get_json()["error"]
    cancelled = client.post(f"/api/v1/appointments/{answer['code']}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert client.get("/api/v1/slots?service=border-pass&date=2026-11-24", headers=headers).get_json()[0]["left"] == 1


def test_the_desk_sees_the_day_and_books_for_a_caller(app: Flask, client: FlaskClient) -> None:
    book(app.test_client(), TUESDAY_0800)
    desk = signed_in(app, client, "supervisor", "boss")
    page = desk.page("/admin/bookings?day=2026-11-24&lang=en")
    assert 'data-state="booked"' in page and "1 / " in page
    answer = desk.post("/admin/bookings", slot=f"border-pass@{TUESDAY_0800}", language="vi",
                       id_number="040195000777", phone="0912000111")
    assert answer.status_code == 200 and 'id="bookings-message"' in answer.get_data(as_text=True)
    calendar = desk.page("/admin/calendar")
    assert 'id="calendar-passport-first"' in calendar
    service_id = re.search(r'action="/admin/calendar/(\d+)" class="settings-row" id="calendar-passport-first"',
                           calendar).group(1)  # type: ignore[union-attr]
    form = {"bookable": "on", "slot_min": "15", "places": "6", "walk_in_percent": "30", "horizon_days": "14",
            "sessions_tue": "13:30-16:30", "sessions_mon": "07:30-11:30"}
    asked = desk.post(f"/admin/calendar/{service_id}", **form)
    assert asked.status_code == 409 and 'id="stranded"' in asked.get_data(as_text=True)
    kept = desk.post(f"/admin/calendar/{service_id}", keep="1", **form)
    assert kept.status_code == 200 and "1 booking kept at its time" in kept.get_data(as_text=True)
