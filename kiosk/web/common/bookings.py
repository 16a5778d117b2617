"""What the booking screens share (the citizen's /book, the desk booking for a caller, the API): the office's
booking rules, one booking in its own transaction, and each refusal in the reader's language with its status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from kiosk.data.models import Appointment, Office
from kiosk.domain.appointments import booking
from kiosk.domain.appointments.rules import BookingRules
from kiosk.domain.appointments.window import check_in_from, check_in_until
from kiosk.web.common.db import db, runtime
from kiosk.web.common.local_dates import local_day, local_time

BOOKED_DAY = "yMMMMEEEEd"  # the booked day in words, with its weekday: Thứ Tư, 2 tháng 12, 2026

REFUSALS: dict[type[booking.BookingError], tuple[int, Callable[[], str]]] = {
    booking.NotASlotError: (409, lambda: _("This time cannot be booked (closed, past or too far ahead).")),
    booking.SlotFullError: (409, lambda: _("Someone has just taken the last place at this time. Please choose "
                                           "another.")),
    booking.AlreadyBookedError: (409, lambda: _("This ID number already has a booking for this service. Cancel it "
                                                "first to book another time.")),
    booking.PhoneLimitError: (409, lambda: _("This phone number has made today's bookings already.")),
    booking.AddressLimitError: (429, lambda: _("Too many bookings from this connection today.")),
    booking.UnknownBookingError: (404, lambda: _("We could not find this booking.")),
    booking.NotCancellableError: (409, lambda: _("This booking can no longer be cancelled.")),
}


def booking_rules() -> BookingRules:
    return BookingRules.from_config(runtime().config["appointments"])


def booking_refusal(exc: booking.BookingError) -> tuple[int, str]:
    if isinstance(exc, booking.BookerProblem):
        return 422, _(exc.problem.message, **exc.problem.params)
    status, words = REFUSALS[type(exc)]
    return status, words()


def make_booking(office_id: int, asked: booking.BookingRequest) -> Appointment:
    """Book in one transaction; a BookingError (or the queue's UnknownServiceError) says why not."""
    session = db()
    with session.begin():
        office = session.get_one(Office, office_id)
        made = booking.book(session, office, asked, runtime().clock(), booking_rules(),
                            current_app.config["SECRET_KEY"])
    return made


def cancel_booking(office_id: int, code: str, actor: str) -> Appointment:
    session = db()
    with session.begin():
        return booking.cancel(session, session.get_one(Office, office_id), code, runtime().clock(), actor)


def window_words(appointment: Appointment, timezone: str) -> dict[str, str]:
    """When to come, in the reader's words."""
    rules = booking_rules()
    return {"day": local_day(appointment.slot_at, timezone, BOOKED_DAY),
            "when": local_time(appointment.slot_at, timezone),
            "ends": local_time(appointment.ends_at, timezone),
            "from": local_time(check_in_from(appointment, rules), timezone),
            "until": local_time(check_in_until(appointment, rules), timezone)}


def check_in_times(appointment: Appointment) -> tuple[datetime, datetime]:
    rules = booking_rules()
    return check_in_from(appointment, rules), check_in_until(appointment, rules)

