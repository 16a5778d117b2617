"""Under the production server, one writer for each office sends a message to every waiting stream of the office,
straight to its socket, in one loop. Woken one by one, each through the WSGI layers, 2,000 streams took about
70 ms a call on this machine; the loop of sends takes about 30.

Only streams whose messages are shared (`frames`: the API's, the halls', the consoles' waiting lists) wait here,
and only while they are caught up with the hub. A stream goes back to its own greenlet, which carries on as before,
when its socket does not take a whole message at once, when it ends (its device revoked or out of use, the server
stopping), when it joins behind what the writer waits for, when it missed events memory no longer holds, or when
drawing its message or the writer fails: the writer never waits on one client, and whatever is unusual a stream
does itself.
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

    def in_use(self, mark_aside: bool = False) -> bool: ...


@dataclass(eq=False)
class Waiting:
    """A stream in its office's writer, and how it comes back: its cursor, what is left to send, whether it ends."""

    out: Out
    chunked: bool  # the server frames the answer in HTTP chunks (HTTP/1.1): so must the writer
    draw: Draw
    holder: Holder
    cursor: int
    context: contextvars.Context = field(default_factory=contextvars.copy_context)  # the stream's, to draw in
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
        self._aims: dict[int, int] = {}  # office → what its writer waits for news after

    def wait(self, office_id: int, stream: Waiting) -> Waiting:
        """Hand a caught-up stream to its office's writer until it needs its own greenlet again."""
        with self._lock:
            if stream.cursor < self._aims.get(office_id, stream.cursor):
                stream.back.set()  # behind what the writer waits for (news may lie between): it reads on by itself
                return stream
            groups = self._waiting.get(office_id)
            first = groups is None
            if groups is None:
                groups = self._waiting[office_id] = {}
            groups.setdefault(stream.cursor, []).append(stream)
        if first:  # a writer ends when no stream waits: it starts with this one in
            try:
                threading.Thread(target=self._write, args=(office_id, groups), name="stream-writer",
                                 daemon=True).start()
            except BaseException:
                self._give_back(office_id, groups)
                raise
        stream.back.wait()
        return stream

    def _write(self, office_id: int, groups: dict[int, list[Waiting]]) -> None:
        sending: list[tuple[int, list[Waiting]]] = []
        done = False
        beats = self._hub.beats
        try:
            while (aim := self._aim(office_id, groups)) is not None:
                if self._hub.beats == beats:  # (a beat during the last round is not waited for)
                    self._hub.wait(office_id, aim)
                heartbeat, beats = self._hub.beats != beats, self._hub.beats
                with self._lock:  # streams caught up from now on join the next round
                    del self._aims[office_id]
                    sending = list(groups.items())
                    groups.clear()
                while sending:
                    cursor, streams = sending[-1]
                    self._send(office_id, groups, cursor, streams, heartbeat)
                    sending.pop()
            done = True
        except Exception:
            log.exception("stream writer of office %s stopped; its streams carry on by themselves", office_id)
        finally:
            if not done:
                for cursor, streams in sending:  # giving back twice is harmless: a stream joins anew each time
                    self._rejoin(groups, cursor, streams)
                self._give_back(office_id, groups)

    def waiting(self, office_id: int) -> int:
        """How many of the office's streams wait in its writer now."""
        with self._lock:
            return sum(len(streams) for streams in self._waiting.get(office_id, {}).values())

    def _aim(self, office_id: int, groups: dict[int, list[Waiting]]) -> int | None:
        """What to wait for news after: the oldest cursor of the office's waiting streams, or the hub's newest event
        if sooner (a client may bring any Last-Event-ID). A stream joining behind it reads on by itself. None (and
        the writer goes) when no stream waits."""
        with self._lock:
            if not groups:
                del self._waiting[office_id]
                return None
            aim = self._aims[office_id] = min(min(groups), self._hub.head)
            return aim

    def _send(self, office_id: int, groups: dict[int, list[Waiting]], cursor: int, streams: list[Waiting],
              heartbeat: bool) -> None:
        """The streams at `cursor` get their news, or a heartbeat if the beat came; those still caught up wait on."""
        batch = [] if self._hub.stopped else self._hub.news(office_id, cursor)
        if batch is None:  # memory no longer reaches back to them: asked once for all, did they miss anything?
            if (caught_up := self._hub.caught_up(office_id, cursor)) is None:
                self._back(streams)  # their greenlets replay it from the database
                return
            batch, cursor = [], caught_up
            for stream in streams:
                stream.cursor = caught_up
        if not batch and not heartbeat and not self._hub.stopped:  # their news came in an earlier round
            self._rejoin(groups, cursor, streams)
            return
        kept: list[Waiting] = []
        framed: dict[tuple[str, bool], bytes] = {}
        failed: BaseException | None = None
        for stream in streams:
            try:
                if failed is not None:
                    pass  # one failure is enough: the others send it by themselves (or fail there)
                elif self._hub.stopped or (batch and stream.holder.revoked_by(batch)) or \
                        not stream.holder.in_use(mark_aside=True):
                    stream.ended = True
                else:
                    text = stream.context.run(stream.draw, cursor, batch) if batch else HEARTBEAT
                    data = framed.get((text, stream.chunked))
                    if data is None:
                        data = framed[text, stream.chunked] = _framed(text, stream.chunked)
                    if batch:
                        stream.cursor = batch[-1].id
                    if stream.send(data):
                        kept.append(stream)
                        continue
            except Exception as error:
                failed = failed or error
            stream.back.set()
        if failed is not None:
            log.error("stream writer: a message failed here; its streams send it by themselves", exc_info=failed)
        if kept:  # at the hub's newest event, if nothing of theirs came since: groups converge, and stay in memory
            cursor = kept[0].cursor
            if (caught_up := self._hub.caught_up(office_id, cursor)) is not None:
                cursor = caught_up
                for stream in kept:
                    stream.cursor = caught_up
            self._rejoin(groups, cursor, kept)

    def _rejoin(self, groups: dict[int, list[Waiting]], cursor: int, streams: list[Waiting]) -> None:
        with self._lock:
            groups.setdefault(cursor, []).extend(streams)

    @staticmethod
    def _back(streams: list[Waiting]) -> None:
        for stream in streams:
            stream.back.set()

    def _give_back(self, office_id: int, groups: dict[int, list[Waiting]]) -> None:
        with self._lock:
            left = [stream for streams in groups.values() for stream in streams]
            groups.clear()
            if self._waiting.get(office_id) is groups:
                del self._waiting[office_id]
                self._aims.pop(office_id, None)
        self._back(left)


def _framed(text: str, chunked: bool) -> bytes:
    """The text as the server would write it: in one HTTP chunk when it frames the answer so (none if empty)."""
    data = text.encode()
    return b"%X\r\n%s\r\n" % (len(data), data) if chunked and data else data


def fanout(hub: EventHub) -> Fanout:
    """This process's writers (one per app)."""
    shared: Fanout = current_app.extensions.setdefault("stream_fanout", Fanout(hub))
    return shared
