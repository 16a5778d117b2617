"""Against a real `kiosk serve`: slow, idle and greedy clients cannot starve the office's screens, and many writers
at once are each answered (SQLite's writers queue in the process, not inside SQLite). Times here are limits on being
answered at all; the figures are bench/slow_clients_bench.py's."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

import pytest

from tests.support.server import ServerProcess, demo_tokens

ANSWERED_WITHIN_S = 10.0


def ask(port: int, source: str, method: str, path: str, headers: dict[str, str] | None = None,
        body: bytes = b"", timeout: float = ANSWERED_WITHIN_S) -> tuple[int, bytes]:
    """One request on its own connection from the loopback address `source`: (status, body); (0, b"") when the
    server did not answer within `timeout`."""
    lines = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
    deadline, answer = time.monotonic() + timeout, b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as client:
            client.sendall(f"{head}{lines}\r\n".encode() + body)
            while chunk := client.recv(65536):
                answer += chunk
                client.settimeout(max(0.01, deadline - time.monotonic()))
    except OSError:
        return 0, b""
    status, _, rest = answer.partition(b"\r\n")
    return (int(status.split()[1]), rest.partition(b"\r\n\r\n")[2]) if status.startswith(b"HTTP/1.1") else (0, b"")


def take_from(port: int, source: str, token: str, timeout: float = ANSWERED_WITHIN_S) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return ask(port, source, "POST", "/api/v1/tickets", headers, b'{"service": "passport-first"}', timeout)


def half_sent(port: int, count: int, source: str = "127.0.0.1") -> list[socket.socket]:
    """`count` connections that start a request and never finish its head (a slowloris)."""
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
        client.sendall(b"GET /kiosk/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
        clients.append(client)
    return clients


def open_stream(port: int, source: str, token: str) -> tuple[socket.socket, bytes]:
    """An event stream from `source`: the socket, and the answer's first bytes (status line included)."""
    client = socket.create_connection(("127.0.0.1", port), timeout=ANSWERED_WITHIN_S, source_address=(source, 0))
    client.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    return client, client.recv(4096)


def read_until(client: socket.socket, marker: bytes, timeout: float = ANSWERED_WITHIN_S) -> bool:
    seen, deadline = b"", time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        client.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = client.recv(65536)
        except OSError:
            return False
        if not chunk:
            return False
        seen = seen[-len(marker):] + chunk
    return marker in seen


def test_four_hundred_twenty_half_sent_requests_starve_no_one(start_server, instance) -> None:
    server = start_server()
    tokens = demo_tokens(instance)
    slow = half_sent(server.port, 420)
    try:
        display = {"Cookie": f"device_display={tokens['display-hall']}"}
        assert take_from(server.port, "127.0.0.2", tokens["kiosk-lobby"])[0] == 201
        assert ask(server.port, "127.0.0.2", "GET", "/display", display)[0] == 200
        services = ask(server.port, "127.0.0.2", "GET", "/api/v1/services",
                       {"Authorization": f"Bearer {tokens['kiosk-lobby']}"})
        assert services[0] == 200 and b"passport-first" in services[1]
        # The hard case: a kiosk behind the same address as the slow clients still gets its ticket.
        assert take_from(server.port, "127.0.0.1", tokens["kiosk-lobby"])[0] == 201
    finally:
        for client in slow:
            client.close()


