"""PostgreSQL under gevent: a transaction holding a lock that the whole office queues on (the day's next number of
a service, the event lock) keeps the worker's event loop until its COMMIT.

Waiting cooperatively, the holder gives the loop away at each round trip, and every other request of the worker
runs before it gets it back: under the probe's load a ticket held its number 30 ms for four round trips of a
millisecond each, and every kiosk queued behind it. From its first such lock on, a transaction's waits on the
database block the worker instead, for the few milliseconds they take. A lock that a request of this very worker
holds while it is set aside would never come free that way: after BUDGET_S the transaction waits cooperatively
again, so the worst is a short pause of the worker, never a deadlock."""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import Engine, event

# The execution options of a statement that takes a lock held until COMMIT and queued on by the whole office.
HELD_TO_COMMIT = {"kiosk_lock_held_to_commit": True}
BUDGET_S = 0.1
_MASKS = {1: select.POLLIN, 2: select.POLLOUT, 3: select.POLLIN | select.POLLOUT}  # psycopg's Wait.R, W, RW
_READABLE = select.POLLIN | select.POLLHUP | select.POLLERR  # a closed socket reads as its error
_SOCKET = "kiosk_holding_socket"  # a pooled connection's info: the socket its transaction holds the loop on
_holders: dict[int, float] = {}  # socket → when its transaction took its first lock
_installed: list[bool] = []


def hold_the_loop_while_locked(engine: Engine) -> None:
    """Called for each PostgreSQL engine of a gevent process: psycopg's wait is replaced once, per process."""
    if not _installed:
        _install_wait()
        _installed.append(True)

    @event.listens_for(engine, "before_cursor_execute")
    def mark(connection: Any, _cursor: Any, _statement: Any, _params: Any, context: Any, _many: bool) -> None:
        if context.execution_options.get("kiosk_lock_held_to_commit") and _SOCKET not in connection.info:
            socket = connection.connection.driver_connection.pgconn.socket
            connection.info[_SOCKET], _holders[socket] = socket, time.monotonic()

    # The COMMIT (or ROLLBACK) still holds the loop; the next transaction on the connection, or its return to the
    # pool, lets go.
    event.listen(engine, "begin", lambda connection: _let_go(connection.info))
    event.listen(engine, "checkin", lambda _dbapi, record: _let_go(record.info))


def _let_go(info: dict[str, Any]) -> None:
    socket = info.pop(_SOCKET, None)
    if socket is not None:
        _holders.pop(socket, None)


def _install_wait() -> None:
    from gevent import select as cooperative_select  # type: ignore[import-untyped]
    from gevent.monkey import get_original  # type: ignore[import-untyped]
    from psycopg import waiting

    cooperative_wait, blocking_poll = waiting.wait, get_original("select", "poll")

    def wait(gen: Any, fileno: int, interval: float = 0.0, timeout: float | None = None) -> Any:
        took_lock_at = _holders.get(fileno)
        if took_lock_at is None or timeout is not None:
            return cooperative_wait(gen, fileno, interval, timeout)
        try:
            state = next(gen)
            poll, blocking = blocking_poll(), True
            poll.register(fileno, _MASKS[state])
            while True:
                left_s = BUDGET_S - (time.monotonic() - took_lock_at)
                if blocking and left_s <= 0:
                    poll, blocking = cooperative_select.poll(), False
                    poll.register(fileno, _MASKS[state])
                ready = poll.poll(int(left_s * 1000) + 1 if blocking else int(interval * 1000))
                events = ready[0][1] if ready else 0
                state = gen.send((waiting.READY_R if events & _READABLE else 0)
                                 | (waiting.READY_W if events & select.POLLOUT else 0))
                poll.modify(fileno, _MASKS[state])
        except StopIteration as done:
            return done.value

    waiting.wait = wait
