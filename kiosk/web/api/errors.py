"""Refusals as JSON in the caller's language, with the status code that says why.

werkzeug's own (404 for an address no route matches, 405, 413, the edge's 400) are answered as JSON by the
app's HTTPException handler (kiosk/web/common/error_pages.py), which sees them all, routed or not."""

from __future__ import annotations

from flask import Response, jsonify

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
