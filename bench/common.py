"""What the benches share: the office they run, how figures are printed, and SQLite or PostgreSQL by flag."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from tests.support.postgres import Cluster
from tests.support.server import REPO, demo_tokens


def ranked(samples: list[float], share: float) -> float:
    """The sample at `share` of the way up (0.95: the p95), as every bench reads it."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ranked(ordered, 0.95)
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   (n={len(ordered)})"


def timed(runs: int, ask: Callable[[], int], ok: int = 200) -> list[float]:
    """Seconds each of `runs` asks took; each must be answered `ok`."""
    samples = []
    for _ in range(runs):
        started = perf_counter()
        status = ask()
        samples.append(perf_counter() - started)
        assert status == ok, status
    return samples


def office_env(database_url: str | None) -> dict[str, str]:
    """The example office with 20 counters serving passport-first and no daily cap, in a fresh instance folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_INSTANCE=tempfile.mkdtemp(prefix="kiosk-bench-"), KIOSK_SECRET_KEY="bench")
    text = (REPO / "config/office.example.toml").read_text()
    text = text[: text.index("# weights:")] + text[text.index("[[devices]]"):]
    text = text.replace("daily_cap = 400", "")  # the bench takes more tickets than a real day's cap
    text += "".join(f"\n[[counters]]\nnumber = {n}\nservices = {{ passport-first = 1.0 }}\n" for n in range(1, 21))
    config = Path(env["KIOSK_INSTANCE"]) / "office.toml"
    config.write_text(text)
    env["KIOSK_CONFIG"] = str(config)
    if database_url:
        env["KIOSK_DATABASE_URL"] = database_url
    return env


def run_benches(description: str | None, title: str, *parts: Callable[[dict[str, str]], None],
                parser: argparse.ArgumentParser | None = None) -> None:
    """Each part on a fresh office: SQLite, or with --postgres a database of a throw-away cluster. A bench with
    options of its own passes its `parser` (which has --postgres too)."""
    if parser is None:
        parser = argparse.ArgumentParser(description=description,
                                         formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("--postgres", action="store_true")
    cluster = Cluster().start() if parser.parse_args().postgres else None
    try:
        print(f"{title} on {'PostgreSQL' if cluster else 'SQLite'}, {os.cpu_count()} cores")
        for part in parts:
            part(office_env(cluster.new_database() if cluster else None))
    finally:
        if cluster:
            cluster.stop()


def load_demo(env: dict[str, str]) -> dict[str, str]:
    """`kiosk demo` on the bench's office; the demo devices' tokens by name."""
    subprocess.run([sys.executable, "-m", "kiosk", "demo"], env=env, cwd=REPO, check=True, capture_output=True)
    return demo_tokens(Path(env["KIOSK_INSTANCE"]))


def staff_token(env: dict[str, str]) -> str:
    """A new staff device's bearer token (`kiosk token create --role staff`)."""
    argv = [sys.executable, "-m", "kiosk", "token", "create", "--role", "staff"]
    return subprocess.run(argv, env=env, cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()
