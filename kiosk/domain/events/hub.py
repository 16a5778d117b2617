"""One per process: reads new events once and wakes every open stream.

A commit in this process pokes the hub; on PostgreSQL a NOTIFY from any process does; a one-second poll
catches whatever else (a command-line change on SQLite). Streams then read from the hub's memory instead of
each asking the database.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kiosk.domain.events.log import CHANNEL, all_events_after, events_after, last_event_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamEvent:
    id: int
    office_id: int
    kind: str
    payload: dict[str, Any]


class EventHub:
    def __init__(self, sessions: Callable[[], Session], poll_s: float = 1.0, keep: int = 5000) -> None:
        self._sessions = sessions
        self._poll_s = poll_s
        self._keep = keep
        self._cond = threading.Condition()
        self._poked = threading.Event()
        self._stopped = threading.Event()
        self._events: list[StreamEvent] = []
        self._ids: list[int] = []
        with self._sessions() as session:
            self._upto = last_event_id(session)
        self._floor = self._upto  # every event after the floor, up to _upto, is in memory

    @property
    def head(self) -> int:
        return self._upto

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def start(self, listen_url: str | None = None) -> None:
        threading.Thread(target=self._refresh_loop, name="event-hub", daemon=True).start()
        if listen_url:
            threading.Thread(target=self._listen_loop, args=(listen_url,), name="event-listen", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        self._poked.set()
        with self._cond:
            self._cond.notify_all()

    def poke(self) -> None:
        """Something was committed: read it now rather than at the next poll."""
        self._poked.set()

    def wait(self, office_id: int, after_id: int, timeout: float) -> list[StreamEvent]:
        """The office's events after after_id, waiting up to timeout for one to come."""
        with self._cond:
            if after_id >= self._floor:
                ready: list[StreamEvent] | None = self._cached(office_id, after_id)
                if not ready and not self._stopped.is_set():
                    self._cond.wait(timeout)
                    ready = self._cached(office_id, after_id) if after_id >= self._floor else None
                if ready is not None:
                    return ready
        # Older than memory holds (a long-disconnected display): replay from the database.
        with self._sessions() as session:
            return [_view(e) for e in events_after(session, office_id, after_id)]

    def refresh(self) -> None:
        with self._sessions() as session:
            fresh = [_view(e) for e in all_events_after(session, self._upto)]
        if not fresh:
            return
        with self._cond:
            self._events.extend(fresh)
            self._ids.extend(e.id for e in fresh)
            self._upto = fresh[-1].id
            if len(self._events) > 2 * self._keep:
                self._floor = self._ids[-self._keep - 1]
                del self._events[: -self._keep], self._ids[: -self._keep]
            self._cond.notify_all()

    def _cached(self, office_id: int, after_id: int) -> list[StreamEvent]:
        start = bisect.bisect_right(self._ids, after_id)
        return [e for e in self._events[start:] if e.office_id == office_id]

    def _refresh_loop(self) -> None:
        while not self._stopped.is_set():
            self._poked.wait(self._poll_s)
            self._poked.clear()
            try:
                self.refresh()
            except Exception:  # a database hiccup must not end live updates for good
                log.exception("event hub refresh failed; retrying")
                self._stopped.wait(1.0)

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


def _view(event: Any) -> StreamEvent:
    return StreamEvent(event.id, event.office_id, event.kind, event.payload)
