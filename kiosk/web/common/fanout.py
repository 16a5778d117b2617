"""Under the production server, one writer for each office sends a message to every waiting stream of the office,
straight to its socket, in one loop. Woken one by one, each through the WSGI layers, 2,000 streams took about
70 ms a call on this machine; the loop of sends takes about 20.

A stream waits here only while it is caught up with the hub. It goes back to its own greenlet, which carries on as
before, when its socket does not take a whole message at once, when it ends (its device revoked or out of use, the
server stopping), or when drawing its message fails: the writer never waits on one client, and whatever is unusual
a stream does itself.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app

from kiosk.domain.events.hub import EventHub, StreamEvent

log = logging.getLogger(__name__)
HEARTBEAT = ": heartbeat\n\n"

Draw = Callable[[int, list[StreamEvent]], str]


class Out(Protocol):
    """The server's socket of a stream (`kiosk.server.ClientSocket`)."""

    def send_now(self, data: bytes) -> int: ...  # what the kernel takes without waiting

    def sendall(self, data: bytes) -> None: ...


class Holder(Protocol):
    def revoked_by(self, batch: list[StreamEvent]) -> bool: ...

    def in_use(self) -> bool: ...


@dataclass(eq=False)
class Waiting:
    """A stream in its office's writer, and how it comes back: its cursor, what is left to send, whether it ends."""

    out: Out
    chunked: bool  # the server frames the answer in HTTP chunks (HTTP/1.1): so must the writer
    draw: Draw
    holder: Holder
    cursor: int
    context: contextvars.Context = field(default_factory=contextvars.copy_context)  # the stream's app and request
    back: threading.Event = field(default_factory=threading.Event)
    unsent: bytes = b""
    ended: bool = False

    def send(self, data: bytes) -> bool:
        """Send without waiting; whether all of it went (else the rest is the stream's to send, or it ended)."""
        try:
            sent = self.out.send_now(data)
        except OSError:
            self.ended = True
            return False
        self.unsent = data[sent:]
        return not self.unsent


class Fanout:
    def __init__(self, hub: EventHub) -> None:
        self._hub = hub
        self._lock = threading.Lock()
        self._waiting: dict[int, dict[int, list[Waiting]]] = {}  # office → cursor → streams

    def wait(self, office_id: int, stream: Waiting) -> Waiting:
        """Hand a caught-up stream to its office's writer until it needs its own greenlet again."""
        with self._lock:
            groups = self._waiting.get(office_id)
            first = groups is None
            if groups is None:
                groups = self._waiting[office_id] = {}
            groups.setdefault(stream.cursor, []).append(stream)
        if first:  # a writer ends when no stream waits: it starts with this one in
            threading.Thread(target=self._write, args=(office_id, groups), name="stream-writer", daemon=True).start()
        stream.back.wait()
        return stream

    def _write(self, office_id: int, groups: dict[int, list[Waiting]]) -> None:
        sending: dict[int, list[Waiting]] = {}
        try:
            while (newest := self._newest(office_id, groups)) is not None:
                self._hub.wait(office_id, newest)  # news after the newest cursor is news for all; or the beat
                with self._lock:  # streams caught up from now on join the next round
                    sending = dict(groups)
                    groups.clear()
                while sending:
                    cursor, streams = sending.popitem()
                    batch = [] if self._hub.stopped else self._hub.wait(office_id, cursor, timeout=0)
                    if kept := self._send(streams, cursor, batch):
                        with self._lock:
                            groups.setdefault(batch[-1].id if batch else cursor, []).extend(kept)
        except Exception:
            log.exception("stream writer of office %s failed; its streams carry on by themselves", office_id)
            with self._lock:
                left = [stream for streams in [*sending.values(), *groups.values()] for stream in streams]
                groups.clear()
                del self._waiting[office_id]
            for stream in left:
                stream.back.set()

    def _newest(self, office_id: int, groups: dict[int, list[Waiting]]) -> int | None:
        """The newest cursor of the office's waiting streams; None (and the writer goes) when none waits."""
        with self._lock:
            if groups:
                return max(groups)
            del self._waiting[office_id]
            return None

    def _send(self, streams: list[Waiting], cursor: int, batch: list[StreamEvent]) -> list[Waiting]:
        """The batch's message (a heartbeat if none) to each stream; those that stay."""
        kept: list[Waiting] = []
        framed: dict[tuple[str, bool], bytes] = {}
        for stream in streams:
            try:
                if self._hub.stopped or (batch and stream.holder.revoked_by(batch)):
                    stream.ended = True
                else:
                    text = stream.context.run(stream.draw, cursor, batch) if batch else HEARTBEAT
                    if not stream.holder.in_use():
                        stream.ended = True
                    else:
                        data = framed.get((text, stream.chunked))
                        if data is None:
                            data = framed[text, stream.chunked] = _framed(text, stream.chunked)
                        if batch:
                            stream.cursor = batch[-1].id
                        if stream.send(data):
                            kept.append(stream)
                            continue
            except Exception:
                log.exception("stream writer: a stream's message failed; it carries on by itself")
            stream.back.set()
        return kept


def _framed(text: str, chunked: bool) -> bytes:
    """The text as the server would write it: in one HTTP chunk when it frames the answer so (none if empty)."""
    data = text.encode()
    return b"%X\r\n%s\r\n" % (len(data), data) if chunked and data else data


def fanout(hub: EventHub) -> Fanout:
    """This process's writers (one per app)."""
    shared: Fanout = current_app.extensions.setdefault("stream_fanout", Fanout(hub))
    return shared
