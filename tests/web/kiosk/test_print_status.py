"""What the kiosk and the desk say while a ticket waits for its printer: never "printed" before it is, what the
citizen can do meanwhile, and since when the printer is off with how many tickets waiting (plurals per language)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.data.models import PrintJob
from kiosk.domain.printing import jobs
from kiosk.runtime import Runtime
from tests.support.htmx_client import paired_kiosk, signed_in

LEASE = timedelta(seconds=50)


def printer_fails(app: Flask) -> None:
    """One try of every waiting job, each finding the kiosk's printer off."""
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        for job in session.scalars(select(PrintJob).where(PrintJob.status == "pending")):
            assert jobs.claim(session, job.id, rt.clock(), LEASE) is not None
            jobs.finish(session, job.id, "pending", "printer offline", rt.clock() + timedelta(seconds=5),
                        ("offline", "printer offline"), rt.clock())


def printer_prints(app: Flask) -> None:
    """The printer is back: the retry, when it is due, prints."""
    rt: Runtime = app.extensions["kiosk"]
    retry = rt.clock() + timedelta(seconds=5)
    with rt.sessions.begin() as session:
        for job in session.scalars(select(PrintJob).where(PrintJob.status == "pending")):
            assert jobs.claim(session, job.id, retry, LEASE) is not None
            jobs.finish(session, job.id, "printed", None, None, ("ok", None), retry)


def test_the_kiosk_never_says_printed_before_the_printer_took_the_ticket(app: Flask, client: FlaskClient) -> None:
    kiosk = paired_kiosk(app, client)
    assert kiosk.post("/kiosk/language", lang="en").status_code == 204
    ticket = kiosk.html("/kiosk/tickets", service="passport-first")
    assert 'data-status="pending"' in ticket and "Printing your ticket" in ticket
    printer_fails(app)
    waiting = kiosk.get("/kiosk/ticket/print-status")
    assert 'data-status="retrying"' in waiting and "Printed" not in waiting
    assert "The printer is not working right now" in waiting and "photograph the QR code" in waiting
    assert 'hx-trigger="every 1s"' in waiting  # it keeps watching: the ticket may still print
    printer_prints(app)
    printed = kiosk.get("/kiosk/ticket/print-status")
    assert 'data-status="printed"' in printed and "please take your ticket" in printed


def test_the_kiosk_says_it_in_vietnamese_first(app: Flask, client: FlaskClient) -> None:
    kiosk = paired_kiosk(app, client)
    kiosk.html("/kiosk/tickets", service="passport-first")
    printer_fails(app)
    assert "Máy in đang gặp sự cố" in kiosk.get("/kiosk/ticket/print-status")


def test_the_desk_says_since_when_the_printer_is_off_and_how_many_tickets_wait(app: Flask,
                                                                               client: FlaskClient) -> None:
    kiosk = paired_kiosk(app, client)
    kiosk.html("/kiosk/tickets", service="passport-first")
    printer_fails(app)
    desk = signed_in(app, app.test_client(), "supervisor", "boss")
    one = desk.get("/admin/live?lang=en")
    assert "Printer offline" in one and "since 09:00" in one and "1 ticket waiting to print" in one
    kiosk.html("/kiosk/tickets", service="passport-first")
    kiosk.html("/kiosk/tickets", service="passport-first")
    assert "3 tickets waiting to print" in desk.get("/admin/live?lang=en")
    assert "3 vé đang chờ in" in desk.get("/admin/live?lang=vi") and "3 张票等待打印" in desk.get("/admin/live?lang=zh")


def test_the_kiosk_says_when_its_printer_stopped_working_and_stops_saying_it_when_it_is_back(
    app: Flask, client: FlaskClient
) -> None:
    kiosk = paired_kiosk(app, client)
    assert "printer-down" not in kiosk.get("/kiosk/health")
    kiosk.html("/kiosk/tickets", service="passport-first")
    printer_fails(app)
    assert "Máy in phiếu không hoạt động từ 09:00" in kiosk.get("/kiosk/health")
    printer_prints(app)
    assert "printer-down" not in kiosk.get("/kiosk/health")
