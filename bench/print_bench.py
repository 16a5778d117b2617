"""Ticket printing figures: render time, ESC/POS bytes per ticket (all-image and compact), the time from the API
call to the last byte at a port-9100 printer (the test printer, through the real server), the same for a healthy
printer while another kiosk's printer hangs, and how soon a hung printer's waiting tickets are out once it is back.

    python bench/print_bench.py [--tickets 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ranked  # noqa: E402
from printers import build_job, printer_profile, render_ticket  # noqa: E402
from tests.support.escpos_test_printer import EscposTestPrinter  # noqa: E402
from tests.support.server import REPO, ServerProcess, demo_tokens  # noqa: E402
from tests.support.ticket_samples import FONT, SAMPLES  # noqa: E402
from tests.support.tickets import take_ticket  # noqa: E402

IMAGE_GOAL, COMPACT_GOAL = 40 * 1024, 16 * 1024


def p50_p95(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {ranked(ordered, 0.95) * 1000:.0f} ms"


def render_and_bytes() -> None:
    image_profile, compact_profile = printer_profile("default", 576), printer_profile("TM-T20II", 576)
    for language, ticket in SAMPLES.items():
        render_ticket(ticket, 576, FONT)  # fonts loaded once, as in a running spooler
        times = []
        for _ in range(20):
            started = time.perf_counter()
            render_ticket(ticket, 576, FONT)
            times.append(time.perf_counter() - started)
        image = len(build_job(ticket, width=576, font_path=FONT, profile=image_profile))
        compact = len(build_job(ticket, width=576, font_path=FONT, profile=compact_profile, mode="compact"))
        print(f"{language}: render {statistics.median(times) * 1000:.1f} ms (576 dots, "
              f"{render_ticket(ticket, 576, FONT).height / 8:.0f} mm); "
              f"image job {image / 1024:.1f} KB ({'ok' if image <= IMAGE_GOAL else 'OVER'} 40 KB goal), "
              f"compact {compact / 1024:.1f} KB ({'ok' if compact <= COMPACT_GOAL else 'OVER'} 16 KB goal), "
              f"compact at 115200 baud ~{compact * 10 / 115200:.1f} s")


def api_to_paper(tickets: int) -> None:
    printer = EscposTestPrinter().start()
    with tempfile.TemporaryDirectory() as folder:
        server = ServerProcess(office(folder, printer.url)).start()
        try:
            samples = to_last_byte(server, demo_tokens(Path(folder))["kiosk-lobby"], printer, tickets)
        finally:
            server.stop()
            printer.stop()
    print(f"API call -> last byte at the printer, {tickets} tickets one after another: {p50_p95(samples)}")


def to_last_byte(server: ServerProcess, kiosk: str, printer: EscposTestPrinter, tickets: int,
                 before_each: Callable[[], object] = lambda: None) -> list[float]:
    """Seconds from each ticket's API call to its last byte at the printer, one ticket after another."""
    samples = []
    for i in range(tickets):
        before_each()
        started = time.monotonic()
        take_ticket(server.url, kiosk, language="vi", timeout=5)
        jobs = printer.wait_for_jobs(i + 1, timeout=30)
        if len(jobs) <= i:
            raise SystemExit(f"ticket {i + 1} never reached the printer")
        samples.append(jobs[i].last_byte_at - started)
    return samples


def office(folder: str, printer_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_INSTANCE=folder, KIOSK_SECRET_KEY="bench", KIOSK_PRINTER=printer_url)
    subprocess.run([sys.executable, "-m", "kiosk", "demo"], env=env, cwd=REPO, check=True, capture_output=True)
    return env


def kiosk_with(env: dict[str, str], name: str, printer_url: str) -> str:
    """A second kiosk of the office, with its own printer."""
    argv = [sys.executable, "-m", "kiosk", "token", "create", "--role", "kiosk", "--name", name,
            "--printer", printer_url]
    return subprocess.run(argv, env=env, cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()


def one_printer_hung(tickets: int) -> None:
    """Kiosk A's printer hangs (connecting never completes), kiosk B's is healthy; the production timeouts."""
    hung, healthy = EscposTestPrinter(mode="hang").start(), EscposTestPrinter().start()
    with tempfile.TemporaryDirectory() as folder:
        env = office(folder, healthy.url)
        hung_kiosk = kiosk_with(env, "kiosk-hung", hung.url)
        server = ServerProcess(env).start()
        try:
            def queue_one_on_the_hung_printer() -> None:
                take_ticket(server.url, hung_kiosk, language="vi", timeout=5)

            samples = to_last_byte(server, demo_tokens(Path(folder))["kiosk-lobby"], healthy, tickets,
                                   queue_one_on_the_hung_printer)
            print(f"With kiosk A's printer hung: kiosk B's API call -> last byte, {tickets} tickets: "
                  f"{p50_p95(samples)} (goal: as with no hung printer)")
            hung.mode = "normal"
            back = time.monotonic()
            printed = [job for job in hung.wait_for_jobs(tickets, timeout=120) if job.cut]
            time.sleep(2)  # time for a duplicate, which must not come
            print(f"Kiosk A's printer back after the run: {len(printed)} of its {tickets} waiting tickets out within "
                  f"{max(job.last_byte_at for job in printed) - back:.1f} s; {len(hung.jobs)} papers in all")
        finally:
            server.stop()
            hung.stop()
            healthy.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=40)
    args = parser.parse_args()
    render_and_bytes()
    api_to_paper(args.tickets)
    one_printer_hung(min(args.tickets, 20))


if __name__ == "__main__":
    main()
