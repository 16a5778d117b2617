"""Refusals as JSON in the caller's language, with the status code that says why."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from kiosk.domain.queue import errors
from kiosk.web.api.blueprint import bp
from kiosk.web.common.refusals import queue_refusal


class ApiError(Exception):
    """Bad input or credentials; carries its status code and an already translated message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message), status


@bp.errorhandler(errors.QueueError)
def queue_error(exc: errors.QueueError) -> tuple[Response, int]:
    return error_response(*queue_refusal(exc))


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
