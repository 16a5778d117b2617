"""Printers that misbehave the way real ones do, against the running spooler (its threads, the real clock):
no ticket is marked printed that the printer did not take, every ticket prints exactly once when its printer is
back, and one printer's trouble never holds up another's tickets."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from printers import Spooler, SpoolSettings
from tests.support.escpos_test_printer import EscposTestPrinter
from tests.support.job_store import MemoryStore
from tests.support.ticket_samples import FONT

TIMEOUT_S = 1.0


@pytest.fixture
def printers() -> Iterator[Callable[[str], EscposTestPrinter]]:
    started: list[EscposTestPrinter] = []

    def start(mode: str = "normal") -> EscposTestPrinter:
        started.append(EscposTestPrinter(mode=mode).start())
        return started[-1]

    yield start
    for printer in started:
        printer.stop()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Callable[..., Spooler]]:
    spoolers: list[Spooler] = []

    def run(store: MemoryStore, timeout_s: float = TIMEOUT_S) -> Spooler:
        settings = SpoolSettings(width=576, font_path=FONT, timeout_s=timeout_s, retry_after_s=(0.3, 0.6),
                                 folder=tmp_path, poll_s=0.1)
        spoolers.append(Spooler(store, settings, lambda: datetime.now(UTC)))
        spoolers[-1].start()
        return spoolers[-1]

    yield run
    for spooler in spoolers:
        spooler.stop()


def statuses(store: MemoryStore) -> list[object]:
    return [job["status"] for _, job in sorted(store.jobs.items())]


def wait_until(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert check()


def test_a_printer_that_accepts_but_never_reads_is_offline_and_prints_everything_once_back(printers, running):
    printer = printers("deaf")
    store = MemoryStore(printer.url)
    for job_id in (1, 2, 3):
        store.add(job_id)
    running(store)
    wait_until(lambda: len(store.outcomes) >= 3, 10)
    assert "printed" not in statuses(store) and printer.jobs == []
    assert store.outcomes[0].printer.state == "offline"
    assert "did not answer" in str(store.jobs[1]["error"])
    printer.mode = "normal"
    wait_until(lambda: statuses(store) == ["printed"] * 3, 10)
    receipts = printer.wait_for_jobs(3)
    assert len(receipts) == 3 and all(receipt.cut for receipt in receipts)


def test_a_printer_switched_off_prints_every_waiting_ticket_once_oldest_first_when_back(printers, running):
    printer = printers("offline")
    store = MemoryStore(printer.url)
    for job_id in range(1, 6):
        store.add(job_id)
    running(store)
    wait_until(lambda: len(store.outcomes) >= 4, 10)  # a few tries while it is off: each finds it off
    assert set(statuses(store)) == {"pending"}
    printer.mode = "normal"
    back = time.monotonic()
    wait_until(lambda: statuses(store) == ["printed"] * 5, 10)
    receipts = printer.wait_for_jobs(5)
    assert len(receipts) == 5 and all(receipt.cut for receipt in receipts)
    printed = [outcome for outcome in store.outcomes if outcome.status == "printed"]
    assert len(printed) == 5
    assert time.monotonic() - back < 5
    order = sorted(store.jobs, key=lambda job_id: store.jobs[job_id]["at"])  # type: ignore[arg-type, return-value]
    assert order == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("fault", ["hang", "deaf", "stall"])
def test_one_hung_printer_does_not_hold_up_another(printers, running, fault):
    hung, healthy = printers(fault), printers()
    store = MemoryStore(hung.url)
    for job_id in (1, 2, 3):
        store.add(job_id)  # the hung printer's tickets come first
    running(store)
    time.sleep(0.2)
    started = time.monotonic()
    store.add(4, healthy.url)
    store.add(5, healthy.url)
    healthy.wait_for_jobs(2, timeout=5)
    assert time.monotonic() - started < 1.0  # as with no hung printer
    wait_until(lambda: store.jobs[4]["status"] == store.jobs[5]["status"] == "printed", 2)  # stored just after
    assert {store.jobs[job_id]["status"] for job_id in (1, 2, 3)} <= {"pending", "printing"}


def test_a_job_the_printer_took_whole_before_dropping_the_connection_is_not_sent_again(printers, running):
    printer = printers("reset_after_job")
    store = MemoryStore(printer.url)
    store.add(1)
    running(store)
    wait_until(lambda: store.jobs[1]["status"] == "printed", 10)
    time.sleep(1.0)  # time for a retry that must not come
    assert len(printer.jobs) == 1 and printer.jobs[0].cut
    assert len(store.outcomes) == 1 and "not sent again" in str(store.jobs[1]["error"])


def test_a_job_cut_off_mid_way_is_sent_again_whole_once(printers, running):
    printer = printers("stall")  # answers the status check, then stops reading: the job is cut off
    store = MemoryStore(printer.url)
    store.add(1)
    running(store)
    wait_until(lambda: len(store.outcomes) >= 1, 10)
    assert store.jobs[1]["status"] == "pending" and "took" in str(store.jobs[1]["error"])
    printer.mode = "normal"
    wait_until(lambda: store.jobs[1]["status"] == "printed", 10)
    printer.wait_for_jobs(1)
    time.sleep(0.5)  # time for a second paper that must not come
    assert [receipt.cut for receipt in printer.jobs] == [True]  # one whole paper


def test_a_serial_speed_printer_gets_its_tickets_whole(printers, running):
    printer = printers("slow")
    store = MemoryStore(printer.url)
    store.add(1)
    running(store, timeout_s=10)
    wait_until(lambda: store.jobs[1]["status"] == "printed", 15)
    [receipt] = printer.wait_for_jobs(1)  # the last few KB still in its input buffer come out after
    assert receipt.cut and len(store.outcomes) == 1
