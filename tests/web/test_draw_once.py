"""Draw once, send to all: every stream of a process that shows the same thing gets the same message for a change,
rendered once (counted with a spy), however many screens listen; other zones, languages and counters get their
own; a stream that resumes after a drop gets what it missed; the screens holding streams are marked seen together."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from kiosk.data.models import Counter, Device
from kiosk.domain.office.devices import create_device
from kiosk.domain.office.setup import sync_office
from kiosk.runtime import Runtime
from kiosk.web.common.presence import Presence
from tests.support.app import auth, make_token
from tests.support.htmx_client import signed_in
from tests.support.tickets import take_ticket


class Streams:
    """Streams read through the test client, one message (the stream's next chunk) at a time. Each runs in a
    context of its own, as each has its greenlet in the server: a stream keeps its request context pushed."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.opened: list[tuple[contextvars.Context, TestResponse]] = []

    def open(self, path: str, client: FlaskClient | None = None, skip: int = 1,
             headers: dict[str, str] | None = None) -> Iterator[str]:
        context = contextvars.Context()
        response = context.run((client or self.app.test_client()).get, path, headers=headers, buffered=False)
        assert response.status_code == 200
        self.opened.append((context, response))
        chunks = self._read(context, iter(cast(Iterable[bytes], response.response)))
        for _ in range(skip):  # what every connect starts with: the retry line, a snapshot
            next(chunks)
        return chunks

    @staticmethod
    def _read(context: contextvars.Context, chunks: Iterator[bytes]) -> Iterator[str]:
        while (chunk := context.run(next, chunks, None)) is not None:
            yield chunk.decode()

    def close(self) -> None:
        for context, response in reversed(self.opened):
            context.run(response.close)


@pytest.fixture
def streams(app: Flask) -> Iterator[Streams]:
    opened = Streams(app)
    yield opened
    opened.close()


def counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[tuple[Any, ...]]:
    """Replace module.name by a spy that notes each call and goes on to the real one."""
    real, calls = getattr(module, name), list[tuple[Any, ...]]()

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def device_token(app: Flask, role: str, name: str, zone: str | None = None) -> str:
    rt: Runtime = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        office = sync_office(session, rt.config)
        return create_device(session, office, role, name, rt.clock(), zone=zone).token


def display(app: Flask, name: str, zone: str) -> FlaskClient:
    screen = app.test_client()
    assert screen.get(f"/display?device={device_token(app, 'display', name, zone)}").status_code == 302
    return screen


@pytest.fixture
def calls(app: Flask, client: FlaskClient) -> Callable[[int], None]:
    kiosk, staff = device_token(app, "kiosk", "lobby"), device_token(app, "staff", "desk")

    def calls(count: int) -> None:
        """`count` citizens take a ticket and are called at counter 1, all before the hub reads them (a burst)."""
        for _ in range(count):
            take_ticket(client, kiosk)
            assert client.post("/api/v1/counters/1/call-next", headers=auth(staff)).status_code == 200
        app.extensions["kiosk"].hub.refresh()

    return calls


def test_displays_of_one_zone_get_the_same_frame_drawn_once(
    app: Flask, streams: Streams, calls: Callable[[int], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.web.display import stream

    with app.extensions["kiosk"].sessions.begin() as session:
        session.execute(update(Counter).where(Counter.number == 6).values(zone="annex"))
    hall = [display(app, f"hall-{n}", "hall") for n in range(4)]
    annex = display(app, "annex", "annex")
    vietnamese = [streams.open("/display/stream", screen, skip=2) for screen in hall[:3]]
    english = streams.open("/display/stream?lang=en", hall[3], skip=2)
    other_zone = streams.open("/display/stream", annex, skip=2)
    drawn = counted(monkeypatch, stream, "hall_state")

    calls(3)  # three calls in one read of the hub: a burst within its window
    frames = [next(s) for s in vietnamese]
    assert frames[0].count("event: hall") == 1 and frames[0].count('class="announcement"') == 3
    assert frames[1] == frames[0] and frames[2] == frames[0]
    in_english, in_the_annex = next(english), next(other_zone)
    assert "Recent calls" in in_english and "Số vừa gọi" in frames[0]
    assert 'data-counter="6"' in in_the_annex and 'data-counter="1"' not in in_the_annex
    assert len(drawn) == 3  # the hall drawn once for each zone and language, for three calls and five screens


def test_consoles_share_their_counter_s_waiting_list(
    app: Flask, client: FlaskClient, streams: Streams, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.web.staff import views

    officers = [signed_in(app, app.test_client(), "officer", f"officer{n}").client for n in range(3)]
    first = [streams.open("/staff/counters/1/stream", officer, skip=2) for officer in officers[:2]]
    other_counter = streams.open("/staff/counters/5/stream", officers[2], skip=2)
    listed = counted(monkeypatch, views, "waiting_at")

    kiosk = make_token(app, "kiosk")
    take_ticket(client, kiosk)
    take_ticket(client, kiosk, "border-pass")  # E001, for counter 5
    app.extensions["kiosk"].hub.refresh()
    at_1 = [next(s) for s in first]
    at_5 = next(other_counter)
    assert at_1[1] == at_1[0] and 'data-ticket="A001"' in at_1[0] and "E001" not in at_1[0]
    assert 'data-ticket="E001"' in at_5 and "A001" not in at_5
    assert len(listed) == 2


def test_api_streams_share_each_batch_and_a_resumed_stream_gets_what_it_missed(
    app: Flask, streams: Streams, calls: Callable[[int], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.web.api import stream

    encoded = counted(monkeypatch, stream, "json_messages")
    token = make_token(app, "display")
    live = [streams.open("/api/v1/events", headers=auth(token)) for _ in range(3)]
    calls(1)
    first = [next(s) for s in live]
    assert first[1] == first[0] == first[2] and "event: ticket.called" in first[0]
    called_first = max(event_ids(first[0]))
    assert len(encoded) == 1

    calls(1)
    # Back after a drop, two streams that last had the first call's ticket issued, not its call.
    resumed_from = str(called_first - 1)
    resumed = [streams.open("/api/v1/events", headers=auth(token, **{"Last-Event-ID": resumed_from}))
               for _ in range(2)]
    again, live_again = [next(s) for s in resumed], next(live[0])
    assert again[1] == again[0] and event_ids(again[0]) == [called_first, *event_ids(live_again)]
    assert len(encoded) == 3  # the first batch, the live streams' second, the resumed streams' own


def event_ids(message: str) -> list[int]:
    return [int(line.removeprefix("id: ")) for line in message.splitlines() if line.startswith("id: ")]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_screens_holding_streams_are_marked_seen_together_and_a_revoked_one_ends(
    app: Flask, streams: Streams, calls: Callable[[int], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.web.common import presence

    clock = Clock()
    app.extensions["stream_presence"] = Presence(every_s=15, clock=clock)
    marks = counted(monkeypatch, presence, "mark_seen")
    display, kiosk = make_token(app, "display"), make_token(app, "kiosk")
    shown = [streams.open("/api/v1/events", headers=auth(display)) for _ in range(3)]
    kiosks = [streams.open("/api/v1/events", headers=auth(kiosk)) for _ in range(3)]
    assert len(marks) == 1  # the first stream marked its device at once; the others wait for the next mark

    clock.now = 1.0  # newcomers are marked within a second: the next stream to send marks both devices
    calls(1)
    for stream in shown + kiosks:
        next(stream)
    assert len(marks) == 2 and last_seen(app) == {"test-display": True, "test-kiosk": True}

    with app.extensions["kiosk"].sessions.begin() as session:  # revoked behind the streams' back (no event)
        session.execute(update(Device).where(Device.name == "test-kiosk").values(revoked=True))
    clock.now = 16.0
    calls(1)
    assert all("ticket.called" in next(stream) for stream in shown)
    assert [list(stream) for stream in kiosks] == [[], [], []]  # ended
    assert len(marks) == 3


def last_seen(app: Flask) -> dict[str, bool]:
    rt: Runtime = app.extensions["kiosk"]
    with rt.readonly_sessions() as session:
        named = select(Device).where(Device.name.in_(["test-display", "test-kiosk"]))
        return {d.name: d.last_seen_at is not None for d in session.scalars(named)}

