"""The live event stream (SSE): ids for Last-Event-ID replay, heartbeats to free dead clients' threads."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

from flask import Response, g, request
from flask_babel import gettext as _

from kiosk.domain.events.hub import EventHub, StreamEvent
from kiosk.domain.events.log import streamed_payload
from kiosk.domain.office.devices import SEEN_EVERY, mark_seen
from kiosk.domain.whole_numbers import whole_number
from kiosk.runtime.app import Runtime, runtime
from kiosk.web.api import bp
from kiosk.web.api.auth import caller, requires
from kiosk.web.api.errors import ApiError


@bp.get("/events")
@requires("kiosk", "display", "staff")
def events() -> Response:
    rt = runtime()
    last_seen = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    cursor = rt.hub.head if last_seen is None else whole_number(last_seen)
    if cursor is None:
        raise ApiError(400, _("Last-Event-ID must be an event number."))
    return sse_response(event_stream(rt.hub, caller().office_id, cursor, rt.config["server"]["heartbeat_s"]))


def sse_response(stream: Iterator[str]) -> Response:
    """A stream no cache or proxy holds back; the device holding it (a paired screen or a token's device)
    counts as connected while it is open."""
    device = g.get("device") or g.get("caller")
    if device is not None:
        stream = _seen_while_open(stream, device.device_id, runtime())
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(stream, mimetype="text/event-stream", headers=headers)


def _seen_while_open(stream: Iterator[str], device_id: int, rt: Runtime) -> Iterator[str]:
    """Mark the device seen on the heartbeats and events that go out, at most every SEEN_EVERY."""
    marked = None
    try:
        for chunk in stream:
            if marked is None or time.monotonic() - marked >= SEEN_EVERY.total_seconds():
                with rt.sessions.begin() as session:
                    mark_seen(session, device_id, rt.clock())
                marked = time.monotonic()
            yield chunk
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # the inner stream (and the request context it holds) ends with the connection


def event_stream(
    hub: EventHub,
    office_id: int,
    cursor: int,
    heartbeat_s: float,
    render: Callable[[list[StreamEvent]], str] | None = None,
) -> Iterator[str]:
    """The office's events after cursor as SSE text, heartbeats between; `render` writes a batch (the display
    sends rendered HTML instead of the JSON below)."""
    render = render or sse_messages
    yield "retry: 2000\n\n"
    while not hub.stopped:
        batch = hub.wait(office_id, cursor, heartbeat_s)
        if not batch:
            yield ": heartbeat\n\n"
            continue
        cursor = batch[-1].id
        yield render(batch)


def sse_messages(batch: list[StreamEvent]) -> str:
    return "".join(sse_message(event) for event in batch)


def sse_message(event: StreamEvent) -> str:
    payload = streamed_payload(event.kind, event.payload)
    if payload is None:
        return ""
    data = json.dumps({"id": event.id, "kind": event.kind, **payload}, ensure_ascii=False)
    return f"id: {event.id}\nevent: {event.kind}\ndata: {data}\n\n"
