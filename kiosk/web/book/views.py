"""`/book`: a time at the office, on the citizen's own phone and with no account. Service → day → a slot with
places left → the ID number and phone (checked as the declaration checks them) → the booking's code, its QR, the
time, what to bring, an .ics file, and a page to come back to (its address holds the code) to cancel.

Plain pages and forms, like /declare: a slow phone loses nothing, and nothing personal goes in an address.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, abort, g, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from htmx_flask import request
from werkzeug.wrappers import Response as BaseResponse

from kiosk.data.models import Appointment, Office, Service
from kiosk.domain.appointments import booking, calendar
from kiosk.domain.queue.errors import UnknownServiceError
from kiosk.domain.queue.numbering import service_day
from kiosk.domain.queue.tickets import find_service
from kiosk.web.book.calendar_file import ics
from kiosk.web.common.bookings import booking_refusal, booking_rules, make_booking, window_words
from kiosk.web.common.db import configured_office, db, keep_chosen_office, read_db, runtime
from kiosk.web.common.htmx import no_store
from kiosk.web.common.i18n import LANGUAGE_NAMES, keep_chosen_language
from kiosk.web.common.limits import WRONG_CODES, limiter, refused
from kiosk.web.common.local_dates import local_day, local_time
from kiosk.web.common.qr import qr_png, qr_svg

bp = Blueprint("book", __name__, url_prefix="/book")
START = "%Y%m%dT%H%MZ"  # a slot's start in an address: UTC, to the minute
BOOKINGS_PER_ADDRESS = "10 per minute;60 per hour"  # a form is filled in a minute; a script is not let run


bp.before_request(keep_chosen_language("book_language"))
bp.before_request(keep_chosen_office)


bp.after_request(no_store)


@bp.context_processor
def page_context() -> dict[str, object]:
    return {"language_names": LANGUAGE_NAMES, "local_time": local_time, "local_day": local_day}


@bp.get("")
def services_page() -> str:
    office, rules = _office(), booking_rules()
    bookable = [s for s in office.services
                if s.active and calendar.calendar_of(read_db(), office, s, rules).bookable]
    return render_template("book/services.html", office=office, services=bookable)


@bp.get("/<service_code>")
def days_page(service_code: str) -> str:
    """The days ahead with their places left; a chosen day's slots."""
    office, service = _service(service_code)
    today = service_day(office, runtime().clock())
    days = calendar.free_slots(read_db(), office, service, today, today + timedelta(days=120), runtime().clock(),
                               booking_rules())
    chosen = _day(request.args.get("day"))
    return render_template("book/days.html", office=office, service=service, days=days, chosen=chosen,
                           slots=days.get(chosen, []) if chosen else [], start_format=START)


@bp.get("/<service_code>/details")
def details_page(service_code: str) -> str:
    office, service = _service(service_code)
    return _details(office, service, _start(request.args.get("start", "")), {}, {})


@bp.post("/<service_code>")
@limiter.limit(BOOKINGS_PER_ADDRESS)
def book(service_code: str) -> tuple[str, int] | BaseResponse:
    office, service = _service(service_code)
    start = _start(request.form.get("start", ""))
    values = {key: request.form.get(key, "") for key in ("id_number", "phone", "declaration")}
    asked = booking.BookingRequest(service.code, start, values["id_number"], values["phone"], str(get_locale()),
                                   "citizen", address=get_remote_address(),
                                   declaration_code=values["declaration"] or None)
    try:
        made = make_booking(office.id, asked)
    except booking.BookingError as exc:
        status, words = booking_refusal(exc)
        where = exc.field if isinstance(exc, booking.BookerProblem) else "slot"
        return _details(office, service, start, values, {where: words}), status
    session["book_done"] = made.code
    return redirect(url_for("book.booking_page", code=made.code))


@bp.get("/c/<code>")
@limiter.limit(WRONG_CODES, deduct_when=refused)
def booking_page(code: str) -> str:
    appointment, office = _booking(code)
    return render_template("book/booking.html", office=office, appointment=appointment,
                           qr=qr_svg(appointment.code, _("Booking code")), times=window_words(appointment,
                                                                                               office.timezone),
                           just_booked=session.get("book_done") == appointment.code,
                           live=appointment.status == "booked" and appointment.slot_at > runtime().clock())


@bp.get("/c/<code>/code.png")
@limiter.limit(WRONG_CODES, deduct_when=refused)
def code_image(code: str) -> Response:
    appointment, _office = _booking(code)
    return Response(qr_png(appointment.code, caption=appointment.code), mimetype="image/png",
                    headers={"Content-Disposition": f'attachment; filename="lich-hen-{appointment.code}.png"'})


@bp.get("/c/<code>/booking.ics")
@limiter.limit(WRONG_CODES, deduct_when=refused)
def calendar_file(code: str) -> Response:
    appointment, office = _booking(code)
    language = str(get_locale())
    text = ics(f"{appointment.code}@{office.code}", appointment.slot_at, appointment.ends_at,
               appointment.service.name(language), office.name(language),
               _("Booking code: %(code)s. Check in at the kiosk from %(from)s to %(until)s.",
                 code=appointment.code, **{k: v for k, v in window_words(appointment, office.timezone).items()
                                           if k in ("from", "until")}),
               runtime().clock())
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="lich-hen-{appointment.code}.ics"'})


@bp.post("/c/<code>/cancel")
@limiter.limit(WRONG_CODES, deduct_when=refused)
def cancel(code: str) -> tuple[str, int] | BaseResponse:
    appointment, office = _booking(code)
    session_ = db()
    try:
        with session_.begin():
            booking.cancel(session_, session_.get_one(Office, office.id), appointment.code, runtime().clock(),
                           "citizen")
    except booking.BookingError as exc:
        status, words = booking_refusal(exc)
        return render_template("book/booking.html", office=office, appointment=appointment, error=words,
                               qr=qr_svg(appointment.code, _("Booking code")),
                               times=window_words(appointment, office.timezone), live=False), status
    return redirect(url_for("book.booking_page", code=appointment.code))


def _details(office: Office, service: Service, start: datetime, values: dict[str, str],
             problems: dict[str, str]) -> str:
    return render_template("book/details.html", office=office, service=service, start=start, values=values,
                           problems=problems, start_format=START, day=service_day(office, start))


def _office() -> Office:
    return configured_office(read_db())


def _service(code: str) -> tuple[Office, Service]:
    office = _office()
    try:
        service = find_service(read_db(), office, code)
    except UnknownServiceError:
        abort(404)
    if not service.active or not calendar.calendar_of(read_db(), office, service, booking_rules()).bookable:
        abort(404)
    return office, service


def _booking(code: str) -> tuple[Appointment, Office]:
    office = _office()
    try:
        return booking.find(read_db(), office, code), office
    except booking.BookingError:
        g.refused = True
        abort(404)


def _start(text: str) -> datetime:
    try:
        return datetime.strptime(text, START).replace(tzinfo=UTC)
    except ValueError:
        abort(400)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None

