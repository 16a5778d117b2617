"""Bookings on the supervisor's desk: a day's bookings by slot with their state, the week's occupancy, booking on
a caller's behalf (the phone's rules, without the address limit), and cancelling one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from htmx_flask import request

from kiosk.domain.appointments import booking, calendar
from kiosk.domain.appointments.desk import day_bookings, week_occupancy
from kiosk.domain.languages import LANGUAGES
from kiosk.domain.queue.numbering import service_day
from kiosk.web.admin.blueprint import bp
from kiosk.web.admin.views import office
from kiosk.web.common.bookings import booking_refusal, booking_rules, cancel_booking, make_booking
from kiosk.web.common.db import read_db, runtime
from kiosk.web.common.local_dates import local_day, local_time

START = "%Y%m%dT%H%MZ"


@bp.get("/bookings")
def bookings_page() -> str:
    return _page()


@bp.post("/bookings")
def book_for_caller() -> tuple[str, int] | str:
    """Staff book for a citizen on the phone or at the desk: the same checks, the booking is theirs."""
    service_code, _sep, start_text = request.form.get("slot", "").partition("@")
    values = {key: request.form.get(key, "") for key in ("slot", "id_number", "phone", "language")}
    try:
        start = datetime.strptime(start_text, START).replace(tzinfo=UTC)
    except ValueError:
        return _page(values=values, error=_("Choose a time.")), 422
    language = values["language"] if values["language"] in LANGUAGES else "vi"
    asked = booking.BookingRequest(service_code, start, values["id_number"], values["phone"], language,
                                   current_user.actor)
    try:
        made = make_booking(current_user.office_id, asked)
    except booking.BookingError as exc:
        status, words = booking_refusal(exc)
        return _page(values=values, error=words), status
    message = _("Booked: code %(code)s, %(when)s. Read the code to the caller.", code=made.code,
                when=local_time(made.slot_at, office().timezone))
    return _page(message=message, day=service_day(office(), made.slot_at))


@bp.post("/bookings/<code>/cancel")
def cancel_for_caller(code: str) -> tuple[str, int] | str:
    try:
        cancel_booking(current_user.office_id, code, current_user.actor)
    except booking.BookingError as exc:
        status, words = booking_refusal(exc)
        return _page(error=words), status
    return _page(message=_("Booking %(code)s cancelled; its place is free again.", code=code))


def _page(*, values: dict[str, str] | None = None, message: str | None = None, error: str | None = None,
          day: date | None = None) -> str:
    own, rules, now, session = office(), booking_rules(), runtime().clock(), read_db()
    day = day or _chosen_day() or service_day(own, now)
    free = {service: calendar.free_slots(session, own, service, day, day, now, rules).get(day, [])
            for service in own.services if service.active}
    return render_template("admin/bookings.html", day=day, lines=day_bookings(session, own, day, now, rules),
                           week=week_occupancy(session, own, day, now, rules), free=free, values=values or {},
                           message=message, error=error, timezone=own.timezone, local_time=local_time,
                           local_day=local_day, start_format=START, languages=LANGUAGES,
                           previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1))


def _chosen_day() -> date | None:
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None
