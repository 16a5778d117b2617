"""Many SSE clients at once on plain sockets: light enough to hold hundreds in one test process."""

from __future__ import annotations

import socket
import time


def open_streams(
    port: int, token: str, count: int, path: str = "/api/v1/events", auth: str = ""
) -> list[socket.socket]:
    """`count` streams; `auth` is the header line that pairs them (default: the token as a bearer token)."""
    auth = auth or f"Authorization: Bearer {token}"
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    streams = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(request)
        streams.append(client)
    for client in streams:  # every one must be answered, i.e. hold a server thread
        assert b"200 OK" in client.recv(4096)
    return streams


def wait_for(client: socket.socket, marker: bytes, timeout: float = 10.0) -> float:
    """Read until `marker` arrives; returns the monotonic time it did."""
    seen, deadline = b"", time.monotonic() + timeout
    while marker not in seen:
        client.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = client.recv(65536)
        if not chunk:
            raise ConnectionError("stream closed")
        seen = seen[-len(marker):] + chunk
    return time.monotonic()
