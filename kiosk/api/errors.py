"""Refusals as JSON in the caller's language, with the status code that says why."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from kiosk import errors
from kiosk.api import bp


class ApiError(Exception):
    """Bad input or credentials; carries its status code and an already translated message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _queue_message(exc: errors.QueueError) -> tuple[int, str]:
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
    if isinstance(exc, errors.RequeueLimitError):
        return 409, _("Ticket %(number)s has already been put back in the queue.", number=subject)
    return 409, _("Ticket %(number)s has changed meanwhile; another counter may have called it.", number=subject)


def error_response(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message), status


@bp.errorhandler(errors.QueueError)
def queue_error(exc: errors.QueueError) -> tuple[Response, int]:
    return error_response(*_queue_message(exc))


@bp.errorhandler(ApiError)
def api_error(exc: ApiError) -> tuple[Response, int]:
    return error_response(exc.status, exc.message)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> tuple[Response, int]:
    messages = {
        400: _("The request could not be read."),
        404: _("No such address in the API."),
        405: _("This method is not allowed here."),
    }
    status = exc.code or 500
    return error_response(status, messages.get(status, exc.description or exc.name))