def test_fifty_kiosks_at_once_each_get_an_answer_and_a_gap_free_number(start_server, instance) -> None:
    server = start_server()
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    barrier, answers = threading.Barrier(50), [(0, b"")] * 50

    def take(n: int) -> None:
        barrier.wait()
        # A writer that waited out SQLite's busy timeout would be answered with an error, not 201: on SQLite they
        # queue on the process's cooperative lock instead. How fast they are answered is the bench's to say.
        answers[n] = take_from(server.port, f"127.0.3.{n + 1}", kiosk, timeout=ANSWERED_WITHIN_S)

    threads = [threading.Thread(target=take, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [status for status, _ in answers] == [201] * 50
    numbers = sorted(json.loads(body)["number"] for _, body in answers)
    assert numbers == [f"A{n:03d}" for n in range(1, 51)]


def test_an_address_holding_its_whole_allowance_is_refused_at_once_and_no_other_is(start_server, office_env,
                                                                                    instance) -> None:
    server = start_server(dict(office_env, KIOSK_SERVER__CONNECTIONS_PER_ADDRESS="5"))
    display = demo_tokens(instance)["display-hall"]
    streams = [open_stream(server.port, "127.0.0.9", display) for _ in range(5)]
    try:
        assert all(first.startswith(b"HTTP/1.1 200") for _, first in streams)
        refused = open_stream(server.port, "127.0.0.9", display)
        assert refused[1].startswith(b"HTTP/1.1 503") and b"Retry-After: " in refused[1], refused[1]
        other = open_stream(server.port, "127.0.0.10", display)
        assert other[1].startswith(b"HTTP/1.1 200")
        for client in (refused[0], other[0]):
            client.close()
    finally:
        for client, _ in streams:
            client.close()


def test_a_body_that_never_comes_whole_is_cut_off(start_server, office_env, instance) -> None:
    server = start_server(dict(office_env, KIOSK_SERVER__BODY_TIMEOUT_S="1"))
    kiosk = demo_tokens(instance)["kiosk-lobby"]
    with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWERED_WITHIN_S) as client:
        client.sendall(f"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {kiosk}\r\n"
                       "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"service\": ".encode())
        answer = client.recv(65536)
        assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert take_from(server.port, "127.0.0.1", kiosk)[0] == 201


def test_with_one_turn_neither_half_sent_bodies_nor_open_streams_keep_a_kiosk_waiting(start_server, office_env,
                                                                                      instance) -> None:
    """The app works on one request at a time here; bodies still coming in and streams already open wait
    outside it (a body would otherwise hold the turn for body_timeout_s, a stream for ever)."""
    server = start_server(dict(office_env, KIOSK_SERVER__TURNS="1"))
    tokens = demo_tokens(instance)
    bodies = []
    for _ in range(3):
        client = socket.create_connection(("127.0.0.1", server.port), timeout=ANSWERED_WITHIN_S)
        client.sendall(f"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                       f"{tokens['kiosk-lobby']}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                       "{\"service\": ".encode())
        bodies.append(client)
    streams = [open_stream(server.port, "127.0.0.5", tokens["display-hall"]) for _ in range(3)]
    try:
        assert all(first.startswith(b"HTTP/1.1 200") for _, first in streams)
        status, body = take_from(server.port, "127.0.0.6", tokens["kiosk-lobby"])
        assert status == 201 and json.loads(body)["number"] == "A001"
    finally:
        for client in [*bodies, *(stream for stream, _ in streams)]:
            client.close()


def test_sigterm_ends_open_streams_and_idle_connections_at_once(start_server, instance) -> None:
    server = start_server()
    display = demo_tokens(instance)["display-hall"]
    streams = [open_stream(server.port, f"127.0.4.{n + 1}", display)[0] for n in range(20)]
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=ANSWERED_WITHIN_S)
    idle.sendall(b"GET /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # answered, then kept alive
    assert idle.recv(65536).startswith(b"HTTP/1.1 ")
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGTERM)
    ended = [_ends(client) for client in [*streams, idle]]
    server.process.wait(ANSWERED_WITHIN_S)
    assert ended == [True] * 21


def _ends(client: socket.socket, within: float = 3.0) -> bool:
    """Whether the server closes the connection within `within` seconds (whatever it sends first)."""
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            client.settimeout(max(0.01, deadline - time.monotonic()))
            if not client.recv(65536):
                return True
    except OSError:
        return False
    finally:
        client.close()
    return False


def test_two_workers_on_postgresql_share_the_queue_and_wake_every_stream(
    start_server: Callable[..., ServerProcess], office_env, instance, engine_name
) -> None:
    if engine_name != "postgresql":
        pytest.skip("several workers serve one office only on PostgreSQL (run with --db postgresql)")
    start_server().stop()  # `kiosk demo` once, through the fixture
    server = ServerProcess(office_env, workers=2).start()
    try:
        tokens = demo_tokens(instance)
        streams = [open_stream(server.port, f"127.0.5.{n + 1}", tokens["display-hall"])[0] for n in range(20)]
        answers = [take_from(server.port, f"127.0.6.{n + 1}", tokens["kiosk-lobby"]) for n in range(10)]
        assert sorted(json.loads(body)["number"] for _, body in answers) == [f"A{n:03d}" for n in range(1, 11)]
        staff = {"Authorization": f"Bearer {tokens['tablet-counter-1']}"}
        assert ask(server.port, "127.0.0.7", "POST", "/api/v1/counters/1/call-next", staff)[0] == 200
        assert [read_until(client, b"event: ticket.called") for client in streams] == [True] * 20
        for client in streams:
            client.close()
    finally:
        server.stop()
