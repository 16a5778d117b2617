"""The production server: gunicorn's gevent worker, so an open stream or a half-sent request costs a greenlet and a
socket, not a thread. What a slow or idle client may hold is bounded in time and per address:

- a request's head must be in within `header_timeout_s` (also how long an idle keep-alive connection stays open);
- a request's body within `body_timeout_s`, and a client that stops reading an answer for that long is dropped;
- one address holds at most `idle_per_address` connections without a whole request in (idle or half-sent): a
  new connection closes the one that has waited longest, so a kiosk sharing an address with a slowloris still
  gets in; and at most `connections_per_address` in all, past which it is answered 503 at once;
- addresses in `proxies` (a reverse proxy in front, which limits its own clients) are not counted.

The process must be monkey-patched by gevent before anything else is imported (threads, sockets, locks, psycopg's
wait and the event hub then cooperate): `kiosk serve` starts itself again under `python -m gevent.monkey`.
"""

from __future__ import annotations

import gc
import io
import logging
import os
import resource
import signal
import socket
import sys
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import gevent  # type: ignore[import-untyped]
import gevent.lock  # type: ignore[import-untyped]
import gevent.monkey  # type: ignore[import-untyped]
import gevent.socket  # type: ignore[import-untyped]
from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.workers.ggevent import GeventWorker

from kiosk.domain.office import passwords
from kiosk.web.common.edge import LARGEST_BODY
from printers.drawing import DrawingProcess

log = logging.getLogger(__name__)
T = TypeVar("T")

REFUSAL = b"Too many connections from this address; try again in a moment.\n"
REFUSED = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 10\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(REFUSAL), REFUSAL)
)
SPARE_FILES = 1024  # beyond the connections: database, printers, log and audio files


def cooperative() -> bool:
    """Whether gevent has monkey-patched this process (threads are greenlets, sockets cooperate)."""
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("threading"))


def restart_cooperatively(args: list[str]) -> None:
    """Replace this process by `kiosk ARGS` run under gevent's monkey-patching, which must come before any import
    of the app (a lock or a psycopg wait made before it would block the whole process)."""
    os.execv(sys.executable, [sys.executable, "-m", "gevent.monkey", "--module", "kiosk", *args])


class AddressLimits:
    """Each address's open connections, and which of them have no whole request in yet (oldest first)."""

    def __init__(self, per_address: int, idle_per_address: int, unlimited: frozenset[str],
                 warn: Callable[..., None] = log.warning) -> None:
        self.per_address, self.idle_per_address, self.unlimited = per_address, idle_per_address, unlimited
        self.warn = warn
        self.open: dict[str, int] = {}
        self.idle: dict[str, OrderedDict[socket.socket, None]] = {}
        self.warned: dict[str, float] = {}

    def admit(self, address: str, client: socket.socket) -> bool:
        """Count a new connection in; False (refuse it) when the address holds its whole allowance busy."""
        limited = address not in self.unlimited
        idle = self.idle.setdefault(address, OrderedDict())
        if limited and self.open.get(address, 0) >= self.per_address and not _close_oldest(idle):
            self._warn(address, "refusing new connections")
            return False
        self.open[address] = self.open.get(address, 0) + 1
        idle[client] = None
        if limited and len(idle) > self.idle_per_address:
            _close_oldest(idle)
            self._warn(address, "closing connections that sent no whole request")
        return True

    def busy(self, address: str, client: socket.socket) -> None:
        """Its request's head is in: it is working, not waiting."""
        self.idle[address].pop(client, None)

    def waiting(self, address: str, client: socket.socket) -> None:
        """Answered and kept open for its next request: the newest of the address's idle connections."""
        self.idle[address][client] = None

    def leave(self, address: str, client: socket.socket) -> None:
        self.idle[address].pop(client, None)
        self.open[address] -= 1
        if not self.open[address]:
            del self.open[address], self.idle[address]

    def close_idle(self) -> None:
        """Shutting down: the connections waiting for a request need not wait out their keep-alive."""
        for idle in self.idle.values():
            while _close_oldest(idle):
                pass

    def _warn(self, address: str, what: str) -> None:
        if time.monotonic() - self.warned.get(address, -60.0) >= 60:
            self.warned[address] = time.monotonic()
            self.warn("%s from %s: %d open (%d without a whole request)", what, address,
                        self.open.get(address, 0), len(self.idle.get(address, ())))


