"""The hall displays' streams for the load benches: plain sockets read by one selector thread, noting when each
display first carried each ticket number and which calls (event ids) it was sent."""

from __future__ import annotations

import re
import selectors
import socket
import threading
import time

from tests.support.raw_streams import open_streams

NUMBER = re.compile(rb'data-ticket="([^"]+)"')
EVENT_ID = re.compile(rb'data-event-id="(\d+)"')
TAIL = 64  # bytes kept from one read to the next, so an attribute cut in two by the network is still found


class HallDisplays:
    """One stream per device token (`/display/stream` with the display's cookie, as a paired browser opens it)."""

    def __init__(self, port: int, tokens: list[str]) -> None:
        self.streams = [client for token in tokens for client in
                        open_streams(port, "", 1, "/display/stream", f"Cookie: device_display={token}")]
        self.seen: list[dict[str, float]] = [{} for _ in self.streams]  # number → when the display first had it
        self.events: list[set[int]] = [set() for _ in self.streams]  # the calls' event ids each display was sent
        self._tails = [b""] * len(self.streams)
        self._selector = selectors.DefaultSelector()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        for index, client in enumerate(self.streams):
            client.setblocking(False)
            self._selector.register(client, selectors.EVENT_READ, index)

    def start(self) -> None:
        time.sleep(1.0)  # the snapshot each display gets on connecting is not a call
        for key, _ in self._selector.select(timeout=0):
            key.fileobj.recv(1 << 20)  # type: ignore[union-attr]
        self._thread.start()

    def _read(self) -> None:
        while not self._stopped.is_set():
            for key, _ in self._selector.select(timeout=0.2):
                client: socket.socket = key.fileobj  # type: ignore[assignment]
                chunk = client.recv(1 << 20)
                if not chunk:
                    self._selector.unregister(client)
                    continue
                now, index = time.monotonic(), key.data
                text = self._tails[index] + chunk
                for number in NUMBER.findall(text):
                    self.seen[index].setdefault(number.decode(), now)
                self.events[index].update(int(found) for found in EVENT_ID.findall(text))
                self._tails[index] = text[-TAIL:]

    def settle(self, timeout: float, wanted: list[set[str]]) -> None:
        """Wait until each display has the numbers it should show (`wanted`, one set per display), or `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(numbers - seen.keys() for numbers, seen in zip(wanted, self.seen,
                                                                                                  strict=True)):
            time.sleep(0.2)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()
        for client in self.streams:
            client.close()
