"""Wrong sign-ins must not slow the queue: kiosk tickets taken at a steady pace while 16 browsers post wrong
passwords for ever new names, 6 a second in all (the probe's load: a guesser, or a script gone wrong on the LAN).

Three rounds on a fresh office each: no sign-ins (the baseline); the flood with the office's limits (the address
is soon refused with 429 before any hashing); and the flood with the limits off, which measures what is left of
a password hash per attempt now that it runs outside the write transaction.
Goal (issue 19): tickets under the flood stay near the baseline (before: p50 17 → 401 ms, max 10.7 s).

    python bench/sign_in_bench.py              SQLite in a temp folder
    python bench/sign_in_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import random
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import load_demo, percentiles, run_benches  # noqa: E402
from tests.support.htmx_client import csrf_of  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

GUESSERS = 16
GUESSES_PER_S = 6.0  # all guessers together
TICKETS = 100
TICKET_EVERY_S = 0.1


def guess(server: ServerProcess, stop: threading.Event, answers: list[int]) -> None:
    http = requests.Session()
    token = csrf_of(http.get(f"{server.url}/login").text)
    while not stop.wait(GUESSERS / GUESSES_PER_S):
        name = f"officer{random.randrange(10**6)}"  # a new name each time: no lock on a name cuts the work short
        answer = http.post(f"{server.url}/login", data={"username": name, "password": "wrong guess",
                                                        "csrf_token": token})
        answers.append(answer.status_code)


def take_tickets(server: ServerProcess, kiosk: str) -> list[float]:
    http, times = requests.Session(), []
    for _ in range(TICKETS):
        started = time.monotonic()
        answer = http.post(f"{server.url}/api/v1/tickets", json={"service": "passport-first"},
                           headers={"Authorization": f"Bearer {kiosk}"})
        times.append(time.monotonic() - started)
        assert answer.status_code == 201, answer.text[:300]
        time.sleep(TICKET_EVERY_S)
    return times


def round_of(label: str, guessers: int, extra_env: dict[str, str]):  # type: ignore[no-untyped-def]
    def bench(env: dict[str, str]) -> None:
        env = {**env, **extra_env}
        kiosk = load_demo(env)["kiosk-lobby"]
        server = ServerProcess(env).start()
        stop, answers = threading.Event(), []  # type: ignore[var-annotated]
        try:
            threads = [threading.Thread(target=guess, args=(server, stop, answers)) for _ in range(guessers)]
            for thread in threads:
                thread.start()
            started = time.monotonic()
            times = take_tickets(server, kiosk)
            elapsed = time.monotonic() - started
            stop.set()
            for thread in threads:
                thread.join()
        finally:
            server.stop()
        refused = sum(status == 429 for status in answers)
        print(f"  {label:<34} tickets {percentiles(times)}   max {max(times) * 1000:7.1f} ms")
        if guessers:
            print(f"  {'':<34} {len(answers) / elapsed:6.1f} sign-ins/s answered, {refused} of {len(answers)} "
                  f"refused by the limit (429)")

    return bench


def main() -> None:
    run_benches(__doc__, f"sign-in flood bench, {GUESSERS} guessers, a ticket every {TICKET_EVERY_S} s",
                round_of("no sign-ins", 0, {}),
                round_of("flood, limits on", GUESSERS, {}),
                round_of("flood, limits off", GUESSERS, {"KIOSK_SERVER__RATE_LIMITS": "false"}))


if __name__ == "__main__":
    main()
