"""A province of 30 offices on one PostgreSQL (issue 20): a day's traffic at every office at once, then a year.

A day: one `kiosk serve` with 2 workers serves the 30 offices of a folder of office files made from
config/office.example.toml (codes xnc-01…xnc-30, its services, counters and devices, and a tablet at each of the 6
counters). At every office the hall display streams (/display/stream), the lobby kiosk takes tickets
(POST /api/v1/tickets) and the counters' tablets call (POST /api/v1/counters/N/call-next). The day is --visitors
citizens per office arriving over the 10 opening hours as `fill_history`'s days do (the morning rush, the lunch
dip) and for its mix of services, squeezed into --seconds (60 s: 600× faster); a counter serving its service
calls each ticket after a wait of 5-30 minutes (compressed alike). The default, 40 citizens per office, is a tenth
of `fill_history`'s usual day (75 per counter, 450 an office): that day of 30 offices squeezed into a minute is
225 tickets/s and as many calls, several times what 2 cores serve, where the
province's real day is 0.4 tickets/s; the output says how far the clients fell behind the day's schedule.
12 client threads play the whole province's day; one selector thread reads the 30 displays.
  call → display   per office, from a call's answer until that office's display carried the number: each
                   office's p95, then the worst and the median office's; numbers a display never got
  tickets          POST /api/v1/tickets across the province: p50/p95
  checks           duplicate numbers in an office's day, double calls, displays sent another office's call
Goals: call → display p95 ≤ 1 s at every office, tickets p95 ≤ 1 s, and 0, 0, 0.

A year: every office's past filled by the product's own generator (`fill_history`, what `kiosk demo --history`
writes), two offices at a time (one per core), then VACUUM ANALYZE (what autovacuum does over a year). Printed:
the fill's time and what it wrote, the database's size and biggest tables, and the server time (in the app, no
network) of what the desk reads on it: see bench/province_year.py.

    python bench/province_bench.py                        30 offices, 60 s of day, 365 days of past
    python bench/province_bench.py --offices 4 --seconds 20 --history-days 30      a quick look

The bench's clients share the machine's cores with the server and PostgreSQL: `uptime`'s load is printed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import load_demo, ranked  # noqa: E402
from bench.province_year import a_year  # noqa: E402
from bench.streams import HallDisplays  # noqa: E402
from kiosk.data.engine import make_engine  # noqa: E402
from kiosk.data.models import Event, Office  # noqa: E402
from kiosk.domain.statistics.history import HOUR_WEIGHT, SERVICE_MIX  # noqa: E402
from tests.support.postgres import Cluster  # noqa: E402
from tests.support.server import REPO, ServerProcess  # noqa: E402

CLIENTS = 12  # threads playing the day's schedule, each with its own keep-alive connection
WORKERS = 2
TIMEOUT_S = 30.0
DAY_S = 10 * 3600  # 07:00-17:00, the hours fill_history's citizens come in
WAIT_MIN = (5, 30)  # from taking a ticket to its call, in the office's minutes
OFFICE_NAME = re.compile(r"^name = \{ vi = .*$", re.MULTILINE)

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--offices", type=int, default=30)
parser.add_argument("--seconds", type=float, default=60.0, help="how long the day takes (default 60)")
parser.add_argument("--visitors", type=int, default=40, help="citizens per office in the day (default 40)")
parser.add_argument("--history-days", type=int, default=365, help="days of past per office (default 365)")
parser.add_argument("--runs", type=int, default=10, help="reads of each desk figure on the year (default 10)")


@dataclass(frozen=True)
class OfficeDevices:
    """One office's kiosk, hall display and counter tablets (their tokens), and the counters serving each
    service."""

    code: str
    kiosk: str
    display: str
    tablets: dict[int, str]
    counters_for: dict[str, list[int]]


@dataclass
class OfficeDay:
    """What one office's devices were answered."""

    ticket_s: list[float] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    called: dict[str, float] = field(default_factory=dict)  # number → when its call's answer came back
    calls: list[str] = field(default_factory=list)  # one entry per call answered with a ticket
    nobody: int = 0  # call-next answered 204
    failed: int = 0


@dataclass(frozen=True, order=True)
class Step:
    at: float  # seconds into the day
    office: int
    counter: int  # 0: the kiosk takes a ticket for `service`
    service: str = ""


def main() -> None:
    options = parser.parse_args()
    cluster = Cluster().start()
    try:
        print(f"province bench on PostgreSQL, {os.cpu_count()} cores: {options.offices} offices on one database")
        url = cluster.new_database()
        env = province_env(url, options.offices)
        tokens = load_demo(env)
        live_day(env, url, office_devices(env, tokens), options)
        a_year(env, tokens, options.history_days, options.runs)
    finally:
        cluster.stop()


