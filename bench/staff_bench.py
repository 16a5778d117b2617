"""Counter console server time: each console action (call next, call again, start, done, no-show with requeue,
transfer, a scan) as 20 officers at 20 counters work at once against a real `kiosk serve`. Each officer taps
again 0.2-1 s after the answer: far busier than a real counter, where a citizen takes minutes. Times are round
trips on 127.0.0.1, so they are the server's time plus a fraction of a millisecond.

    python bench/staff_bench.py              SQLite in a temp folder
    python bench/staff_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentiles, run_benches  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.data.engine import database_url, make_engine, session_factory  # noqa: E402
from kiosk.data.models import Office  # noqa: E402
from kiosk.domain.office.accounts import AccountForm, save_account  # noqa: E402
from kiosk.runtime import utc_now  # noqa: E402
from tests.support.htmx_client import csrf_of  # noqa: E402
from tests.support.server import REPO, ServerProcess, demo_tokens  # noqa: E402
from tests.support.tickets import take_ticket  # noqa: E402

COUNTERS = 20
CYCLES = 12  # per counter: call next, call again, start, done; every third also a no-show and a transfer
THINK_S = (0.2, 1.0)  # between an answer and the officer's next tap
PASSWORD = "bench-password"
SHOWN = re.compile(r'name="shown" value="(\d*)"')


class Officer:
    """One officer's tablet: signed in, on their counter, posting what the console posts."""

    def __init__(self, server: ServerProcess, number: int) -> None:
        self.http, self.base, self.number = requests.Session(), server.url, number
        login = self.http.get(f"{self.base}/login").text
        self.http.post(f"{self.base}/login", data={"username": f"bench{number}", "password": PASSWORD,
                                                   "csrf_token": csrf_of(login)})
        page = self.http.get(f"{self.base}/staff/counters/{number}").text
        self.headers = {"HX-Request": "true", "X-CSRFToken": csrf_of(page)}
        self.shown = SHOWN.search(page).group(1)  # type: ignore[union-attr]
        self.times: dict[str, list[float]] = defaultdict(list)

    def press(self, name: str, action: str, **form: str) -> None:
        time.sleep(random.uniform(*THINK_S))
        started = time.monotonic()
        answer = self.http.post(f"{self.base}/staff/counters/{self.number}/{action}", headers=self.headers,
                                data={"shown": self.shown, **form})
        self.times[name].append(time.monotonic() - started)
        assert answer.status_code == 200 and "is-error" not in answer.text, answer.text[:300]
        self.shown = SHOWN.search(answer.text).group(1)  # type: ignore[union-attr]

    def scan(self, number: str) -> None:
        started = time.monotonic()
        answer = self.http.get(f"{self.base}/staff/scan", params={"q": number, "counter": self.number},
                               headers=self.headers)
        self.times["scan → ticket"].append(time.monotonic() - started)
        assert answer.status_code == 204, answer.text[:300]

    def work(self) -> dict[str, list[float]]:
        for cycle in range(CYCLES):
            self.press("call next", "call-next")
            if not self.shown:
                break  # the queue ran dry
            self.press("call again", "recall")
            if cycle % 3 == 1:
                self.press("no-show, requeue", "no-show", requeue="1")
                continue
            self.press("start", "start")
            if cycle % 3 == 2:
                self.press("transfer", "transfer", service="passport-reissue", note="bench")
                continue
            self.press("done", "complete")
        return self.times


def create_officers(env: dict[str, str]) -> None:
    config = load_config(environ=env)
    engine = make_engine(database_url(config["database"]["url"], Path(env["KIOSK_INSTANCE"])))
    with session_factory(engine).begin() as session:
        office = session.query(Office).one()
        for number in range(1, COUNTERS + 1):
            form = AccountForm(f"bench{number}", f"Officer {number}", "officer", True, PASSWORD)
            save_account(session, office, None, form, utc_now(), "bench")
    engine.dispose()


def bench(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "kiosk", "demo"], env=env, cwd=REPO, check=True, capture_output=True)
    create_officers(env)
    server = ServerProcess(env).start()
    try:
        kiosk = demo_tokens(Path(env["KIOSK_INSTANCE"]))["kiosk-lobby"]
        http = requests.Session()
        numbers = [take_ticket(server.url, kiosk, http=http)["number"] for _ in range(COUNTERS * CYCLES)]
        officers = [Officer(server, number) for number in range(1, COUNTERS + 1)]
        officers[0].scan(numbers[0])
        with ThreadPoolExecutor(COUNTERS) as pool:
            results = list(pool.map(Officer.work, officers))
        for officer, number in zip(officers, numbers, strict=False):
            officer.scan(number)
        merged: dict[str, list[float]] = defaultdict(list)
        for times in [*results, officers[0].times]:
            for name, samples in times.items():
                merged[name] += samples
        for name, samples in merged.items():
            print(f"  {name:<18} {percentiles(samples)}")
    finally:
        server.stop()


def main() -> None:
    run_benches(__doc__, f"staff console bench, {COUNTERS} counters at once", bench)


if __name__ == "__main__":
    main()
