"""Booking on a fixed clock: the code, the checks on the booker, no touts (one live booking per ID number and
service, limits per phone and address, keyed hashes only), the last place taken once by two sessions at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from kiosk.data.engine import session_factory
from kiosk.data.models import Appointment, Office
from kiosk.domain.appointments import booking
from kiosk.domain.appointments.keys import keyed
from kiosk.domain.appointments.rules import BookingRules
from tests.domain.appointments.conftest import ID_NUMBER, PHONE, SECRET
from tests.domain.appointments.test_calendar import TUESDAY, local

SLOT = local(TUESDAY, 8)


def someone(n: int) -> dict[str, str]:
    """Another citizen: their own ID number and phone."""
    return {"id_number": f"0401950001{n:02d}", "phone": f"09123456{n:02d}"}


def test_a_booking_has_a_long_random_code_and_keeps_no_numbers(
        session: Session, make_booking: Callable[..., Appointment]) -> None:
    made = make_booking(SLOT)
    assert len(made.code) == booking.BOOKING_DIGITS and made.code.isdigit()
    assert (made.slot_at, made.ends_at, made.status) == (SLOT, SLOT + timedelta(minutes=15), "booked")
    stored = " ".join(str(v) for v in session.execute(
        Appointment.__table__.select().where(Appointment.id == made.id)).one())
    assert ID_NUMBER not in stored and PHONE not in stored  # keyed hashes only
    assert made.id_key == keyed(SECRET, "id", ID_NUMBER)  # HMAC with the app's secret


def test_the_booker_is_checked_like_the_declaration(make_booking: Callable[..., Appointment]) -> None:
    with pytest.raises(booking.BookerProblem, match="id_number"):
        make_booking(SLOT, id_number="12345")
    with pytest.raises(booking.BookerProblem, match="phone"):
        make_booking(SLOT, phone="12345")
    with pytest.raises(booking.NotASlotError):  # not a slot's start
        make_booking(SLOT + timedelta(minutes=5))
    with pytest.raises(booking.NotASlotError):  # begun
        make_booking(local(TUESDAY, 8) - timedelta(days=1))


def test_no_touts(session: Session, office: Office, morning: datetime, rules: BookingRules,
                  make_booking: Callable[..., Appointment]) -> None:
    first = make_booking(SLOT)
    with pytest.raises(booking.AlreadyBookedError):  # the same ID number, another time: refused
        make_booking(SLOT + timedelta(days=1), phone="0987654321")
    make_booking(SLOT, service="passport-lost")  # another service: allowed (the phone's second today)
    with pytest.raises(booking.PhoneLimitError):
        make_booking(SLOT, service="foreigners", id_number="040195000999")
    for n in range(rules.per_address_per_day):
        make_booking(SLOT + timedelta(days=2, minutes=15 * n), service="border-pass", address="10.0.0.9",
                     **someone(n))
    with pytest.raises(booking.AddressLimitError):
        make_booking(SLOT + timedelta(days=3), service="border-pass", address="10.0.0.9", **someone(50))
    with session.begin():
        booking.cancel(session, office, first.code, morning, "citizen")
    again = make_booking(SLOT + timedelta(days=1), phone="0987654321")  # cancelled: the ID may book again
    assert again.status == "booked"


def test_full_slot_refused(make_booking: Callable[..., Appointment]) -> None:
    for n in range(4):  # 6 places, 4 bookable
        make_booking(SLOT, **someone(n))
    with pytest.raises(booking.SlotFullError):
        make_booking(SLOT, **someone(9))


def test_two_sessions_at_once_never_both_get_the_last_place(
        session: Session, office: Office, morning: datetime, rules: BookingRules,
        make_booking: Callable[..., Appointment]) -> None:
    for n in range(3):
        make_booking(SLOT, **someone(n))
    factory = session_factory(session.get_bind())  # type: ignore[arg-type]
    barrier, outcomes = threading.Barrier(2), []

    def citizen(n: int) -> None:
        asked = booking.BookingRequest("passport-first", SLOT, language="vi", actor="citizen", **someone(n))
        with factory() as own:
            barrier.wait()
            try:
                with own.begin():
                    booking.book(own, own.get_one(Office, office.id), asked, morning, rules, SECRET)
                outcomes.append("booked")
            except booking.SlotFullError:
                outcomes.append("full")

    threads = [threading.Thread(target=citizen, args=(n,)) for n in (10, 11)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["booked", "full"]