def province_env(database_url: str, offices: int) -> dict[str, str]:
    """A fresh instance folder whose KIOSK_CONFIG is a folder of `offices` office files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    instance = Path(tempfile.mkdtemp(prefix="kiosk-province-bench-"))
    folder = instance / "province"
    folder.mkdir()
    example = (REPO / "config/office.example.toml").read_text()
    # Only the first file holds the servers' settings: the booking calendar goes with it.
    own_sections = example[: example.index("# Booking a time")] + example[example.index("# weights:"):]
    for n in range(1, offices + 1):
        text = OFFICE_NAME.sub(f'name = {{ vi = "Phòng Xuất nhập cảnh số {n:02d}", en = "Immigration Office '
                               f'{n:02d}" }}', example if n == 1 else own_sections, count=1)
        (folder / f"{n:02d}.toml").write_text(text.replace('code = "xnc-nghe-an"', f'code = "xnc-{n:02d}"')
                                              + tablets_for_every_counter(text))
    return env | {"KIOSK_INSTANCE": str(instance), "KIOSK_SECRET_KEY": "bench", "KIOSK_CONFIG": str(folder),
                  "KIOSK_DATABASE_URL": database_url}


def tablets_for_every_counter(text: str) -> str:
    """The example pairs tablets to counters 1 and 2; the others get theirs, as every counter calls."""
    parsed = tomllib.loads(text)
    paired = {device.get("counter") for device in parsed["devices"] if device["kind"] == "staff"}
    return "".join(f'\n[[devices]]\nname = "tablet-counter-{c["number"]}"\nkind = "staff"\ncounter = {c["number"]}\n'
                   for c in parsed["counters"] if c["number"] not in paired)


def office_devices(env: dict[str, str], tokens: dict[str, str]) -> list[OfficeDevices]:
    """Each office's devices as `kiosk demo` made them (the first office's tokens by name, the others' by
    code/name)."""
    made = []
    for rank, path in enumerate(sorted(Path(env["KIOSK_CONFIG"]).glob("*.toml"))):
        parsed: dict[str, Any] = tomllib.loads(path.read_text())
        code = parsed["office"]["code"]
        named = {name.removeprefix(f"{code}/"): token for name, token in tokens.items()
                 if (rank == 0 and "/" not in name) or name.startswith(f"{code}/")}
        counters_for: dict[str, list[int]] = defaultdict(list)
        for counter in parsed["counters"]:
            for service in counter["services"]:
                counters_for[service].append(counter["number"])
        made.append(OfficeDevices(code, named["kiosk-lobby"], named["display-hall"],
                                  {c["number"]: named[f"tablet-counter-{c['number']}"] for c in parsed["counters"]},
                                  dict(counters_for)))
    return made


def the_day(offices: list[OfficeDevices], visitors: int, seconds: float) -> list[Step]:
    """Every office's tickets and calls, in the order they happen (seeded: the same day each run)."""
    rng, squeeze = random.Random(1), DAY_S / seconds
    hours = list(HOUR_WEIGHT)
    steps = []
    for index, office in enumerate(offices):
        services = [code for code in SERVICE_MIX if code in office.counters_for]
        turns: Counter[str] = Counter()
        for _ in range(visitors):
            hour = rng.choices(hours, [HOUR_WEIGHT[h] for h in hours])[0]
            taken = ((hour - hours[0]) * 3600 + rng.uniform(0, 3600)) / squeeze
            service = rng.choices(services, [SERVICE_MIX[code][0] for code in services])[0]
            serving = office.counters_for[service]
            counter = serving[turns[service] % len(serving)]  # the counters serving it take turns
            turns[service] += 1
            steps.append(Step(taken, index, 0, service))
            steps.append(Step(taken + rng.uniform(*WAIT_MIN) * 60 / squeeze, index, counter))
    return sorted(steps)