def _close_oldest(idle: OrderedDict[socket.socket, None]) -> bool:
    if not idle:
        return False
    _shut(idle.popitem(last=False)[0], socket.SHUT_RDWR)
    return True


def _shut(sock: socket.socket, how: int) -> None:
    """Shut the connection down underneath gevent, whose own shutdown() throws an error into the greenlet reading
    it: this way that greenlet reads a plain end-of-stream and ends the connection as if the client had."""
    plain = gevent.monkey.get_original("socket", "socket")(fileno=sock.fileno())
    try:
        plain.shutdown(how)
    except OSError:
        pass
    finally:
        plain.detach()


class ClientSocket(gevent.socket.socket):
    """gevent's socket with a `sendall` that first tries one `send`: gevent's asks the kernel for the send buffer's
    size before every write, a second system call for each message to each of 2,000 streams. The event streams'
    writer (`kiosk.web.common.fanout`) finds it in the environ, as `gunicorn.socket`, by its `send_now`."""

    __slots__ = ()

    def sendall(self, data: Any, flags: int = 0) -> None:
        sent = self.send(data, flags)
        if sent < len(data):
            super().sendall(memoryview(data)[sent:], flags)

    def send_now(self, data: bytes) -> int:
        """What the kernel takes at once, without waiting: the streams' writer serves many and waits on none."""
        try:
            return int(self.send(data, 0, timeout=0.0))
        except BlockingIOError:
            return 0


class OfficeWorker(GeventWorker):
    """gunicorn's gevent worker with per-address limits, a body deadline and a send/receive stall timeout."""

    limits: AddressLimits
    body_timeout_s: float

    def init_process(self) -> None:
        server = self.app.server  # the office's [server] settings, as OfficeServer was given them
        self.limits = AddressLimits(server["connections_per_address"], server["idle_per_address"],
                                    frozenset(server["proxies"]), self.log.warning)
        self.body_timeout_s = server["body_timeout_s"]
        super().init_process()

    def handle(self, listener: Any, client: socket.socket, addr: Any) -> None:
        client = ClientSocket(fileno=client.detach())  # gevent's server closes the detached one: a no-op
        address = addr[0] if isinstance(addr, tuple) else ""
        if not self.limits.admit(address, client):
            _refuse(client)
            return
        try:
            # A client that stops reading an answer is dropped; a body is cut off before this, cleanly, at its deadline.
            client.settimeout(self.body_timeout_s + 5)
            super(GeventWorker, self).handle(listener, client, addr)  # AsyncWorker's: keep-alive loop, head deadline
        finally:
            self.limits.leave(address, client)

    def handle_request(self, listener_name: Any, req: Any, sock: socket.socket, addr: Any) -> bool:
        address = addr[0] if isinstance(addr, tuple) else ""
        self.limits.busy(address, sock)
        cut = gevent.spawn_later(self.body_timeout_s, _stop_reading, sock) if _has_body(req) else None
        try:
            handled = bool(super().handle_request(listener_name, req, sock, addr))
        except TimeoutError:
            self.log.debug("dropped %s: it read nothing for %s s", address, self.body_timeout_s + 5)
            raise StopIteration from None  # AsyncWorker.handle closes the connection without a traceback
        finally:
            if cut is not None:
                cut.kill(block=False)
            self.limits.waiting(address, sock)
        if not self.alive:
            raise StopIteration  # shutting down: no keep-alive (AsyncWorker.handle closes the connection)
        return handled


def _has_body(req: Any) -> bool:
    for name, value in req.headers:
        if name == "TRANSFER-ENCODING" or (name == "CONTENT-LENGTH" and value.strip() not in ("", "0")):
            return True
    return False


