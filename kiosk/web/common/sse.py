"""Server-sent events, written one way for every stream: the API's JSON events, the hall display's HTML, the
console's waiting list. Ids for Last-Event-ID replay, heartbeats (at the hub's beat) to free a dead client's
connection; a stream held by a device ends when the device is revoked. Streams that show the same thing share each
message (`frames`), and under `kiosk serve` wait for it, while caught up, in their office's writer (`fanout`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass

from flask import Response, g, request

from kiosk.domain.events.hub import EventHub, StreamEvent
from kiosk.domain.office.devices import revoked_in
from kiosk.runtime import Runtime
from kiosk.web.common.db import runtime
from kiosk.web.common.devices import Caller
from kiosk.web.common.fanout import HEARTBEAT, Waiting, fanout
from kiosk.web.common.frames import Draw, Render, drawing
from kiosk.web.common.presence import Presence, presence

RETRY_MS = 2000  # how soon a browser reconnects after a drop
PLAIN_HTTP = ("HTTP/1.0", "HTTP/1.1")  # the writer frames these as gunicorn does


def sse_message(event: str, data: str, event_id: int | None = None) -> str:
    """One SSE message; every line of `data` becomes a data line (the browser joins them back with newlines)."""
    lines = "".join(f"data: {line}\n" for line in data.strip().splitlines())
    return (f"id: {event_id}\n" if event_id is not None else "") + f"event: {event}\n{lines}\n"


def event_stream(
    hub: EventHub, office_id: int, cursor: int, render: Render, scope: Hashable | None = None
) -> Iterator[str]:
    """The office's events after `cursor`, each batch written by `render`, heartbeats between; it ends as soon as
    the device holding it is revoked (its reconnection is then refused). Streams of one `scope` (what `render`'s
    text depends on besides the batch) get one rendering of each batch between them, and under the production
    server wait, while caught up, in their office's writer, which sends each message to all of them (`fanout`)."""
    holder = _Holding(stream_holder(), presence(), runtime())  # now: the API's stream outlives its request context
    draw = drawing(render, scope, office_id)
    handover = None if scope is None else _handover(hub, office_id, draw, holder)
    return _events(hub, office_id, cursor, draw, holder, handover)


def _handover(hub: EventHub, office_id: int, draw: Draw, holder: _Holding) -> Callable[[int], Waiting] | None:
    """How the stream waits in its office's writer, if the server lets the writer send to its socket."""
    out = request.environ.get("gunicorn.socket")
    protocol = request.environ.get("SERVER_PROTOCOL")
    if out is None or not hasattr(out, "send_now") or request.method != "GET" or protocol not in PLAIN_HTTP:
        return None
    writers, chunked = fanout(hub), protocol == "HTTP/1.1"  # as gunicorn frames an answer of no set length
    return lambda cursor: writers.wait(office_id, Waiting(out, chunked, draw, holder, cursor))


def _events(hub: EventHub, office_id: int, cursor: int, draw: Draw, holder: _Holding,
            handover: Callable[[int], Waiting] | None) -> Iterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    while not hub.stopped:
        if handover is not None and (caught_up := hub.caught_up(office_id, cursor)) is not None:
            stream = handover(caught_up)  # back when its socket is full, it ends, or anything is unusual
            cursor = stream.cursor
            if stream.unsent:
                stream.out.sendall(stream.unsent)
            if stream.ended:
                return
        batch = hub.wait(office_id, cursor)  # after coming back, the next message by itself: no busy hand-overs
        if not batch:
            if (caught_up := hub.caught_up(office_id, cursor)) is not None:
                cursor = caught_up  # a quiet office's stream stays within what memory holds
            yield HEARTBEAT
            continue
        if holder.revoked_by(batch):
            return
        message = draw(cursor, batch)
        cursor = batch[-1].id
        yield message


@dataclass(frozen=True)
class _Holding:
    """The device holding a stream (none: a signed-in officer's browser), and whether it still may."""

    device: Caller | None
    book: Presence
    rt: Runtime

    def revoked_by(self, batch: list[StreamEvent]) -> bool:
        return self.device is not None and revoked_in(batch, self.device.device_id)

    def in_use(self, mark_aside: bool = False) -> bool:
        """Whether the device is still in use: the book marks every holder seen at once, and learns of revocations
        the events did not show (revoked as the stream opened)."""
        return self.device is None or self.book.in_use(self.device.device_id, self.rt, mark_aside)


def stream_holder() -> Caller | None:
    """The device holding the stream: a paired screen or a token's device (None: a signed-in officer's browser)."""
    holder: Caller | None = g.get("device") or g.get("caller")
    return holder


def sse_response(stream: Iterator[str]) -> Response:
    """A stream no cache or proxy holds back; the device holding it counts as connected while it is open."""
    device = stream_holder()
    if device is not None:
        stream = _seen_while_open(stream, device.device_id, _Holding(device, presence(), runtime()))
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(stream, mimetype="text/event-stream", headers=headers)


def _seen_while_open(stream: Iterator[str], device_id: int, holder: _Holding) -> Iterator[str]:
    """The device is in the book while its stream is open, and the stream ends at the first message it sends once
    the device is out of use (revoked in a way its events did not show: as the stream opened). The office's writer
    checks the same before each message it sends."""
    holder.book.open(device_id)
    try:
        for chunk in stream:
            if not holder.in_use():
                return
            yield chunk
    finally:
        holder.book.close(device_id)
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # the inner stream (and the request context it holds) ends with the connection
