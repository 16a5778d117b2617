"""Issuing tickets with a fixed clock: numbering per service and office day, the daily cap, unknown services,
closed hours, and finding a ticket by its scanned QR or its number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.data.models import Service, TicketSequence
from kiosk.domain.queue import tickets
from kiosk.domain.queue.errors import DailyCapError, OfficeClosedError, TicketNotFoundError, UnknownServiceError
from kiosk.domain.queue.numbering import service_day, typed_number
from tests.support.domain import committing, issue


def test_numbers_count_per_service_and_restart_at_local_midnight(session, office, settings, morning) -> None:
    first = [issue(session, office, settings, morning).number for _ in range(3)]
    other = issue(session, office, settings, morning, "passport-reissue").number
    assert first == ["A001", "A002", "A003"] and other == "B001"
    # 23:59 and 00:01 in Hanoi are 16:59 and 17:01 UTC: the second is a new office day.
    before = morning.replace(hour=16, minute=59)
    after = morning.replace(hour=17, minute=1)
    assert issue(session, office, settings, before).number == "A004"
    fresh = issue(session, office, settings, after)
    assert fresh.number == "A001" and fresh.service_day == (morning + timedelta(days=1)).date()


def test_four_digits_after_999(session, office, settings, morning) -> None:
    service = session.scalars(select(Service).where(Service.code == "passport-lost")).one()
    with committing(session):
        day = service_day(office, morning)
        session.add(TicketSequence(office_id=office.id, service_id=service.id, service_day=day, last=999))
    assert issue(session, office, settings, morning, "passport-lost").number == "D1000"


def test_daily_cap_refuses_and_keeps_numbers_gap_free(session, office, settings, morning) -> None:
    with committing(session):
        session.scalars(select(Service).where(Service.code == "border-pass")).one().daily_cap = 2
    issue(session, office, settings, morning, "border-pass")
    issue(session, office, settings, morning, "border-pass")
    with pytest.raises(DailyCapError):
        issue(session, office, settings, morning, "border-pass")
    with committing(session):
        session.scalars(select(Service).where(Service.code == "border-pass")).one().daily_cap = 3
    assert issue(session, office, settings, morning, "border-pass").number == "E003"


def test_unknown_service_and_closed_hours(session, office, settings, morning) -> None:
    with pytest.raises(UnknownServiceError):
        issue(session, office, settings, morning, "no-such-service")
    with committing(session):
        office.enforce_hours = True
    sunday = morning + timedelta(days=6)
    with pytest.raises(OfficeClosedError):
        issue(session, office, settings, sunday)
    assert issue(session, office, settings, morning).number == "A001"  # Monday 09:00 is open


def test_a_scan_finds_the_ticket_by_its_qr_address_or_number(session, office, settings, morning) -> None:
    ticket = issue(session, office, settings, morning)
    url = f"http://office.example/t/{ticket.token}"
    assert tickets.find_scanned(session, office, url + "\n", morning).id == ticket.id
    assert tickets.find_scanned(session, office, " a001 ", morning).id == ticket.id
    with pytest.raises(TicketNotFoundError):
        tickets.find_scanned(session, office, "A999", morning)
    with pytest.raises(TicketNotFoundError):
        tickets.find_scanned(session, office, "A001", morning + timedelta(days=1))  # numbers are per day


@pytest.mark.parametrize("typed", ["B1", "b1", "b001", " B001 ", "b01", "B 1", "b-001", "B0001"])
def test_a_number_is_found_however_an_officer_types_it(session, office, settings, morning, typed) -> None:
    ticket = issue(session, office, settings, morning, "passport-reissue")
    assert tickets.find_scanned(session, office, typed, morning).id == ticket.id


def test_what_is_no_ticket_number_is_not_read_as_one() -> None:
    assert [typed_number(typed) for typed in ("B1000", "a12", "AB1", "12", "B1x", "")] == [
        "B1000", "A012", "AB1", "12", "B1X", ""]
