"""Why the queue refused, in the caller's language, with the HTTP status that says so: for the API and every screen."""

from __future__ import annotations

from flask_babel import gettext as _

from kiosk.domain.queue import errors


def queue_refusal(exc: errors.QueueError) -> tuple[int, str]:
    subject = str(exc)
    if isinstance(exc, errors.UnknownServiceError):
        return 422, _("Unknown service: %(code)s.", code=subject)
    if isinstance(exc, errors.OfficeClosedError):
        return 409, _("The office is closed now. Tickets are issued during opening hours.")
    if isinstance(exc, errors.DailyCapError):
        return 409, _("All of today's tickets for this service have been given out.")
    if isinstance(exc, errors.TicketNotFoundError):
        return 404, _("No such ticket.")
    if isinstance(exc, errors.CounterNotFoundError):
        return 404, _("No such counter: %(number)s.", number=subject)
    if isinstance(exc, errors.CounterClosedError):
        return 409, _("Counter %(number)s is not open.", number=subject)
    if isinstance(exc, errors.NoCurrentTicketError):
        return 409, _("Counter %(number)s has no ticket in progress.", number=subject)
    if isinstance(exc, errors.CounterChangedError):
        return 409, _("Counter %(number)s changed meanwhile (another tablet acted). Nothing was done; "
                      "here is what it has now.", number=subject)
    if isinstance(exc, errors.UnknownCounterStateError):
        return 400, _("A counter is open, paused or closed.")
    if isinstance(exc, errors.NoteTooLongError):
        return 422, _("A reason or note of at most 200 characters, please.")
    if isinstance(exc, errors.RequeueLimitError):
        return 409, _("Ticket %(number)s has already been put back in the queue.", number=subject)
    return 409, _("Ticket %(number)s has changed meanwhile; another counter may have called it.", number=subject)
