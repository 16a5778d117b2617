"""Which devices hold a stream open in this process, marked seen in one write for all of them.

Each stream used to write its own `last_seen_at` every half minute: 2,000 displays made 2,000 write transactions
in a burst, on the event loop the calls share. Now whichever stream finds the mark due writes it for every device
that holds one, and the streams of a device revoked meanwhile end at their next message.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from flask import current_app

from kiosk.domain.office.devices import SEEN_EVERY, mark_seen
from kiosk.runtime import Runtime

NEWCOMERS_EVERY_S = 1.0  # a device that just opened a stream is marked within a second, however many open at once


class Presence:
    def __init__(self, every_s: float = SEEN_EVERY.total_seconds() / 2,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._every_s, self._clock = every_s, clock
        self._lock = threading.Lock()
        self._marking = threading.Lock()
        self._holding: Counter[int] = Counter()  # device id → streams it holds open here
        self._revoked: set[int] = set()
        self._marked_at = -float("inf")
        self._next_at = -float("inf")  # when a mark is next due: at once for newcomers, else every_s after the last

    def open(self, device_id: int) -> None:
        with self._lock:
            self._holding[device_id] += 1
            self._next_at = min(self._next_at, self._marked_at + NEWCOMERS_EVERY_S)

    def close(self, device_id: int) -> None:
        with self._lock:
            self._holding[device_id] -= 1
            if self._holding[device_id] <= 0:
                del self._holding[device_id]
                self._revoked.discard(device_id)

    def in_use(self, device_id: int, rt: Runtime, mark_aside: bool = False) -> bool:
        """Called as a stream sends: marks every holder if it is time (`mark_aside`: in a thread of its own, for a
        writer that serves many streams and must not wait on the database); False once the device is revoked."""
        if self._clock() >= self._next_at and self._marking.acquire(blocking=False):
            if mark_aside:
                threading.Thread(target=self._mark_if_due, args=(rt,), name="presence-mark", daemon=True).start()
            else:
                self._mark_if_due(rt)
        return device_id not in self._revoked

    def _mark_if_due(self, rt: Runtime) -> None:
        """With the marking lock held; releases it."""
        try:
            if self._clock() >= self._next_at:
                self._mark(rt)
        finally:
            self._marking.release()

    def _mark(self, rt: Runtime) -> None:
        with self._lock:
            holders = set(self._holding)
            self._marked_at = self._clock()
            self._next_at = self._marked_at + self._every_s
        with rt.sessions.begin() as session:
            in_use = mark_seen(session, holders, rt.clock())
        with self._lock:
            self._revoked |= (holders - in_use) & set(self._holding)


def presence() -> Presence:
    """This process's book of stream holders (one per app)."""
    book: Presence = current_app.extensions.setdefault("stream_presence", Presence())
    return book
