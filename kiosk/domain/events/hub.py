"""One per process: reads new events once and wakes the open streams of the offices they concern.

A commit in this process pokes the hub; on PostgreSQL a NOTIFY from any process does; a one-second poll
catches whatever else (a command-line change on SQLite). Streams then read from the hub's memory instead of
each asking the database. After a read that found news the hub lets `window_s` pass before the next, so a burst
of changes (six counters calling within a second) reaches the streams in a few batches, each drawn once. News
that only adds a ticket to the waiting or tells how its printing went (`QUIET_KINDS`) wakes them up to `quiet_s`
later, or with the next change that matters sooner: in a rush tickets come faster than calls, and each batch wakes
the office's streams and redraws its halls. (The kiosk asks for its ticket's printing itself, every second.)

News wakes only the streams of the offices it concerns (a province's 30 halls do not all wake for one office's
call), and every `beat_s` a thread of its own wakes every stream for its heartbeat, even while a read hangs: one
beat for all instead of a timer per stream, which at 2,000 streams cost as much as waking them.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from kiosk.domain.events.log import CHANNEL, all_events_after, events_after, last_event_id

log = logging.getLogger(__name__)
QUIET_KINDS = frozenset({"ticket.issued", "print.status"})
ANSWERS_KEPT = 64  # per memory: every office's cursor, and a few more


@dataclass(frozen=True)
class StreamEvent:
    id: int
    office_id: int
    kind: str
    payload: dict[str, Any]


class EventHub:
    def __init__(
        self, sessions: Callable[[], Session], poll_s: float = 1.0, keep: int = 5000, window_s: float = 0.05,
        quiet_s: float = 1.0, beat_s: float = 15.0,
    ) -> None:
        self._sessions = sessions
        self._poll_s = poll_s
        self._keep = keep
        self._window_s = window_s
        self._quiet_s = quiet_s
        self._beat_s = beat_s
        self._held: list[StreamEvent] = []  # read, not yet in memory: news of new tickets alone
        self._wake_by: float | None = None  # when the held news goes into memory at the latest
        # Each office's streams wait on one event, set once when news for the office comes (or a beat), then
        # replaced: one set() wakes them all at once (a Condition's notify_all takes time in the square of the
        # waiters: half a second at 2,000 streams).
        self._news: dict[int, threading.Event] = {}
        self._beats = 0
        self._poked = threading.Event()
        self._stopped = threading.Event()
        with self._sessions() as session:
            self._memory = _Memory(last_event_id(session), (), ())  # replaced whole: streams read it without a lock

    @property
    def head(self) -> int:
        return self._memory.upto

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def start(self, listen_url: str | None = None) -> None:
        threading.Thread(target=self._refresh_loop, name="event-hub", daemon=True).start()
        threading.Thread(target=self._beat_loop, name="event-beat", daemon=True).start()
        if listen_url:
            threading.Thread(target=self._listen_loop, args=(listen_url,), name="event-listen", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        self._poked.set()
        self._wake(list(self._news))

    def poke(self) -> None:
        """Something was committed: read it now rather than at the next poll."""
        self._poked.set()

    @property
    def beats(self) -> int:
        """Beats so far: a stream woken by one sends its heartbeat."""
        return self._beats

    def wait(self, office_id: int, after_id: int, timeout: float | None = None) -> list[StreamEvent]:
        """The office's events after after_id, waiting for one to come; none when the next beat comes first (or
        `timeout`, if given, passes)."""
        beats = self._beats
        until = None if timeout is None else time.monotonic() + timeout
        while True:
            # The office's event before the memory: news that comes after this read sets it.
            news = self._news.get(office_id) or self._news.setdefault(office_id, threading.Event())
            memory = self._memory
            ready = memory.after(office_id, after_id)
            if ready is None:  # older than memory holds (a long-disconnected display): replay from the database
                with self._sessions() as session:
                    ready = [_view(e) for e in events_after(session, office_id, after_id)]
                if ready:
                    return ready
                after_id = memory.floor  # none of the office's since: wait on memory, not on the database again
                continue
            if ready or self._stopped.is_set() or self._beats != beats:
                return ready
            if not news.wait(None if until is None else max(0.0, until - time.monotonic())):
                return ready

    def news(self, office_id: int, after_id: int) -> list[StreamEvent] | None:
        """The office's events in memory after after_id, without waiting (shared: read only); None when memory
        no longer reaches back that far."""
        return self._memory.after(office_id, after_id)

    def caught_up(self, office_id: int, after_id: int) -> int | None:
        """Where a stream of the office that has seen up to after_id stands, if it has nothing new to read: the
        newest event in memory (or after_id, if later); None if there is news for it. Streams caught up at
        different events of other offices so stand at one place, and a quiet office's streams move past what
        memory has let go of (the database says whether they missed anything)."""
        memory = self._memory
        news = memory.after(office_id, after_id)
        if news is None:
            with self._sessions() as session:
                missed = events_after(session, office_id, after_id, limit=1)
            return None if missed else max(after_id, memory.upto)
        return None if news else max(after_id, memory.upto)

    def refresh(self) -> bool:
        """Read what is new, once for every stream of this process, and wake them; whether there was news."""
        news = self._read()
        self._publish()
        return news

    def _read(self) -> bool:
        """Read what is new: news that matters is published at once, news of new tickets alone is held until
        `_wake_by`; whether there was news."""
        after = self._held[-1].id if self._held else self._memory.upto
        with self._sessions() as session:
            fresh = [_view(e) for e in all_events_after(session, after)]
        if not fresh:
            return False
        self._held += fresh
        if any(event.kind not in QUIET_KINDS for event in fresh):
            self._publish()
        elif self._wake_by is None:
            self._wake_by = time.monotonic() + self._quiet_s
        return True

    def _publish(self) -> None:
        """What was read goes into memory, and the streams of its offices wake."""
        self._wake_by = None
        if not self._held:
            return
        fresh, self._held = self._held, []
        self._memory = self._memory.with_news(fresh, self._keep)
        self._wake({event.office_id for event in fresh})

    def _beat(self) -> None:
        """Every stream wakes for its heartbeat."""
        self._beats += 1
        self._wake(list(self._news))

    def _wake(self, offices: Iterable[int]) -> None:
        for office_id in offices:
            news = self._news.pop(office_id, None)
            if news is not None:
                news.set()

    def _beat_loop(self) -> None:
        while not self._stopped.wait(self._beat_s):
            self._beat()

    def _refresh_loop(self) -> None:
        while not self._stopped.is_set():
            until_wake = self._poll_s if self._wake_by is None else self._wake_by - time.monotonic()
            self._poked.wait(max(0.0, min(self._poll_s, until_wake)))
            self._poked.clear()
            if self._wake_by is not None and time.monotonic() >= self._wake_by:
                self._publish()
            try:
                news = self._read()
            except Exception:  # a database hiccup must not end live updates for good
                log.exception("event hub refresh failed; retrying")
                self._stopped.wait(1.0)
                continue
            if news:  # what comes within the window is read, and drawn, together
                self._stopped.wait(self._window_s)

    def _listen_loop(self, url: str) -> None:
        import psycopg

        while not self._stopped.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._poked.set()  # catch up on whatever came while we were not listening
                    while not self._stopped.is_set():
                        for _ in connection.notifies(timeout=5.0, stop_after=1):
                            self._poked.set()
            except Exception:
                log.exception("LISTEN connection lost; reconnecting")
                self._stopped.wait(1.0)


@dataclass(frozen=True)
class _Memory:
    """The events after `floor`, oldest first."""

    floor: int
    ids: tuple[int, ...]
    events: tuple[StreamEvent, ...]
    # The first answers of `after`, each given to every stream that asks the same (an office's streams wake at one
    # cursor); a few, so clients asking from many cursors cannot fill memory.
    _answers: dict[tuple[int, int], list[StreamEvent]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def upto(self) -> int:
        return self.ids[-1] if self.ids else self.floor

    def after(self, office_id: int, after_id: int) -> list[StreamEvent] | None:
        """The office's events after after_id (shared between callers: read only); None when memory no longer
        reaches back that far."""
        if after_id < self.floor:
            return None
        answer = self._answers.get((office_id, after_id))
        if answer is None:
            start = bisect.bisect_right(self.ids, after_id)
            answer = [e for e in self.events[start:] if e.office_id == office_id]
            if len(self._answers) < ANSWERS_KEPT:
                self._answers[office_id, after_id] = answer
        return answer

    def with_news(self, fresh: list[StreamEvent], keep: int) -> _Memory:
        """Memory with the fresh events, keeping between `keep` and twice as many."""
        ids, events = (*self.ids, *(e.id for e in fresh)), (*self.events, *fresh)
        if len(events) <= 2 * keep:
            return _Memory(self.floor, ids, events)
        return _Memory(ids[-keep - 1], ids[-keep:], events[-keep:])


def _view(event: Any) -> StreamEvent:
    return StreamEvent(event.id, event.office_id, event.kind, event.payload)
