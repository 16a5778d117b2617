"""Booking under concurrency, against `kiosk serve`:

  last places     50 citizens book the last 5 places of a slot at the same moment (through the API, each with
                  their own ID number and phone): how many got one (must be 5), how many clear 409s (45), and
                  bookings per second
  slot search     GET /api/v1/slots for each day of a month, and the phone's day list (/book/<service>, the
                  whole horizon at once): p50 / p95

    python bench/booking_bench.py              SQLite in a temp folder
    python bench/booking_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import load_demo, percentiles, run_benches, staff_token  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

CITIZENS = 50
PLACES = 5


def first_slot(url: str, headers: dict[str, str]) -> str:
    for offset in range(1, 10):
        day = (date.today() + timedelta(days=offset)).isoformat()
        slots = requests.get(f"{url}/api/v1/slots", params={"service": "border-pass", "date": day},
                             headers=headers, timeout=10).json()
        if slots:
            return str(slots[0]["start"])
    raise RuntimeError("no slot in the coming days")


def last_places(url: str, headers: dict[str, str]) -> None:
    start = first_slot(url, headers)
    barrier, answers, lock = threading.Barrier(CITIZENS), [], threading.Lock()

    def citizen(n: int) -> None:
        body = {"service": "border-pass", "start": start, "id_number": f"040195{n:06d}", "phone": f"09123{n:05d}"}
        barrier.wait()
        began = time.perf_counter()
        answer = requests.post(f"{url}/api/v1/appointments", json=body, headers=headers, timeout=60)
        with lock:
            answers.append((answer.status_code, time.perf_counter() - began, time.perf_counter()))

    began = time.perf_counter()
    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CITIZENS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    booked = sum(status == 201 for status, _took, _at in answers)
    refused = sum(status == 409 for status, _took, _at in answers)
    elapsed = max(at for _s, _t, at in answers) - began
    print(f"last places   {CITIZENS} citizens, {PLACES} places: {booked} booked, {refused} refused (409), "
          f"{CITIZENS - booked - refused} other; overbooked: {max(0, booked - PLACES)}")
    print(f"  booking     {percentiles([took for _s, took, _at in answers])}   "
          f"{CITIZENS / elapsed:.0f} bookings/s answered")


def slot_search(url: str, headers: dict[str, str]) -> None:
    per_day, pages = [], []
    for _round in range(3):
        for offset in range(30):
            day = (date.today() + timedelta(days=offset)).isoformat()
            began = time.perf_counter()
            requests.get(f"{url}/api/v1/slots", params={"service": "passport-first", "date": day}, headers=headers,
                         timeout=10).raise_for_status()
            per_day.append(time.perf_counter() - began)
        began = time.perf_counter()
        requests.get(f"{url}/book/passport-first", timeout=10).raise_for_status()
        pages.append(time.perf_counter() - began)
    print(f"slot search   one day      {percentiles(per_day)}")
    print(f"              the horizon  {percentiles(pages)}")


def bench(env: dict[str, str]) -> None:
    env = {**env, "KIOSK_APPOINTMENTS__PLACES": str(PLACES), "KIOSK_APPOINTMENTS__WALK_IN_SHARE": "0.0",
           "KIOSK_APPOINTMENTS__HORIZON_DAYS": "30"}
    load_demo(env)
    headers = {"Authorization": f"Bearer {staff_token(env)}"}
    server = ServerProcess(env).start()
    try:
        last_places(server.url, headers)
        slot_search(server.url, headers)
    finally:
        server.stop()


if __name__ == "__main__":
    run_benches(__doc__, "Booking", bench)
