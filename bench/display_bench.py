"""Hall display figures with 50 displays streaming from one `kiosk serve`:

  call → page updated   from the call-next request to the redrawn hall (the new number) at each display
  call → audio ready    from the call-next request until each display can start playing the call's WAV (its
                        header and first 1.5 s are in), loaded as its audio queue does on receiving the call
  call → whole WAV      the same, until the whole file is in
Goals at p95: page 100 ms, audio 300 ms. The bench's own 50 clients share the server's CPU here.

  backlog               six counters call within one second (the start of a day): one display in Debian's
                        Chromium plays the calls as a hall hears them, in real time; from each call to the start
                        of its announcement, and until the last one has been said. Five Vietnamese citizens and
                        one foreigner, announced in English too. Goal: the last one starts
                        ≤ 15 s after its call, every one heard, none cut off.

    python bench/display_bench.py              SQLite in a temp folder
    python bench/display_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import re
import selectors
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import load_demo, percentiles, run_benches, staff_token  # noqa: E402
from tests.support.raw_streams import open_streams  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402
from tests.support.tickets import take_ticket  # noqa: E402

DISPLAYS = 50
CALLS = 30
PLAYABLE_BYTES = 64 * 1024  # 1.5 s of 22 kHz 16-bit mono: a browser starts playing long before the end
AUDIO_URL = re.compile(rb'data-audio="(/display/calls/\d+\.wav)"')


def bench(env: dict[str, str]) -> None:
    tokens, staff = load_demo(env), staff_token(env)
    server = ServerProcess(env).start()
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


BURST = [("passport-first", "vi", 1), ("passport-first", "vi", 2), ("passport-first", "vi", 3),
         ("passport-first", "vi", 4), ("passport-first", "vi", 5), ("passport-first", "en", 6)]
PLAYED = """() => document.getElementById('announcements').dataset.played.split(' ').filter(Boolean).map((id) => {
    const item = document.getElementById('announcement-' + id);
    return {ticket: item.dataset.ticket, state: item.dataset.state, delivery: item.dataset.delivery || 'alone',
            start: performance.timeOrigin + Number(item.dataset.startedAt),
            end: performance.timeOrigin + Number(item.dataset.endedAt)};
})"""


def backlog(env: dict[str, str]) -> None:
    from playwright.sync_api import expect

    from tests.support.browser import chromium

    tokens, staff = load_demo(env), staff_token(env)
    server = ServerProcess(env).start()
    try:
        for service, language, _counter in BURST:
            take_ticket(server.url, tokens["kiosk-lobby"], service, language=language)
        with chromium() as browser:
            page = browser.new_page()
            page.goto(f"{server.url}/display?device={tokens['display-hall']}")
            expect(page.locator("body[data-stream=up]")).to_be_attached()
            called: dict[str, float] = {}
            for _service, _language, counter in BURST:
                answer = requests.post(f"{server.url}/api/v1/counters/{counter}/call-next", timeout=10,
                                       headers={"Authorization": f"Bearer {staff}"})
                called[answer.json()["ticket"]["number"]] = time.time() * 1000
                time.sleep(1 / len(BURST))
            deadline = time.monotonic() + 120
            while len(played := page.evaluate(PLAYED)) < len(BURST) and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        server.stop()
    waits = [(item["start"] - called[item["ticket"]]) / 1000 for item in played]
    overlaps = sum(later["start"] < earlier["end"] for earlier, later in zip(played, played[1:], strict=False))
    heard = sum(item["state"] == "played" for item in played)
    print(f"backlog: {len(BURST)} calls within 1 s → {heard} heard, {overlaps} cut off; call → its announcement "
          + ", ".join(f"{item['ticket']} {wait:.1f} s ({item['delivery']})" for item, wait in zip(played, waits,
                                                                                                  strict=True)))
    print(f"backlog: the last starts {waits[-1]:.1f} s after its call (goal ≤ 15 s); all said "
          f"{(played[-1]['end'] - min(called.values())) / 1000:.1f} s after the first call")


def main() -> None:
    run_benches(__doc__, f"display bench with {DISPLAYS} displays", bench, backlog)


if __name__ == "__main__":
    main()
