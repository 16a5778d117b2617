"""The streams' writer (`kiosk.web.common.fanout`): caught-up streams get each message from one writer per office,
framed as the server frames its answers, and go back to their own greenlet whenever anything is unusual: a socket
that will not take a whole message, a revoked device, a message that cannot be drawn, the server stopping.

Real sockets (socket pairs) and the real event hub over the test's database; plain threads stand for greenlets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.data.engine import readonly_session_factory
from kiosk.data.models import Office
from kiosk.domain.events.hub import EventHub, StreamEvent
from kiosk.web.common.fanout import Fanout, Waiting
from tests.domain.events.test_event_hub import add_events
from tests.support.app import auth, make_token
from tests.support.tickets import take_ticket


class Connection:
    """The server's end of a stream, as `kiosk.server.ClientSocket` offers it to the writer."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send_now(self, data: bytes) -> int:
        try:
            return self.sock.send(data, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return 0

    def sendall(self, data: bytes) -> None:
        self.sock.sendall(data)


class Holder:
    def __init__(self, revoked: bool = False, in_use: bool = True) -> None:
        self.revoked, self.still_in_use = revoked, in_use

    def revoked_by(self, batch: list[StreamEvent]) -> bool:
        return self.revoked

    def in_use(self, mark_aside: bool = False) -> bool:
        return self.still_in_use


def numbers(cursor: int, batch: list[StreamEvent]) -> str:
    return "".join(f"data: {event.payload['number']}\n\n" for event in batch)


def read(client: socket.socket, size: int, timeout: float = 5.0) -> bytes:
    client.settimeout(timeout)
    got = b""
    while len(got) < size:
        chunk = client.recv(size - len(got))
        assert chunk, "the stream was closed"
        got += chunk
    return got


@pytest.fixture
def hub(session: Session) -> Iterator[EventHub]:
    hub = EventHub(readonly_session_factory(session.get_bind()), poll_s=30, window_s=0.0, beat_s=60)
    hub.start()
    yield hub
    hub.stop()


class Streams:
    """Each stands for a stream's own greenlet, waiting in the writer (a daemon thread: one left hanging fails its
    test by a timeout, not the run)."""

    def submit(self, work: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()

        def run() -> None:
            try:
                future.set_result(work(*args))
            except BaseException as error:  # noqa: BLE001 - handed to the test
                future.set_exception(error)

        threading.Thread(target=run, daemon=True).start()
        return future


@pytest.fixture
def streams(hub: EventHub) -> Iterator[Streams]:
    yield Streams()
    hub.stop()  # the writers hand every stream back


def joined(writer: Fanout, office_id: int, count: int) -> None:
    """Wait until `count` streams wait in the office's writer (the threads standing for them start at their pace)."""
    for _ in range(500):
        if writer.waiting(office_id) == count:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"{writer.waiting(office_id)} streams in the writer, not {count}")


def pair() -> tuple[Connection, socket.socket]:
    server_end, client = socket.socketpair()
    return Connection(server_end), client


def test_caught_up_streams_get_each_call_from_the_writer_in_http_chunks_and_stay(
    hub: EventHub, streams: Streams, session: Session, office: Office, morning: datetime
) -> None:
    writer, start = Fanout(hub), hub.head
    ends = [pair() for _ in range(3)]
    waiting = [streams.submit(writer.wait, office.id, Waiting(out, True, numbers, Holder(), start))
               for out, _ in ends[:2]]
    http10 = streams.submit(writer.wait, office.id, Waiting(ends[2][0], False, numbers, Holder(), start))
    joined(writer, office.id, 3)
    add_events(session, office, morning, 1)
    hub.poke()
    assert [read(client, 17) for _, client in ends[:2]] == [b"C\r\ndata: A000\n\n\r\n"] * 2  # 0xC: 12 bytes
    assert read(ends[2][1], 12) == b"data: A000\n\n"  # an HTTP/1.0 client's answer is not chunked
    add_events(session, office, morning, 1)
    hub.poke()
    assert [read(client, 17) for _, client in ends[:2]] == [b"C\r\ndata: A000\n\n\r\n"] * 2
    assert not any(stream.done() for stream in [*waiting, http10])  # still in the writer
    hub.stop()
    assert all(stream.result(5).ended for stream in [*waiting, http10])


def test_every_waiting_stream_gets_the_heartbeat(session: Session, office: Office) -> None:
    hub = EventHub(readonly_session_factory(session.get_bind()), poll_s=30, beat_s=0.2)
    hub.start()
    writer = Fanout(hub)
    out, client = pair()
    stream = Streams().submit(writer.wait, office.id, Waiting(out, True, numbers, Holder(), hub.head))
    try:
        assert read(client, 18) == b"D\r\n: heartbeat\n\n\r\n"
        assert read(client, 18) == b"D\r\n: heartbeat\n\n\r\n" and not stream.done()  # and at the next beat
    finally:
        hub.stop()
    assert stream.result(5).ended


def test_a_socket_that_takes_part_of_a_message_sends_the_rest_from_its_own_greenlet(
    hub: EventHub, streams: Streams, session: Session, office: Office, morning: datetime
) -> None:
    writer, start = Fanout(hub), hub.head
    out, client = pair()
    out.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    big = "data: " + "x" * 400_000 + "\n\n"
    slow: Future[Waiting] = streams.submit(writer.wait, office.id, Waiting(out, True, lambda c, b: big, Holder(),
                                                                           start))
    quick_out, quick = pair()
    other = streams.submit(writer.wait, office.id, Waiting(quick_out, True, numbers, Holder(), start))
    joined(writer, office.id, 2)
    add_events(session, office, morning, 1)
    hub.poke()
    back = slow.result(5)  # the writer did not wait for the reader: it handed the stream back
    assert read(quick, 17) == b"C\r\ndata: A000\n\n\r\n" and not other.done()
    assert not back.ended and back.cursor > start and 0 < len(back.unsent) < len(big)
    sender = threading.Thread(target=out.sendall, args=(back.unsent,), daemon=True)
    sender.start()
    chunk = f"{len(big):X}\r\n{big}\r\n".encode()
    assert read(client, len(chunk), timeout=10) == chunk  # whole and in order
    sender.join(5)


@pytest.mark.parametrize("holder", [Holder(revoked=True), Holder(in_use=False)], ids=["revoked", "out of use"])
def test_a_revoked_device_s_stream_goes_back_to_end(
    hub: EventHub, streams: Streams, session: Session, office: Office, morning: datetime, holder: Holder
) -> None:
    writer, start = Fanout(hub), hub.head
    out, client = pair()
    stream = streams.submit(writer.wait, office.id, Waiting(out, True, numbers, holder, start))
    joined(writer, office.id, 1)
    add_events(session, office, morning, 1)
    hub.poke()
    assert stream.result(5).ended
    client.setblocking(False)
    with pytest.raises(BlockingIOError):
        client.recv(100)  # nothing was sent to it


def test_a_message_that_cannot_be_drawn_sends_its_streams_back_undrawn_after_one_try(
    hub: EventHub, streams: Streams, session: Session, office: Office, morning: datetime
) -> None:
    tries: list[int] = []

    def broken(cursor: int, batch: list[StreamEvent]) -> str:
        tries.append(cursor)
        raise RuntimeError("template error")

    writer, start = Fanout(hub), hub.head
    failing = streams.submit(writer.wait, office.id, Waiting(pair()[0], True, broken, Holder(), start))
    joined(writer, office.id, 1)
    other_out, other_client = pair()
    other = streams.submit(writer.wait, office.id, Waiting(other_out, True, broken, Holder(), start))
    joined(writer, office.id, 2)
    add_events(session, office, morning, 1)
    hub.poke()
    back = [failing.result(5), other.result(5)]
    assert all(not stream.ended and stream.cursor == start and stream.unsent == b"" for stream in back)
    assert tries == [start]  # not once per stream: each greenlet draws it again by itself
    other_client.setblocking(False)
    with pytest.raises(BlockingIOError):
        other_client.recv(100)


def test_a_batch_with_nothing_to_show_sends_nothing_not_an_empty_chunk_that_would_end_the_answer(
    hub: EventHub, streams: Streams, session: Session, office: Office, morning: datetime
) -> None:
    drawn: list[int] = []

    def shown_from_the_second(cursor: int, batch: list[StreamEvent]) -> str:
        drawn.append(cursor)
        return numbers(cursor, batch) if len(drawn) > 1 else ""  # e.g. only events a device's stream may not carry

    writer = Fanout(hub)
    out, client = pair()
    streams.submit(writer.wait, office.id, Waiting(out, True, shown_from_the_second, Holder(), hub.head))
    joined(writer, office.id, 1)
    for times in (1, 2):
        add_events(session, office, morning, 1)
        hub.poke()
        for _ in range(500):
            if len(drawn) == times:
                break
            threading.Event().wait(0.01)
    assert len(drawn) == 2
    assert read(client, 17) == b"C\r\ndata: A000\n\n\r\n"  # the first bytes on the wire


def test_a_stream_far_ahead_or_behind_holds_no_other_back(
    hub: EventHub, streams: Streams, session: Session, office: Office, morning: datetime
) -> None:
    """A client may bring any Last-Event-ID; and a stream can join behind news another one already got."""
    writer, start = Fanout(hub), hub.head
    ahead_out, ahead = pair()
    streams.submit(writer.wait, office.id, Waiting(ahead_out, True, numbers, Holder(), 10**9))
    first_out, first = pair()
    streams.submit(writer.wait, office.id, Waiting(first_out, True, numbers, Holder(), start))
    joined(writer, office.id, 2)
    add_events(session, office, morning, 1)
    hub.poke()
    assert read(first, 17, timeout=2) == b"C\r\ndata: A000\n\n\r\n"  # not at the next beat, a minute on
    late_out, late_client = pair()
    late = streams.submit(writer.wait, office.id, Waiting(late_out, True, numbers, Holder(), start))
    try:  # behind what the writer waits for: back at once, to read on by itself ...
        assert not late.result(2).ended and late.result().cursor == start
    except TimeoutError:  # ... or, joining between two rounds, it gets its news in the next
        assert read(late_client, 17, timeout=2) == b"C\r\ndata: A000\n\n\r\n"
    add_events(session, office, morning, 1)
    hub.poke()
    assert read(first, 17, timeout=2) == b"C\r\ndata: A000\n\n\r\n"
    ahead.setblocking(False)
    with pytest.raises(BlockingIOError):
        ahead.recv(100)


def test_a_writer_that_fails_gives_every_stream_back(
    hub: EventHub, streams: Streams, session: Session, office: Office, morning: datetime,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(office_id: int, after_id: int) -> list[StreamEvent] | None:
        raise RuntimeError("memory lost")

    writer, start = Fanout(hub), hub.head
    waiting = [streams.submit(writer.wait, office.id, Waiting(pair()[0], True, numbers, Holder(), start))
               for _ in range(3)]
    monkeypatch.setattr(hub, "news", broken)
    joined(writer, office.id, 3)
    add_events(session, office, morning, 1)
    hub.poke()
    back = [stream.result(5) for stream in waiting]
    assert all(not stream.ended and stream.cursor == start for stream in back)  # they carry on by themselves


def test_a_caught_up_api_stream_gets_the_call_from_its_office_s_writer(app: Flask, client: FlaskClient) -> None:
    """`event_stream` under a server that offers its socket: the first message through WSGI, then the writer."""
    kiosk, display = make_token(app, "kiosk"), make_token(app, "display")
    hub = app.extensions["kiosk"].hub
    out, reader = pair()
    answer = client.get("/api/v1/events", headers=auth(display), environ_base={"gunicorn.socket": out})
    body = iter(answer.response)
    assert next(body) == b"retry: 2000\n\n"
    through_wsgi = Streams().submit(next, body)  # waits in the writer: nothing more comes this way
    with app.extensions["kiosk"].readonly_sessions() as session:
        office_id = session.scalars(select(Office.id)).one()
    joined(app.extensions["stream_fanout"], office_id, 1)
    take_ticket(client, kiosk)
    hub.refresh()
    reader.settimeout(5)
    message = reader.recv(65536)
    size, _, rest = message.partition(b"\r\n")
    assert int(size, 16) == len(rest) - 2 and b"event: ticket.issued" in rest and b'"number": "A001"' in rest
    assert not through_wsgi.done()
    hub.stop()
    with pytest.raises(StopIteration):
        through_wsgi.result(5)  # the stream ends with the server
