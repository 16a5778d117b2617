"""Why the queue (or a check-in by code) refused, in the caller's language, with the HTTP status that says so:
for the API and every screen."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from kiosk.domain.appointments import check_in as appointments
from kiosk.domain.queue import errors
from kiosk.web.common.local_dates import local_moment, local_time

# Each refusal's status and words; the error's text is its subject (a service's code, a counter's or ticket's number).
REFUSALS: dict[type[errors.QueueError], tuple[int, Callable[[str], str]]] = {
    errors.UnknownServiceError: (422, lambda code: _("Unknown service: %(code)s.", code=code)),
    errors.OfficeClosedError: (409, lambda _office: _(
        "The office is closed now. Tickets are issued during opening hours.")),
    errors.DailyCapError: (409, lambda _service: _("All of today's tickets for this service have been given out.")),
    errors.TicketNotFoundError: (404, lambda _typed: _("No such ticket.")),
    errors.CounterNotFoundError: (404, lambda number: _("No such counter: %(number)s.", number=number)),
    errors.CounterClosedError: (409, lambda number: _("Counter %(number)s is not open.", number=number)),
    errors.NoCurrentTicketError: (409, lambda number: _("Counter %(number)s has no ticket in progress.",
                                                         number=number)),
    errors.CounterChangedError: (409, lambda number: _(
        "Counter %(number)s changed meanwhile (another tablet acted). Nothing was done; here is what it has now.",
        number=number)),
    errors.UnknownCounterStateError: (400, lambda _state: _("A counter is open, paused or closed.")),
    errors.NoteTooLongError: (422, lambda _longest: _("A reason or note of at most 200 characters, please.")),
    errors.RequeueLimitError: (409, lambda number: _("Ticket %(number)s has already been put back in the queue.",
                                                      number=number)),
    errors.WrongStateError: (409, lambda number: _(
        "Ticket %(number)s has changed meanwhile; another counter may have called it.", number=number)),
}


def queue_refusal(exc: errors.QueueError) -> tuple[int, str]:
    status, words = REFUSALS.get(type(exc), REFUSALS[errors.WrongStateError])
    return status, words(str(exc))


def check_in_refusal(exc: appointments.CheckInError) -> tuple[int, str]:
    """Why a code gave no ticket, for the kiosk's screen and the API."""
    if isinstance(exc, appointments.CodeUsedError):
        return 409, _("This code has already been used for a ticket. Please ask at the information desk.")
    if isinstance(exc, appointments.ExpiredCodeError):
        return 409, _("This code has expired. Please declare again, on your phone or here.")
    if isinstance(exc, appointments.NotTodayError):
        return 409, _("Your appointment is for another day. Please check the date.")
    if isinstance(exc, appointments.TooEarlyError):
        return 409, _("You are early for your booking. Please come back from %(time)s.",
                      time=local_time(exc.opens_at, exc.timezone))
    if isinstance(exc, appointments.TooLateError):
        times = ", ".join(local_moment(slot.start, exc.timezone, year=False) for slot in exc.next_slots)
        return 409, (_("You are too late for your booking. Free times to book again: %(times)s.", times=times)
                     if times else _("You are too late for your booking. Please book another time."))
    if isinstance(exc, appointments.CancelledBookingError):
        return 409, _("This booking was cancelled. Please book again, or take a ticket.")
    return 404, _("We could not find this code. Please check the digits and try again.")
