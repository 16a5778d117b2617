"""Server-sent events, written one way for every stream: the API's JSON events, the hall display's HTML, the
console's waiting list. Ids for Last-Event-ID replay, heartbeats (at the hub's beat) to free a dead client's
connection; a stream held by a device ends when the device is revoked. Streams that show the same thing share each
message (`frames`)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from flask import Response, g

from kiosk.domain.events.hub import EventHub
from kiosk.domain.office.devices import revoked_in
from kiosk.runtime import Runtime
from kiosk.web.common.db import runtime
from kiosk.web.common.devices import Caller
from kiosk.web.common.frames import Draw, Render, drawing
from kiosk.web.common.presence import Presence, presence

RETRY_MS = 2000  # how soon a browser reconnects after a drop


def sse_message(event: str, data: str, event_id: int | None = None) -> str:
    """One SSE message; every line of `data` becomes a data line (the browser joins them back with newlines)."""
    lines = "".join(f"data: {line}\n" for line in data.strip().splitlines())
    return (f"id: {event_id}\n" if event_id is not None else "") + f"event: {event}\n{lines}\n"


def event_stream(
    hub: EventHub, office_id: int, cursor: int, render: Render, scope: Hashable | None = None
) -> Iterator[str]:
    """The office's events after `cursor`, each batch written by `render`, heartbeats between; it ends as soon as
    the device holding it is revoked (its reconnection is then refused). Streams of one `scope` (what `render`'s
    text depends on besides the batch) get one rendering of each batch between them."""
    holder = stream_holder()  # read now: the API's stream runs after its request context is gone
    draw = drawing(render, scope, office_id)
    return _events(hub, office_id, cursor, draw, holder.device_id if holder else None)


def _events(hub: EventHub, office_id: int, cursor: int, draw: Draw, device_id: int | None) -> Iterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    while not hub.stopped:
        batch = hub.wait(office_id, cursor)
        if not batch:
            yield ": heartbeat\n\n"
            continue
        if device_id is not None and revoked_in(batch, device_id):
            return
        message = draw(cursor, batch)
        cursor = batch[-1].id
        yield message


def stream_holder() -> Caller | None:
    """The device holding the stream: a paired screen or a token's device (None: a signed-in officer's browser)."""
    holder: Caller | None = g.get("device") or g.get("caller")
    return holder


def sse_response(stream: Iterator[str]) -> Response:
    """A stream no cache or proxy holds back; the device holding it counts as connected while it is open."""
    device = stream_holder()
    if device is not None:
        stream = _seen_while_open(stream, device.device_id, runtime(), presence())
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(stream, mimetype="text/event-stream", headers=headers)


def _seen_while_open(stream: Iterator[str], device_id: int, rt: Runtime, book: Presence) -> Iterator[str]:
    """The device counts as seen while its stream sends (the book marks every holder at once); the stream ends if
    the device was revoked in a way its events did not show (revoked as the stream opened)."""
    book.open(device_id)
    try:
        for chunk in stream:
            if not book.in_use(device_id, rt):
                return
            yield chunk
    finally:
        book.close(device_id)
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # the inner stream (and the request context it holds) ends with the connection
