"""The independent probe's load against a real `kiosk serve`: 50 ticket takers, 20 counters calling and 50 hall
displays streaming, all at once for 60 s (`--seconds`); 2 worker processes on PostgreSQL, 1 on SQLite.

  tickets        POST /api/v1/tickets from each taker, one after another with a short pause: p50/p95/p99
  display lag    from a call's commit (its call-next answer has come back) until each display's stream carries
                 the number (0 when the stream was quicker than the answer): p50/p95; numbers a display never got
  duplicates     ticket numbers handed out twice; double calls: a ticket called at two counters
Goals: display lag p95 ≤ 1 s, tickets p95 ≤ 1 s, 0 duplicate numbers, 0 double calls (the probe found display lag
p95 51 s and tickets p95 10 s on PostgreSQL before draw once and the evented server). The bench's own 120 clients
share the machine's cores with the server: `uptime`'s load is printed beside the figures.

    python bench/probe_load_bench.py                           SQLite in a temp folder, 1 worker
    python bench/probe_load_bench.py --postgres                a throw-away PostgreSQL cluster, 2 workers
    python bench/probe_load_bench.py --postgres --seconds 30   a shorter run
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import load_demo, ranked, run_benches, staff_token  # noqa: E402
from bench.streams import HallDisplays  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

TAKERS = 50
COUNTERS = 20
DISPLAYS = 50
PAUSE_S = 1.0  # each taker and each counter waits this long between its requests
TIMEOUT_S = 30.0

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--postgres", action="store_true")
parser.add_argument("--seconds", type=float, default=60.0, help="how long the load runs (default 60)")


def bench(env: dict[str, str]) -> None:
    seconds = parser.parse_args().seconds
    workers = 2 if "KIOSK_DATABASE_URL" in env else 1
    tokens, staff = load_demo(env), staff_token(env)
    server = ServerProcess(env, workers=workers).start()
    try:
        displays = HallDisplays(server.port, [tokens["display-hall"]] * DISPLAYS)
        load = Load(server.url, tokens["kiosk-lobby"], staff, seconds)
        displays.start()
        load.run()
        displays.settle(TIMEOUT_S, [set(load.called)] * DISPLAYS)
        displays.stop()
    finally:
        server.stop()
    report(load, displays, workers, seconds)


class Load:
    """The takers and the counters, each a thread with its own HTTP session, for `seconds`."""

    def __init__(self, url: str, kiosk: str, staff: str, seconds: float) -> None:
        self.url, self.kiosk, self.staff, self.seconds = url, kiosk, staff, seconds
        self.ticket_s: list[float] = []
        self.numbers: list[str] = []
        self.failed = 0
        self.called: dict[str, float] = {}  # number → when its call's answer came back
        self.calls: list[str] = []  # numbers called, one entry per call
        self._lock = threading.Lock()

    def run(self) -> None:
        until = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self._take, args=(until,)) for _ in range(TAKERS)]
        threads += [threading.Thread(target=self._call, args=(n, until)) for n in range(1, COUNTERS + 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _take(self, until: float) -> None:
        http = requests.Session()
        headers = {"Authorization": f"Bearer {self.kiosk}"}
        while time.monotonic() < until:
            start = time.monotonic()
            try:
                answer = http.post(f"{self.url}/api/v1/tickets", json={"service": "passport-first"},
                                   headers=headers, timeout=TIMEOUT_S)
                ok = answer.status_code == 201
            except requests.RequestException:
                ok = False
            with self._lock:
                if ok:
                    self.ticket_s.append(time.monotonic() - start)
                    self.numbers.append(answer.json()["number"])
                else:
                    self.failed += 1
            time.sleep(PAUSE_S)

    def _call(self, counter: int, until: float) -> None:
        http = requests.Session()
        headers = {"Authorization": f"Bearer {self.staff}"}
        while time.monotonic() < until:
            try:
                answer = http.post(f"{self.url}/api/v1/counters/{counter}/call-next", headers=headers,
                                   timeout=TIMEOUT_S)
            except requests.RequestException:
                answer = None
            if answer is not None and answer.status_code == 200:
                ticket = answer.json()["ticket"]
                with self._lock:
                    self.called.setdefault(ticket["number"], time.monotonic())
                    self.calls.append(ticket["number"])
            time.sleep(PAUSE_S)


def report(load: Load, displays: HallDisplays, workers: int, seconds: float) -> None:
    lags = [max(0.0, seen[number] - at) for number, at in load.called.items() for seen in displays.seen
            if number in seen]
    missed = sum(number not in seen for number in load.called for seen in displays.seen)
    duplicates = sum(n - 1 for n in Counter(load.numbers).values())
    double_calls = sum(n - 1 for n in Counter(load.calls).values())
    tickets = load.ticket_s or [float("nan")]
    print(f"  {TAKERS} ticket takers + {COUNTERS} counters + {DISPLAYS} displays for {seconds:.0f} s, {workers} "
          f"worker(s); load average {os.getloadavg()[0]:.2f} at the end")
    print(f"    tickets       {len(load.ticket_s)} taken, {load.failed} failed; p50 "
          f"{statistics.median(tickets) * 1000:7.1f} ms   p95 {ranked(tickets, 0.95) * 1000:7.1f} ms   p99 "
          f"{ranked(tickets, 0.99) * 1000:7.1f} ms   (goal p95 ≤ 1 s)")
    if lags:
        print(f"    display lag   {len(load.called)} calls × {DISPLAYS} displays; p50 "
              f"{statistics.median(lags) * 1000:7.1f} ms   p95 {ranked(lags, 0.95) * 1000:7.1f} ms   "
              f"never came {missed}   (goal p95 ≤ 1 s)")
    else:
        print(f"    display lag   {len(load.called)} calls, none reached a display")
    print(f"    duplicate numbers {duplicates}, double calls {double_calls}   (goal 0 and 0)")


def main() -> None:
    run_benches(__doc__, "probe load bench, one `kiosk serve`", bench, parser=parser)


if __name__ == "__main__":
    main()
