"""Booking through the API (the national portal's bridge, a call centre, tests): a service's free slots on a
day, a booking, a cancellation. The rules are the phone page's (kiosk.domain.appointments)."""

from __future__ import annotations

from datetime import date

from flask import Response, g, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _
from htmx_flask import request

from kiosk.data.models import Appointment, Office
from kiosk.domain.appointments import booking, calendar
from kiosk.domain.queue.tickets import find_service
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.api.inputs import read_body
from kiosk.web.api.shapes import Book, Press
from kiosk.web.common.bookings import booking_refusal, booking_rules, cancel_booking, check_in_times, make_booking
from kiosk.web.common.db import read_db, runtime
from kiosk.web.common.limits import WRONG_CODES, device_or_address, limiter, refused


@bp.get("/slots")
@requires("kiosk", "staff")
def list_slots() -> Response:
    session, now = read_db(), runtime().clock()
    office = session.get_one(Office, caller().office_id)
    service = find_service(session, office, request.args.get("service", ""))
    try:
        day = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        raise ApiError(422, _("Field %(field)s must be a date like 2026-11-24.", field="date")) from None
    slots = calendar.free_slots(session, office, service, day, day, now, booking_rules()).get(day, [])
    return jsonify([{"start": s.start.isoformat(), "end": s.end.isoformat(), "places": s.places, "left": s.left}
                    for s in slots])


@bp.post("/appointments")
@requires("kiosk", "staff")
def book() -> tuple[Response, int]:
    body, who = read_body(Book), caller()
    asked = booking.BookingRequest(body.service, body.start, body.id_number, body.phone,
                                   body.language or str(get_locale()), who.actor, declaration_code=body.declaration)
    try:
        made = make_booking(who.office_id, asked)
    except booking.BookingError as exc:
        raise ApiError(*booking_refusal(exc)) from None
    opens, closes = check_in_times(made)
    return jsonify(code=made.code, service=made.service.code, start=made.slot_at.isoformat(),
                   end=made.ends_at.isoformat(), check_in_from=opens.isoformat(),
                   check_in_until=closes.isoformat()), 201


@bp.post("/appointments/<code>/cancel")
@limiter.limit(WRONG_CODES, key_func=device_or_address, deduct_when=refused)
@requires("kiosk", "staff")
def cancel_booking_by_code(code: str) -> Response:
    read_body(Press)
    try:
        cancelled: Appointment = cancel_booking(caller().office_id, code, caller().actor)
    except booking.BookingError as exc:
        g.refused = isinstance(exc, booking.UnknownBookingError)
        raise ApiError(*booking_refusal(exc)) from None
    return jsonify(code=cancelled.code, service=cancelled.service.code, start=cancelled.slot_at.isoformat(),
                   status=cancelled.status)
