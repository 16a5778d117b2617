"""PostgreSQL under gevent: a transaction taking a lock that the whole office queues on (the day's next number of a
service, the event lock) keeps the worker's event loop from that lock until its COMMIT.

Waiting cooperatively, the holder gives the loop away at each round trip, and every other request of the worker
runs before it gets it back: under the probe's load a ticket held its number 30 ms for four round trips of a
millisecond each, and every kiosk queued behind it; a lock handed on waited as long again for its new holder to be
scheduled. From the statement that takes such a lock, a transaction's waits on the database block the worker
instead, for the few milliseconds they take. Every taker of these locks is marked so, and only a worker's one
marked transaction blocks: with two, the holder may be the other one, set aside, and both wait cooperatively. A
lock held elsewhere is held by a transaction that runs (another worker's). After BUDGET_S a transaction waits
cooperatively again, whatever it waits for, and its waits other than for the lock block only briefly: the worst is
a short pause of one worker, never a deadlock."""

from __future__ import annotations

import select
import time
from typing import Any

from psycopg import OperationalError, waiting
from psycopg.waiting import Wait
from sqlalchemy import Engine, event

TAKES_LOCK = "kiosk_lock_held_to_commit"
# The execution options of a statement that takes a lock held until COMMIT and queued on by the whole office.
HELD_TO_COMMIT = {TAKES_LOCK: True}
BUDGET_S = 0.1
# Any other wait of a holder (its round trips, its COMMIT) blocks this long at most: it may wait on a row that an
# unmarked request of this worker holds (an officer's settings), which the reasoning above does not cover.
ROUND_TRIP_S = 0.01
_MASKS = {Wait.R: select.POLLIN, Wait.W: select.POLLOUT, Wait.RW: select.POLLIN | select.POLLOUT}
_READABLE = select.POLLIN | select.POLLHUP | select.POLLERR  # a socket the server closed reads as its error
_SOCKET = "kiosk_holding_socket"  # a pooled connection's info: (socket, when) its transaction holds the loop on
_holders: dict[int, float] = {}  # socket → when its transaction asked for its first lock
_taking: set[int] = set()  # sockets whose statement now running is a marked one


def hold_the_loop_while_locked(engine: Engine) -> None:
    """Called for each PostgreSQL engine of a gevent process: psycopg's wait is replaced once, per process."""
    if not getattr(waiting.wait, "holds_the_loop", False):
        waiting.wait = _holding_wait(waiting.wait)

    @event.listens_for(engine, "before_cursor_execute")
    def mark(connection: Any, _cursor: Any, _statement: Any, _params: Any, context: Any, _many: bool) -> None:
        if context.execution_options.get(TAKES_LOCK):
            socket = connection.connection.driver_connection.pgconn.socket
            if _SOCKET not in connection.info:
                since = _holders[socket] = time.monotonic()
                connection.info[_SOCKET] = (socket, since)
            _taking.add(socket)

    @event.listens_for(engine, "after_cursor_execute")
    def taken(connection: Any, *_args: Any) -> None:
        if _SOCKET in connection.info:
            _taking.discard(connection.info[_SOCKET][0])

    # The COMMIT (or ROLLBACK) still holds the loop; the next transaction on the connection, or its return to the
    # pool, lets go.
    event.listen(engine, "begin", lambda connection: _let_go(connection.info))
    event.listen(engine, "checkin", lambda _dbapi, record: _let_go(record.info))


def _let_go(info: dict[str, Any]) -> None:
    """Forget the transaction's mark, unless its socket's number went to another connection meanwhile."""
    socket, since = info.pop(_SOCKET, (None, None))
    if socket is not None and _holders.get(socket) == since:
        del _holders[socket]
        _taking.discard(socket)


def _blocking_until(fileno: int) -> float:
    """Until when this wait may block the worker: not at all unless its transaction takes or holds a lock, within its
    budget, and is the worker's only transaction that does; a wait other than the lock's own, briefly."""
    took_lock_at = _holders.get(fileno)
    if took_lock_at is None or len(_holders) > 1:
        return 0.0
    until = took_lock_at + BUDGET_S
    return until if fileno in _taking else min(until, time.monotonic() + ROUND_TRIP_S)


def _holding_wait(cooperative_wait: Any) -> Any:
    from gevent import select as cooperative_select  # type: ignore[import-untyped]
    from gevent.monkey import get_original  # type: ignore[import-untyped]

    blocking_poll = get_original("select", "poll")

    def wait(gen: Any, fileno: int, interval: float = 0.0, timeout: float | None = None) -> Any:
        until = _blocking_until(fileno) if timeout is None else 0.0
        if until <= time.monotonic():
            return cooperative_wait(gen, fileno, interval, timeout)
        try:
            state = next(gen)
            poll, blocking = blocking_poll(), True
            poll.register(fileno, _MASKS[state])
            while True:
                left_s = until - time.monotonic() if blocking else 0.0
                if blocking and left_s <= 0:
                    poll, blocking = cooperative_select.poll(), False
                    poll.register(fileno, _MASKS[state])
                ready = poll.poll(int(left_s * 1000) + 1 if blocking else int(interval * 1000))
                events = ready[0][1] if ready else 0
                if events and not events & (_READABLE | select.POLLOUT):
                    raise OperationalError("connection socket closed")  # POLLNVAL: as psycopg's own wait_poll
                state = gen.send((waiting.READY_R if events & _READABLE else 0)
                                 | (waiting.READY_W if events & select.POLLOUT else 0))
                poll.modify(fileno, _MASKS[state])
        except StopIteration as done:
            return done.value

    wait.holds_the_loop = True  # type: ignore[attr-defined]
    return wait
