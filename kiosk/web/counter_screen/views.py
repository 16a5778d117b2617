"""The counter screen (`/counter`): a small screen over one counter (1280x400, 800x480) telling the citizen who
walks up that this is the right place: the counter's number, the ticket it serves in very large figures, or that
it is paused or closed. Live over its own stream, whole again on every connect; no sound (the hall speaks)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask import Blueprint, abort, g, render_template, stream_with_context
from markupsafe import Markup
from werkzeug.wrappers import Response

from kiosk.data.models import Office
from kiosk.domain.events.hub import StreamEvent
from kiosk.domain.hall.board import SHOWN_KINDS
from kiosk.domain.queue import calls
from kiosk.domain.queue.errors import CounterNotFoundError
from kiosk.web.common.db import runtime
from kiosk.web.common.i18n import speak_the_office_language
from kiosk.web.common.pairing import paired
from kiosk.web.common.sse import event_stream, sse_message, sse_response

bp = Blueprint("counter_screen", __name__, url_prefix="/counter")
# What may change a counter's screen: the hall's changes, and the counter's own settings.
WATCHED_KINDS = SHOWN_KINDS | {"counter.saved"}


@dataclass(frozen=True)
class CounterNow:
    number: int
    state: str  # open | paused | closed
    ticket: str | None
    status: str | None  # called | serving
    calls: int  # the call and its recalls: each one flashes the number again


bp.before_request(speak_the_office_language)


@bp.get("")
@paired("counter_screen")
def page() -> str:
    return render_template("counter_screen/page.html", screen=Markup(_render(_counter_now())), language=g.language)


@bp.get("/stream")
@paired("counter_screen")
def stream() -> Response:
    cursor = runtime().hub.head  # read before the snapshot: whatever comes after is looked at again
    return sse_response(stream_with_context(_stream(g.device.office_id, cursor, _render(_counter_now()))))


def _stream(office_id: int, cursor: int, shown: str) -> Iterator[str]:
    """The whole screen on connect, then again whenever what it shows changes (and only then)."""
    rt = runtime()
    yield sse_message("counter", shown, cursor)

    def changes(batch: list[StreamEvent]) -> str:
        nonlocal shown
        if not any(event.kind in WATCHED_KINDS for event in batch):
            return ""
        fresh = _render(_counter_now())
        if fresh == shown:
            return ""
        shown = fresh
        return sse_message("counter", fresh, batch[-1].id)

    yield from event_stream(rt.hub, office_id, cursor, changes)


def _counter_now() -> CounterNow:
    number = g.device.counter_number
    if number is None:
        abort(404)  # a counter screen is paired to one counter (`kiosk token create --role counter --counter N`)
    with runtime().readonly_sessions() as session:
        try:
            counter = calls.get_counter(session, session.get_one(Office, g.device.office_id), number)
        except CounterNotFoundError:
            abort(404)
        ticket = calls.current_ticket(session, counter)
        if ticket is None:
            return CounterNow(number, counter.state, None, None, 0)
        return CounterNow(number, counter.state, ticket.number, ticket.status, ticket.recall_count + 1)


def _render(counter: CounterNow) -> str:
    return render_template("counter_screen/_counter.html", counter=counter)
