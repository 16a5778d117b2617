"""Hall display figures with 50 displays streaming from one `kiosk serve`:

  call → page updated   from the call-next request to the redrawn hall (the new number) at each display
  call → audio ready    from the call-next request until each display can start playing the call's WAV (its
                        header and first 1.5 s are in), loaded as its audio queue does on receiving the call
  call → whole WAV      the same, until the whole file is in
Goals at p95: page 100 ms, audio 300 ms. The bench's own 50 clients share the server's CPU here.

    python bench/display_bench.py              SQLite in a temp folder
    python bench/display_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import re
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentiles, run_benches  # noqa: E402
from tests.support.raw_streams import open_streams  # noqa: E402
from tests.support.server import REPO, ServerProcess, demo_tokens  # noqa: E402
from tests.support.tickets import take_ticket  # noqa: E402

DISPLAYS = 50
CALLS = 30
PLAYABLE_BYTES = 64 * 1024  # 1.5 s of 22 kHz 16-bit mono: a browser starts playing long before the end
AUDIO_URL = re.compile(rb'data-audio="(/display/calls/\d+\.wav)"')


def bench(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "kiosk", "demo"], env=env, cwd=REPO, check=True, capture_output=True)
    staff = subprocess.run([sys.executable, "-m", "kiosk", "token", "create", "--role", "staff"], env=env, cwd=REPO,
                           check=True, capture_output=True, text=True).stdout.strip()
    server = ServerProcess(env).start()
    tokens = demo_tokens(Path(env["KIOSK_INSTANCE"]))
    display = tokens["display-hall"]
    http = requests.Session()

    def post(path: str, token: str, body: dict[str, str] | None = None) -> requests.Response:
        return http.post(f"{server.url}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"})

    try:
        for n in range(CALLS):  # every third citizen is announced in English too
            take_ticket(server.url, tokens["kiosk-lobby"], http=http, language="en" if n % 3 else "vi")
        cookie = f"Cookie: device_display={display}"
        streams = open_streams(server.port, "", DISPLAYS, "/display/stream", cookie)
        page, audio = measure(server.port, cookie, streams, lambda n: post(f"/counters/{n % 20 + 1}/call-next", staff))
        print(f"call → page updated at each of {DISPLAYS} displays: {percentiles(page)}")
        print(f"call → audio ready at each of {DISPLAYS} displays:  {percentiles([a[0] for a in audio])}")
        print(f"call → whole WAV at each of {DISPLAYS} displays:    {percentiles([a[1] for a in audio])}")
        for client in streams:
            client.close()
    finally:
        server.stop()


class Download:
    """One display loading a call's WAV on a plain non-blocking socket, so the bench itself stays light."""

    def __init__(self, port: int, cookie: str, path: str, start: float) -> None:
        self.start, self.received, self.playable, self.done = start, b"", 0.0, 0.0
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.socket.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{cookie}\r\nConnection: close\r\n\r\n".encode())
        self.socket.setblocking(False)

    def read(self) -> bool:
        """Take what has come; True once the whole answer is in."""
        chunk = self.socket.recv(1 << 20)
        self.received += chunk
        if not self.playable and len(self.received) >= PLAYABLE_BYTES:
            self.playable = time.monotonic() - self.start
        if chunk:
            return False
        assert self.received.startswith(b"HTTP/1.1 200") and b"\r\n\r\nRIFF" in self.received, self.received[:200]
        self.done = time.monotonic() - self.start
        self.playable = self.playable or self.done
        self.socket.close()
        return True


def measure(port: int, cookie: str, streams: list[socket.socket],
            call: Callable[[int], object]) -> tuple[list[float], list[tuple[float, float]]]:
    selector = selectors.DefaultSelector()
    for index, client in enumerate(streams):
        client.setblocking(False)
        selector.register(client, selectors.EVENT_READ, index)
    drain(selector)
    page: list[float] = []
    audio: list[tuple[float, float]] = []
    for n in range(1, CALLS + 1):
        hall_marker = f'class="counter-ticket" data-ticket="A{n:03d}"'.encode()
        seen = [b""] * DISPLAYS
        updated: set[int] = set()
        downloads: dict[int, Download] = {}
        finished = 0
        start = time.monotonic()
        call(n - 1)
        while (len(updated) < DISPLAYS or finished < DISPLAYS) and time.monotonic() < start + 10:
            for key, _ in selector.select(timeout=1):
                if isinstance(key.data, Download):
                    if key.data.read():
                        selector.unregister(key.fileobj)
                        finished += 1
                    continue
                index = key.data
                seen[index] += key.fileobj.recv(1 << 20)  # type: ignore[union-attr]
                if index not in downloads and (match := AUDIO_URL.search(seen[index])):
                    downloads[index] = Download(port, cookie, match[1].decode(), start)
                    selector.register(downloads[index].socket, selectors.EVENT_READ, downloads[index])
                if index not in updated and hall_marker in seen[index]:
                    updated.add(index)
                    page.append(time.monotonic() - start)
        if len(updated) < DISPLAYS or finished < DISPLAYS:
            raise RuntimeError(f"call {n}: {len(updated)} pages, {finished} sounds of {DISPLAYS}")
        audio += [(d.playable, d.done) for d in downloads.values()]
    return page, audio


def drain(selector: selectors.BaseSelector) -> None:
    """Read the snapshots every display gets on connecting, so only the calls are timed."""
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 0.5:
        for key, _ in selector.select(timeout=0.1):
            key.fileobj.recv(1 << 20)  # type: ignore[union-attr]
            quiet_since = time.monotonic()


def main() -> None:
    run_benches(__doc__, f"display bench with {DISPLAYS} displays", bench)


if __name__ == "__main__":
    main()
