"""The live event stream (SSE) of kiosks, displays, tablets and integrations: the queue's events as JSON."""

from __future__ import annotations

import json

from flask import Response, request
from flask_babel import gettext as _

from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.events.log import streamed_payload
from kiosk.domain.whole_numbers import whole_number
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.blueprint import bp
from kiosk.web.api.errors import ApiError
from kiosk.web.common.db import runtime
from kiosk.web.common.sse import event_stream, sse_message, sse_response


@bp.get("/events")
@requires("kiosk", "display", "staff")
def events() -> Response:
    rt = runtime()
    last_seen = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    cursor = rt.hub.head if last_seen is None else whole_number(last_seen)
    if cursor is None:
        raise ApiError(400, _("Last-Event-ID must be an event number."))
    return sse_response(event_stream(rt.hub, caller().office_id, cursor, json_messages, scope="api"))


def json_messages(batch: list[StreamEvent]) -> str:
    """Each event as JSON, as much of it as a device's stream may carry (nothing of the audit's own)."""
    messages = []
    for event in batch:
        payload = streamed_payload(event.kind, event.payload)
        if payload is not None:
            data = json.dumps({"id": event.id, "kind": event.kind, **payload}, ensure_ascii=False)
            messages.append(sse_message(event.kind, data, event.id))
    return "".join(messages)