class Province:
    """The clients: CLIENTS threads taking the day's steps in turn, each when it is due."""

    def __init__(self, url: str, offices: list[OfficeDevices], steps: list[Step]) -> None:
        self.url, self.offices, self.steps = url, offices, steps
        self.days = [OfficeDay() for _ in offices]
        self.late_s: list[float] = []  # how far behind the schedule each step was sent
        self.elapsed = 0.0
        self._start = 0.0
        self._next = 0
        self._lock = threading.Lock()

    def run(self) -> None:
        self._start = time.monotonic()
        threads = [threading.Thread(target=self._play) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.elapsed = time.monotonic() - self._start

    def _play(self) -> None:
        http = requests.Session()
        while True:
            with self._lock:
                if self._next == len(self.steps):
                    return
                step = self.steps[self._next]
                self._next += 1
            time.sleep(max(0.0, self._start + step.at - time.monotonic()))
            self.late_s.append(time.monotonic() - self._start - step.at)
            if step.counter:
                self._call(http, step)
            else:
                self._take(http, step)

    def _take(self, http: requests.Session, step: Step) -> None:
        office, day = self.offices[step.office], self.days[step.office]
        started = time.monotonic()
        try:
            answer = http.post(f"{self.url}/api/v1/tickets", json={"service": step.service}, timeout=TIMEOUT_S,
                               headers={"Authorization": f"Bearer {office.kiosk}"})
        except requests.RequestException:
            answer = None
        with self._lock:
            if answer is not None and answer.status_code == 201:
                day.ticket_s.append(time.monotonic() - started)
                day.numbers.append(answer.json()["number"])
            else:
                day.failed += 1

    def _call(self, http: requests.Session, step: Step) -> None:
        office, day = self.offices[step.office], self.days[step.office]
        try:
            answer = http.post(f"{self.url}/api/v1/counters/{step.counter}/call-next", timeout=TIMEOUT_S,
                               headers={"Authorization": f"Bearer {office.tablets[step.counter]}"})
        except requests.RequestException:
            answer = None
        with self._lock:
            if answer is not None and answer.status_code == 200:
                number = answer.json()["ticket"]["number"]
                day.called.setdefault(number, time.monotonic())
                day.calls.append(number)
            elif answer is not None and answer.status_code == 204:
                day.nobody += 1
            else:
                day.failed += 1


def live_day(env: dict[str, str], database_url: str, offices: list[OfficeDevices],
             options: argparse.Namespace) -> None:
    steps = the_day(offices, options.visitors, options.seconds)
    server = ServerProcess(env, workers=WORKERS).start()
    try:
        displays = HallDisplays(server.port, [office.display for office in offices])
        province = Province(server.url, offices, steps)
        displays.start()
        province.run()
        displays.settle(TIMEOUT_S, [set(day.called) for day in province.days])
        displays.stop()
    finally:
        server.stop()
    report_day(province, displays, options)
    report_isolation(database_url, offices, displays)


def report_day(province: Province, displays: HallDisplays, options: argparse.Namespace) -> None:
    taken = sum(len(day.numbers) for day in province.days)
    calls = sum(len(day.calls) for day in province.days)
    print(f"\nA day: {options.visitors} citizens per office over 10 opening hours, squeezed into "
          f"{options.seconds:.0f} s ({DAY_S / options.seconds:.0f}× faster), {WORKERS} workers, {CLIENTS} client "
          f"threads")
    print(f"  across the province {taken} tickets and {calls} calls: {taken / options.seconds:.1f} tickets/s and "
          f"{calls / options.seconds:.1f} calls/s planned; the day took {province.elapsed:.0f} s, the clients behind "
          f"its schedule by p95 {ranked(province.late_s, 0.95):.2f} s; load average {os.getloadavg()[0]:.2f} at "
          f"the end")
    p95s = []
    print("  office    tickets  calls  nobody  failed   call → display p50      p95      max   never came")
    for office, day, seen in zip(province.offices, province.days, displays.seen, strict=True):
        lags = [max(0.0, seen[number] - at) for number, at in day.called.items() if number in seen] or [float("nan")]
        p95s.append(ranked(lags, 0.95))
        print(f"  {office.code:<8} {len(day.numbers):8} {len(day.calls):6} {day.nobody:7} {day.failed:7}  "
              f"{statistics.median(lags) * 1000:17.0f} ms {p95s[-1] * 1000:5.0f} ms {max(lags) * 1000:5.0f} ms "
              f"{sum(number not in seen for number in day.called):9}")
    tickets = [s for day in province.days for s in day.ticket_s] or [float("nan")]
    worst = max(range(len(p95s)), key=lambda i: p95s[i])
    print(f"  call → display p95: worst office {province.offices[worst].code} {p95s[worst] * 1000:.0f} ms, median "
          f"office {statistics.median(p95s) * 1000:.0f} ms   (goal ≤ 1 s at every office: "
          f"{'ok' if max(p95s) <= 1 else 'OVER at ' + str(sum(p > 1 for p in p95s)) + ' office(s)'})")
    print(f"  tickets p50 {statistics.median(tickets) * 1000:.0f} ms  p95 {ranked(tickets, 0.95) * 1000:.0f} ms   "
          f"(goal p95 ≤ 1 s)")
    duplicates = sum(n - 1 for day in province.days for n in Counter(day.numbers).values())
    double_calls = sum(n - 1 for day in province.days for n in Counter(day.calls).values())
    waiting = taken - len({(i, n) for i, day in enumerate(province.days) for n in day.called})
    print(f"  duplicate numbers in an office's day {duplicates}, double calls {double_calls}   (goal 0 and 0); "
          f"{waiting} ticket(s) never called by the end of the day")


def report_isolation(database_url: str, offices: list[OfficeDevices], displays: HallDisplays) -> None:
    """Each display's calls (their event ids) looked up in the database: a call of another office is a leak."""
    sent_ids = {event for sent in displays.events for event in sent}
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            office_of = {event: code for event, code in connection.execute(
                select(Event.id, Office.code).join(Office).where(Event.id.in_(sent_ids)))}
    finally:
        engine.dispose()
    leaked = [sum(office_of.get(event) != office.code for event in sent)
              for office, sent in zip(offices, displays.events, strict=True)]
    print(f"  calls a display was sent from another office: {sum(leaked)}, at {sum(map(bool, leaked))} of "
          f"{len(offices)} displays   (goal 0), of {len(sent_ids)} call events the displays were sent")


if __name__ == "__main__":
    main()