def _stop_reading(sock: socket.socket) -> None:
    """The body did not come in time: the app reads end-of-stream (a 400), the answer can still be sent."""
    _shut(sock, socket.SHUT_RD)


def _refuse(client: socket.socket) -> None:
    try:
        client.settimeout(1.0)
        client.sendall(REFUSED)
        client.shutdown(socket.SHUT_WR)
        client.recv(65536)  # let the request arrive, so closing does not reset the answer away
    except OSError:
        pass
    finally:
        client.close()


class Admission:
    """At most `turns` requests of this worker inside the app at once; the others wait for a turn, in order.

    The event loop would otherwise share the CPU among every request in flight: under load each answer comes late,
    and a request holding a row lock (the day's next number) waits behind all the others between its round trips
    while every kiosk queues on that lock. In turn, the same work is done in the same time and each answer comes as
    soon as its own work is done. A body is read whole before the turn is taken, so a slow sender waits outside;
    an event stream holds its turn only while it opens."""

    def __init__(self, app: Callable[..., Any], turns: int) -> None:
        self.app, self.turns = app, gevent.lock.BoundedSemaphore(turns)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        length = environ.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) <= LARGEST_BODY:  # a bigger one is refused by the app unread
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(int(length)))
        with self.turns:
            return self.app(environ, start_response)


class OfficeServer(BaseApplication):
    def __init__(self, options: dict[str, Any], server: dict[str, Any]) -> None:
        self.options, self.server = options, server
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        # Built in each worker after the fork, so every process has its own event hub and connections.
        from kiosk import create_app

        app = create_app()
        app.wsgi_app = Admission(app.wsgi_app, self.server["turns"])  # type: ignore[method-assign]
        return app


def set_up_worker(worker: Any) -> None:
    """Each worker: password hashes and the speaking of calls in gevent's native thread pool (off the event loop),
    tickets drawn by a child process of its own (their Python would hold up the worker's requests), its streams
    closed at once on SIGTERM, and the app's start-up objects (catalogues, pick lists, mappers) left out of the
    garbage collector's full passes, which under load otherwise walk them all every few dozen requests."""
    passwords.run_hash = _off_the_loop
    if (spooler := worker.wsgi.extensions.get("printing")) is not None:
        spooler.drawer = DrawingProcess()
    if (display := worker.wsgi.extensions.get("display")) is not None and display.announcer.audio is not None:
        display.announcer.audio.speak_in = _off_the_loop
    gc.freeze()
    end_streams_on_shutdown(worker)


def _off_the_loop(work: Callable[[], T]) -> T:
    result: T = gevent.get_hub().threadpool.apply(work)
    return result


def end_streams_on_shutdown(worker: Any) -> None:
    """On SIGTERM close the event streams at once, so a restart does not wait for every display's heartbeat."""
    previous = signal.getsignal(signal.SIGTERM)

    def stop(signum: int, frame: Any) -> None:
        gevent.spawn(worker.wsgi.extensions["kiosk"].hub.stop)  # a signal may arrive in the hub: block nothing
        gevent.spawn(worker.limits.close_idle)
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, stop)


def open_files_for(connections: int) -> int:
    """Raise this process's open-file limit (inherited by the workers) to what `connections` need; what it got."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + SPARE_FILES
    if soft < wanted and (hard == resource.RLIM_INFINITY or soft < hard):
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def serve(host: str, port: int, workers: int, server: dict[str, Any]) -> None:
    """Run gunicorn in this (monkey-patched) process with the [server] settings."""
    connections = max(1, min(server["connections"], open_files_for(server["connections"]) - SPARE_FILES))
    if connections < server["connections"]:
        log.warning("open-file limit allows %d connections per process, not %d", connections, server["connections"])
    OfficeServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "kiosk.server.OfficeWorker",
            "worker_connections": connections,
            "keepalive": max(1, server["header_timeout_s"]),  # the async worker's deadline for each request head
            "graceful_timeout": 5,
            "accesslog": None,
            "control_socket_disable": True,  # several offices or test servers may share a machine
            "post_worker_init": set_up_worker,
        },
        server,
    ).run()
